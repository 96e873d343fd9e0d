"""Allow `python -m meetkit`."""

from meetkit.cli import main

raise SystemExit(main())
