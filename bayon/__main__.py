from bayon.cli import main

main()
