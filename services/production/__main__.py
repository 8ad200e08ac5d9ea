from services.production.main import main

main()
