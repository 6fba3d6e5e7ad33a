"""MkDocs adapter for the source checks (kfguide.site.run_checks): links, anchors, images,
dropped files and kfui snippets, reported as ``path:line: [check-id] message (hint)``.

The checks read the Markdown sources, not the built HTML, so they run once per build in the
default language's on_post_build at priority -50: after the other hooks, but *before*
static-i18n's on_post_build (-100) starts the nested builds of the other languages (which skip
the checks: ``i18n.building`` is true there). Running before the nested builds matters: when a
nested build aborts on one of MkDocs' own strict warnings, an on_post_build at -200 never runs
and the findings would be lost. Each finding is logged once as a WARNING under
``mkdocs.plugins.`` so ``mkdocs build --strict`` fails. The JSON report goes to
``$KFGUIDE_REPORT`` (default ``reports/checks.json`` next to mkdocs.yml; empty to skip).
``KFGUIDE_CHECKS=0`` turns the hook off (benchmarks measure the build without it).
Pages are read from docs_dir once per run and cached by mtime, so ``mkdocs serve`` rebuilds
only rescan edited files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.plugins import event_priority, get_plugin_logger

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kfguide.findings import Report  # noqa: E402
from kfguide.site import SiteConfig, generated_files, load_site, read_page, run_checks  # noqa: E402

log = get_plugin_logger(__name__)

# docs paths that plugins or hooks add to the build without a file in docs_dir
_generated: set[str] = set()


def _site_config(config) -> SiteConfig:
    i18n = config.plugins.get("i18n")
    kwargs = {"use_directory_urls": bool(config.use_directory_urls)}
    if i18n is None:
        kwargs.update(i18n=False, languages=("ko",), default_language="ko")
    else:
        langs = [lang for lang in i18n.config.languages if lang.build]
        kwargs["languages"] = tuple(lang.locale for lang in langs)
        kwargs["default_language"] = i18n.default_language
        kwargs["fallback_to_default"] = bool(i18n.config.fallback_to_default)
    return SiteConfig(**kwargs)


@event_priority(-50)  # after other hooks add files, before static-i18n (-100) replaces them
def on_files(files, config):
    if _disabled():
        return files
    docs = Path(config.docs_dir)
    for file in list(files):
        if getattr(file, "generated_by", None) or not file.abs_src_path \
                or not Path(file.abs_src_path).is_relative_to(docs):
            _generated.add(file.src_uri)
        elif file.is_documentation_page():
            # MkDocs dies with a traceback on a page that is not UTF-8 text: leave it out of
            # the build; its page-encoding / page-binary finding is reported with the others.
            doc, _ = read_page(Path(file.abs_src_path), file.src_uri)
            if doc is None:
                files.remove(file)
    return files


@event_priority(-50)
def on_post_build(config):
    if _disabled():
        return
    i18n = config.plugins.get("i18n")
    if i18n is not None and (i18n.building or i18n.current_language != i18n.default_language):
        return  # a nested language build: the default build already ran the checks
    site = load_site(config.docs_dir, _site_config(config), generated_files() | _generated)
    report = Report(docs_prefix=_docs_prefix(config))
    report.extend(run_checks(site))
    report.emit(log)
    target = os.environ.get("KFGUIDE_REPORT", "reports/checks.json")
    if target:
        path = Path(target)
        if not path.is_absolute():
            path = Path(config.config_file_path).parent / path
        report.write_json(path)


def _disabled() -> bool:
    return os.environ.get("KFGUIDE_CHECKS", "1") == "0"


def _docs_prefix(config) -> str:
    root = Path(config.config_file_path).resolve().parent
    try:
        return Path(config.docs_dir).resolve().relative_to(root).as_posix() + "/"
    except ValueError:
        return "docs/"
