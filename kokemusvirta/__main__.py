from kokemusvirta.cli import main

raise SystemExit(main())
