from services.customer_service.main import main

main()
