from services.warehouse.main import main

main()
