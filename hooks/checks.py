"""MkDocs adapter for the checks (kfguide.checks.run_checks: every registered check, the same
set ``python -m kfguide check`` runs), reported as ``path:line: [check-id] message (hint)``.

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

Bad input never stops the build with a traceback; it becomes a finding and the build goes on:

* on_files leaves out symlinks that point at nothing, loop or lead out of docs/ (so nothing
  outside the docs folder is published) and pages over the size budget;
* on_page_read_source gives MkDocs readable text for a page that is not UTF-8 (UTF-16
  decoded, bad bytes replaced, binary left out), so ``mkdocs serve`` keeps serving while the
  author fixes it;
* on_page_markdown escapes a snippet include that would fail (``;--8<--``): pymdownx.snippets
  shows the line instead of raising SnippetMissingError.

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
from kfguide.model import snippets as snippets_mod  # noqa: E402
from kfguide.model.site import (  # noqa: E402
    SiteConfig, add_ids, decode_page, load_site, readable_text, snippets_for, walk_docs,
)
from kfguide.report.printer import Report  # noqa: E402
from kfguide.report.runner import generated_files, summaries  # noqa: E402

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


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


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
    if "pymdownx.snippets" in config.markdown_extensions:
        options = config.mdx_configs.get("pymdownx.snippets", {}) or {}
        bases = options.get("base_path", ["."])
        kwargs["snippet_bases"] = tuple([bases] if isinstance(bases, str) else bases)
        kwargs["snippet_restrict"] = bool(options.get("restrict_base_path", True))
    else:
        kwargs["snippet_bases"] = ()
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
    bad_links = []
    for _ in walk_docs(docs, bad_links):
        pass
    # MkDocs would copy what a bad symlink points at (or fail on it): leave such files out,
    # and everything MkDocs found below a looping or outside folder link.
    bad = tuple(link.path for link in bad_links)
    budget = _site_config(config).page_budget
    for file in list(files):
        if getattr(file, "generated_by", None) or not file.abs_src_path \
                or not Path(file.abs_src_path).is_relative_to(docs):
            _generated.add(file.src_uri)
            continue
        if file.src_uri in bad or file.src_uri.startswith(tuple(b + "/" for b in bad)):
            files.remove(file)
        elif file.is_documentation_page():
            # MkDocs needs minutes for a multi-megabyte page: leave it out; its page-too-large
            # finding is reported with the others.
            try:
                size = Path(file.abs_src_path).stat().st_size
            except OSError:
                files.remove(file)
                continue
            if size > budget:
                files.remove(file)
    return files


def on_page_read_source(page, config):
    """Readable text for a page that is not UTF-8 (None: MkDocs reads it itself)."""
    if _disabled() or not page.file.abs_src_path:
        return None
    try:
        raw = Path(page.file.abs_src_path).read_bytes()
    except OSError:
        return ""  # the page-unreadable finding says why
    if decode_page(raw)[1] is None:
        return None
    return readable_text(raw)


@event_priority(100)  # before every other hook changes the Markdown
def on_page_markdown(markdown, page, config, files):
    """Escape what would stop or stall the build, without changing what the page shows:

    * snippet includes that would fail (missing, outside, unreadable, an unclosed block) get
      pymdownx.snippets' own escape ``;``; the checks report each at its line;
    * an HTML comment opener that never closes is written ``&lt;!--``, which is exactly how
      Python-Markdown shows it; thousands of them made MkDocs' own HTML scan quadratic (each
      searched the rest of the page for ``-->``).
    """
    if _disabled():
        return markdown
    if "<!--" in markdown:
        markdown = _escape_unclosed_comments(markdown)
    if "8<" not in markdown or "pymdownx.snippets" not in config.markdown_extensions:
        return markdown
    snippets = snippets_for(_site_config(config), _root(config))
    if snippets is None:
        return markdown
    lines = markdown.split("\n")
    expanded = snippets_mod.expand(lines, snippets)
    if not expanded.problems:
        return markdown
    for number in sorted({p.line for p in expanded.problems}):
        index = number - 1
        if index >= len(lines):
            continue
        if snippets_mod.is_include(lines[index]):
            _escape(lines, index)
            continue
        # a name inside a block: escape the block's opening and closing markers
        above = next((k for k in range(index - 1, -1, -1) if _is_marker(lines[k])), None)
        below = next((k for k in range(index + 1, len(lines)) if _is_marker(lines[k])), None)
        for k in (above, below):
            if k is not None:
                _escape(lines, k)
    return "\n".join(lines)


def _escape_unclosed_comments(markdown: str) -> str:
    from kfguide.model.markdown import scan

    offsets = scan(markdown).unclosed_comments
    if not offsets:
        return markdown
    parts: list[str] = []
    done = 0
    for offset in sorted(set(offsets)):
        if markdown.startswith("<!--", offset):
            parts.append(markdown[done:offset])
            parts.append("&lt;!--")
            done = offset + 4
    parts.append(markdown[done:])
    return "".join(parts)


def _is_marker(line: str) -> bool:
    return snippets_mod.is_include(line) and line.strip().replace("-", "").replace("8<", "") == ""


def _escape(lines: list[str], index: int) -> None:
    line = lines[index]
    stripped = line.lstrip(" \t")
    if not stripped.startswith(";"):
        lines[index] = line[: len(line) - len(stripped)] + ";" + stripped


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
        site = load_site(config.docs_dir, _site_config(config), generated_files() | _generated, root=_root(config))
        add_ids(site, _rendered_ids)
        report.extend(run_checks(site, style=_style_enabled() and not _serving()))
        report.summaries.update(summaries(site))
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
            path = _root(config) / path
        try:
            report.write_json(path)
        except OSError as exc:
            log.error(f"cannot write the checks report to {target}: {exc.strerror} (KFGUIDE_REPORT)")
    if _serving() and _style_enabled():
        _style_in_background(site, _root(config), _docs_prefix(config))


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
    root = _root(config)
    try:
        return Path(config.docs_dir).resolve().relative_to(root).as_posix() + "/"
    except ValueError:
        return "docs/"
