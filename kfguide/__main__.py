"""``python -m kfguide check``: see kfguide/report/cli.py."""

from kfguide.report.cli import main

raise SystemExit(main())
