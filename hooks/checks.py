"""MkDocs adapter for the source checks (kfguide.checks.run_checks): links, anchors, images,
dropped files and kfui snippets, reported as ``path:line: [check-id] message (hint)``.

When the checks run: once per build, in the on_post_build of the *last* language build.
static-i18n builds the other languages inside the default build's on_post_build (priority
-100), so the usual "priority -200 in the default build" slot comes after every nested build,
and it is never reached when a nested build aborts on one of MkDocs' own strict warnings (then
our findings would be lost). The last language build's on_post_build is always reached (MkDocs
counts warnings only after it), every page of every language has been rendered by then, and a
warning logged there still fails ``--strict``.

What the checks read: the Markdown sources from docs_dir (each file parsed once, cached by
mtime, so ``mkdocs serve`` rebuilds rescan only edited files), files that plugins and hooks
add to the build (generated figures, pages), and the ids of every rendered page
(on_page_content), so ids that only exist after rendering count.

Each finding is logged once as a WARNING under ``mkdocs.plugins.`` (so ``--strict`` fails),
plus a GitHub annotation under ``GITHUB_ACTIONS=true``. The JSON report goes to
``$KFGUIDE_REPORT`` (default ``reports/checks.json`` next to mkdocs.yml; empty to skip).
``KFGUIDE_CHECKS=0`` turns the hook off (benchmarks measure the build without it).

The Korean style check (kfguide.checks.style) runs with the others in ``mkdocs build``; its
analyses are cached on disk (.cache/kfguide/), so only a cold cache loads the Kiwi model.
Under ``mkdocs serve`` it never delays a rebuild: it runs in a background thread, only on
pages whose text changed since the server started (``style_scope="changed"``), with Kiwi in a
child process (it holds the GIL for seconds), and logs its findings when done; the model loads
on the first such edit, not at start-up.
``KFGUIDE_STYLE=0`` leaves it out (bench/style.py measures the build without it).
"""

from __future__ import annotations

import os
import queue
import re
import sys
import threading
import time
from pathlib import Path

from mkdocs.plugins import event_priority, get_plugin_logger

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kfguide.checks import run_checks  # noqa: E402
from kfguide.model import memo  # noqa: E402
from kfguide.model.site import SiteConfig, add_ids, load_site, read_page  # noqa: E402
from kfguide.report.printer import Report  # noqa: E402
from kfguide.report.runner import generated_files  # noqa: E402

log = get_plugin_logger(__name__)

_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")

# Per run (reset in the default build's on_pre_build):
_generated: set[str] = set()  # docs paths added by plugins/hooks without a file in docs_dir
_rendered_ids: dict[str, set[str]] = {}  # page source path -> ids in its rendered HTML


# MkDocs may re-execute this file on a serve rebuild (module state lost); what must outlive a
# rebuild (the serve flag, the style queue and its thread) lives in a process-wide store.
_session = memo.store("checks-session", maxsize=8)


def _serving() -> bool:
    return bool(_session.get("serve"))


def _disabled() -> bool:
    return os.environ.get("KFGUIDE_CHECKS", "1") == "0"


def _style_enabled() -> bool:
    return os.environ.get("KFGUIDE_STYLE", "1") != "0"


def on_startup(command, dirty):
    _session.put("serve", command == "serve")


def _i18n(config):
    return config.plugins.get("i18n")


def _is_last_build(config) -> bool:
    i18n = _i18n(config)
    if i18n is None:
        return True
    if getattr(i18n.config, "build_only_locale", None):
        return not i18n.building
    others = [lang for lang in i18n.build_languages if lang != i18n.default_language]
    last = others[-1] if others else i18n.default_language
    return i18n.current_language == last


def _site_config(config) -> SiteConfig:
    i18n = _i18n(config)
    kwargs = {"use_directory_urls": bool(config.use_directory_urls)}
    if i18n is None:
        kwargs.update(i18n=False, languages=("ko",), default_language="ko")
    else:
        kwargs["languages"] = tuple(i18n.build_languages)
        kwargs["default_language"] = i18n.default_language
        kwargs["fallback_to_default"] = bool(i18n.config.fallback_to_default)
    kwargs["style_scope"] = "changed" if _serving() else "all"
    return SiteConfig(**kwargs)


