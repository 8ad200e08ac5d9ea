from services.sales.main import main

main()
