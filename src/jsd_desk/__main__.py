from jsd_desk.cli import main

raise SystemExit(main())
