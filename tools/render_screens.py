"""Render real screenshots of a web app's own front end against a stub back end.

    python tools/render_screens.py APP [--src REPO] [--tag TAG] [options]
    python tools/render_screens.py compare OLD_DIR NEW_DIR [--diff-dir DIR]

APP is an app of ``tools/screenkit/apps/`` (``dashboard``, ``notebooks``, ...) or a path to an
app ``.py`` file. An app that opens inside the dashboard (Notebooks, Pipelines, Katib) is
rendered in the dashboard's frame: the dashboard is built too, from ``--host-src``/``--host-tag``.
The tool takes the app's front end out of the upstream repository at TAG (a local clone, a
bare mirror or a git URL; nothing is copied into this repository), builds it in a throw-away
directory, serves it from a stub back end that answers from data/sample-data.yml, and renders
the screens of data/screens.yml whose ``app`` is APP in Debian's Chromium: frozen clock, UTC,
en-US, fixed viewport and scale, no request off 127.0.0.1 (Google Fonts are answered from the
pinned ``@fontsource`` packages). It writes each image to its ``output`` (lossless WebP), a
record ``APP-record.json`` next to them, and compares every image with the one it replaced
(the version-bump report, diff images in .cache/screens/APP/).

Each step prints its number and time. Exit status: 0 done; 1 a step failed (named, with its
reason, no traceback); 2 bad options. Author's entry point: ``make screens-dashboard``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenkit import report  # noqa: E402
from screenkit.runner import add_render_arguments, load_app, render  # noqa: E402
from screenkit.steps import Problem  # noqa: E402


def compare_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python tools/render_screens.py compare",
                                     description="Compare two folders of screenshots (the version-bump report).")
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--diff-dir", type=Path, help="write NAME-diff.png for changed shots here")
    parser.add_argument("--labels", nargs=2, default=("before", "after"), metavar=("OLD", "NEW"))
    args = parser.parse_args(argv)
    for folder in (args.old, args.new):
        if not folder.is_dir():
            print(f"error: {folder}: no such directory", file=sys.stderr)
            return 2
    rows = report.compare_sets(report.folder_pairs(args.old, args.new), args.diff_dir, tuple(args.labels))
    print(report.format_report(rows, f"{args.labels[0]} ({args.old}) vs {args.labels[1]} ({args.new}):"))
    if args.diff_dir:
        report.write_json(rows, args.diff_dir / "report.json")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "compare":
        return compare_main(argv[1:])
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        print("error: name the app first (e.g. dashboard)", file=sys.stderr)
        return 2
    try:
        app = load_app(argv[0])
        parser = argparse.ArgumentParser(prog=f"python tools/render_screens.py {argv[0]}",
                                         description=f"Render the {app.title} screens of data/screens.yml.")
        add_render_arguments(parser, app)  # loads the app's host too (--host-src, --host-tag)
    except Problem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv[1:])
    if not 0.5 <= args.scale <= 4:
        parser.error("--scale must be 0.5-4")
    return render(app, args)


if __name__ == "__main__":
    sys.exit(main())
