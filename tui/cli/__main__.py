"""`python -m tui.cli` is the `lifeboat` command."""

from tui.cli import main

raise SystemExit(main())
