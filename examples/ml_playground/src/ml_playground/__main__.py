from ml_playground.cli import main

raise SystemExit(main())
