"""python -m platform_server serve | admin ...  (see platform_server/README.md)"""

from platform_server.cli import main

raise SystemExit(main())
