from services.logistics.main import main

main()
