from __future__ import annotations

from importcanon.cli import main

raise SystemExit(main())
