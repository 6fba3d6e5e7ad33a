"""``python -m kfguide check``: see kfguide/cli.py."""

from kfguide.cli import main

raise SystemExit(main())
