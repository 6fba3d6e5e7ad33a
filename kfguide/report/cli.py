"""``python -m kfguide check``: every source check without MkDocs.

    python -m kfguide check [--docs docs] [--config mkdocs.yml] [--site site]
                            [--report reports/checks.json] [--external] [--no-style]

Reads the languages and URL style from mkdocs.yml, scans ``docs/`` once, prints every finding
as ``path:line: [check-id] message (hint)`` (stdout), adds GitHub annotations under
``GITHUB_ACTIONS=true``, writes the JSON report and exits 1 when any finding is an error
(warnings alone exit 0). ``--site`` reads the built HTML too, so ids that only exist after
rendering count. ``--external`` (or ``KFGUIDE_EXTERNAL=1``) also checks external links.
The Korean style check runs too, as in the build; ``--no-style`` leaves it out.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from kfguide import ROOT
from kfguide.checks import run_checks
from kfguide.model.findings import ERROR, Finding
from kfguide.model.site import SiteConfig, add_built_ids, load_site, read_mkdocs_yml
from kfguide.report.printer import Report
from kfguide.report.runner import generated_files, summaries

DEFAULT_REPORT = "reports/checks.json"


def _logger(stream) -> logging.Logger:
    log = logging.getLogger("kfguide.report.cli")
    log.handlers.clear()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.INFO)
    return log


def check(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    started = time.perf_counter()
    config_path = Path(args.config)
    config_findings: list[Finding] = []
    if config_path.exists():
        config, docs_dir, problems = read_mkdocs_yml(config_path)
        shown = _shown(config_path)
        config_findings = [Finding(shown, line, "config-invalid", message) for line, message in problems]
        if config is None:
            # nothing else can be read without the languages and folders mkdocs.yml names
            report = Report(docs_prefix="", findings=config_findings)
            report.emit(_logger(out))
            _write_report(report, args.report, err)
            print(f"kfguide check: {shown} cannot be read; nothing else was checked", file=err)
            return 1
        docs = Path(args.docs) if args.docs else config_path.parent / docs_dir
    else:
        if args.config != "mkdocs.yml":
            print(f"{args.config}: no such file", file=err)
            return 2
        config, docs = SiteConfig(), Path(args.docs or "docs")
    if not docs.is_dir():
        print(f"{docs}: not a folder (use --docs)", file=err)
        return 2
    root = config_path.parent if config_path.exists() else Path.cwd()
    site = load_site(docs, config, generated_files(), root=root)
    if args.site:
        if Path(args.site).is_dir():
            add_built_ids(site, args.site)
        else:
            print(f"kfguide check: no built site in {args.site} (run mkdocs build first); "
                  "checking the sources only", file=err)
    external = args.external or os.environ.get("KFGUIDE_EXTERNAL", "") not in ("", "0")
    report = Report(docs_prefix=_docs_prefix(docs))
    report.extend(config_findings)
    style = not args.no_style and os.environ.get("KFGUIDE_STYLE", "1") != "0"  # the build's knob too
    report.extend(run_checks(site, external=external, style=style))
    report.summaries.update(summaries(site))
    report.emit(_logger(out))
    report.summaries["checks"] = {
        "pages": len(site.pages),
        "files": len(site.files),
        "seconds": round(time.perf_counter() - started, 3),
    }
    if not _write_report(report, args.report, err):
        return 2
    data = report.to_json()
    print(f"kfguide check: {len(site.pages)} pages, {data['errors']} errors, {data['warnings']} warnings"
          + (f" (report: {args.report})" if args.report else ""), file=err)
    return 1 if any(f.severity == ERROR for f in report.unique()) else 0


def _write_report(report: Report, target: str, err) -> bool:
    if not target:
        return True
    try:
        report.write_json(Path(target))
    except OSError as exc:
        print(f"kfguide check: cannot write the report to {target}: {exc.strerror or exc} "
              "(choose another path with --report, or --report '' for none)", file=err)
        return False
    return True


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def _docs_prefix(docs: Path) -> str:
    try:
        rel = docs.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        try:
            rel = docs.resolve().relative_to(ROOT)
        except ValueError:
            return docs.as_posix().rstrip("/") + "/"
    return rel.as_posix().rstrip("/") + "/" if rel.as_posix() != "." else ""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kfguide", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="check links, anchors, images, dropped files, kfui snippets and Korean style")
    p.add_argument("--docs", help="docs folder (default: docs_dir from mkdocs.yml)")
    p.add_argument("--config", default="mkdocs.yml", help="mkdocs.yml to read languages from")
    p.add_argument("--site", help="built site folder: ids in the built HTML count too")
    p.add_argument("--report", default=os.environ.get("KFGUIDE_REPORT", DEFAULT_REPORT),
                   help=f"JSON report path (default {DEFAULT_REPORT}; '' for none)")
    p.add_argument("--external", action="store_true", help="also check external links (network)")
    p.add_argument("--no-style", action="store_true",
                   help="leave out the Korean style check (data/style.yml), which loads the Kiwi "
                        "analyser when its cache (.cache/kfguide/) lacks a sentence")
    p.add_argument("--style", action="store_true", help=argparse.SUPPRESS)  # the default since it runs in the build
    p.set_defaults(func=check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