def on_pre_build(config):
    i18n = _i18n(config)
    if i18n is None or not i18n.building:
        _generated.clear()
        _rendered_ids.clear()


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
            # MkDocs dies with a traceback on a page that is not UTF-8 text, and needs minutes
            # for a multi-megabyte page: leave such pages out of the build; their page-encoding,
            # page-binary or page-too-large finding is reported with the others.
            doc, found = read_page(Path(file.abs_src_path), file.src_uri)
            if doc is None or any(f.check == "page-too-large" for f in found):
                files.remove(file)
    return files


@event_priority(-200)  # after every other hook changed the page HTML
def on_page_content(html, page, config, files):
    if not _disabled():
        _rendered_ids.setdefault(page.file.src_uri, set()).update(_ID.findall(html))
    return html


@event_priority(-50)
def on_post_build(config):
    if _disabled() or not _is_last_build(config):
        return
    started = time.perf_counter()
    report = Report(docs_prefix=_docs_prefix(config))
    try:
        site = load_site(config.docs_dir, _site_config(config), generated_files() | _generated,
                         root=Path(config.config_file_path).parent)
        add_ids(site, _rendered_ids)
        report.extend(run_checks(site, style=_style_enabled() and not _serving()))
    except Exception as exc:  # noqa: BLE001 - a bug in the checks must not hide the build's result
        log.error(f"the checks failed: {type(exc).__name__}: {exc} (run `python -m kfguide check` for details)")
        return
    seconds = time.perf_counter() - started
    report.summaries["checks"] = {"pages": len(site.pages), "files": len(site.files), "seconds": round(seconds, 3)}
    report.emit(log)
    log.info(f"{len(report.unique())} findings in {len(site.pages)} pages ({seconds:.2f} s)")
    target = os.environ.get("KFGUIDE_REPORT", "reports/checks.json")
    if target:
        path = Path(target)
        if not path.is_absolute():
            path = Path(config.config_file_path).parent / path
        report.write_json(path)
    if _serving() and _style_enabled():
        _style_in_background(site, Path(config.config_file_path).parent, _docs_prefix(config))


# --- mkdocs serve: the style check off the rebuild's path ------------------------------------

def _style_in_background(site, root: Path, docs_prefix: str) -> None:
    """Queue a style check of the pages changed since the last one; one daemon thread runs
    them in order (a reload never waits for it, and stopping the server never waits either)."""
    jobs = _session.get("style-jobs")
    if jobs is None:
        jobs = queue.Queue()
        _session.put("style-jobs", jobs)
    jobs.put((site, root, docs_prefix))
    worker = _session.get("style-worker")
    if worker is None or not worker.is_alive():
        worker = threading.Thread(target=_style_loop, args=(jobs,), name="kfguide-style", daemon=True)
        _session.put("style-worker", worker)
        worker.start()


def _style_loop(jobs: queue.Queue) -> None:
    while True:
        site, root, docs_prefix = jobs.get()
        while not jobs.empty():  # several saves queued: the newest site is enough
            site, root, docs_prefix = jobs.get()
        style_check(site, root, docs_prefix)


def style_check(site, root: Path, docs_prefix: str) -> list:
    """The style check of ``site`` as serve runs it, its findings logged (and returned)."""
    from kfguide.checks import style  # noqa: PLC0415 - only under serve

    try:
        found = style.check_style(site, root=root)
    except Exception as exc:  # noqa: BLE001 - a bug in the style check must not stop serve
        log.error(f"the style check failed: {type(exc).__name__}: {exc}")
        return []
    report = Report(docs_prefix=docs_prefix)
    report.extend(found)
    report.emit(log)
    run = style.LAST_RUN
    if run.get("pages"):
        log.info(f"style: {run['pages']} changed page(s), {len(report.unique())} findings "
                 f"({run['seconds']:.2f} s{', Kiwi loaded' if run.get('load_seconds') else ''})")
    return found


def _docs_prefix(config) -> str:
    root = Path(config.config_file_path).resolve().parent
    try:
        return Path(config.docs_dir).resolve().relative_to(root).as_posix() + "/"
    except ValueError:
        return "docs/"
