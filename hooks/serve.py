"""The author's loop under ``mkdocs serve``: notice a save at once, redo only what changed.

* on_serve: MkDocs watches files with a polling observer that looks every 0.5 s, so a save
  waits 0.25 s on average before the rebuild even starts. The watched paths move to watchdog's
  native observer (inotify on Linux), which reports a save within milliseconds. Where no
  native observer can start (no inotify instances left, an unsupported file system), the
  polling observer stays. Only events that change a file count (the build itself reads the
  watched files; a native observer reports reads too), and the quiet time MkDocs waits for
  before it rebuilds drops from 0.1 to 0.05 s.
* on_page_markdown (last of all hooks) under ``mkdocs serve``: a page whose Markdown converts
  exactly as in an earlier build is not converted again; MkDocs' ``Page.render`` is answered
  from a store keyed by everything the conversion reads (see :func:`_render_key`): the final
  Markdown after every hook, the page's source and destination, the Markdown extensions and
  their settings, mkdocs.yml, the language, every file's source and URL (links resolve
  against them) and the contents of the snippet folders. Whatever a conversion sets on the
  page (HTML, table of contents, title, anchor ids, links to anchors) is restored, and the
  warnings it logged are logged again, so an unchanged page with a broken link still warns on
  every rebuild. A save re-converts the saved page (in each language that shows it); a
  glossary edit changes the tooltips in the Markdown of the pages that use the term; a
  snippet edit changes the snippets key of every page.
* on_page_context under ``mkdocs serve``: Material's search plugin parses every page's HTML
  into index entries on every build; a page whose HTML, table of contents, URL, title and
  metadata are unchanged gets the entries of the earlier build (same store and same rule).
* on_config, in every build: the theme's Jinja templates are compiled once, not once per
  language per build: a bytecode cache keyed by template name and *source checksum* (so an
  edited template in overrides/ is compiled again; jinja2.BytecodeCache checks the checksum
  itself), in memory and in ``.cache/kfguide/jinja/`` for the next process (see
  :class:`_BytecodeCache`); and the theme's file listing skips dot folders (see
  :class:`_ThemeLoader`).

Nothing here changes what a build produces. ``KFGUIDE_FAST_SERVE=0`` switches it all off
(bench/serve.py's baseline).
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import shutil
import sys
import types
from pathlib import Path

import jinja2
from mkdocs.plugins import event_priority, get_plugin_logger

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kfguide.model import memo  # noqa: E402

log = get_plugin_logger(__name__)


def _enabled() -> bool:
    return os.environ.get("KFGUIDE_FAST_SERVE", "1") != "0"


class _BytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in a process-wide store (kfguide.model.memo) and, with a
    ``folder``, in one file per template there, so a fresh ``mkdocs build`` compiles only the
    templates that changed. Jinja itself rejects a file whose magic (Jinja's format and the
    Python version) or source checksum is not the template's; the folder's name is a digest of
    everything else the compiled code depends on (:func:`_bytecode_folder`)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.store = memo.store("jinja-bytecode", maxsize=1024)
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get((bucket.key, bucket.checksum))
        from_disk = data is None and self.folder is not None
        if from_disk:
            try:
                data = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # noqa: BLE001 - a damaged file: compile the template again
            bucket.reset()
        if from_disk and bucket.code is not None:
            self.store.put((bucket.key, bucket.checksum), data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.store.put((bucket.key, bucket.checksum), data)
        if self.folder is None:
            return
        try:
            memo.write_atomic(self.folder / bucket.key, data)
        except OSError:
            pass  # the files only save time


def _bytecode_folder(root: Path, env: jinja2.Environment) -> Path:
    """``.cache/kfguide/jinja/<digest>``: the digest covers the versions of Jinja, MkDocs and
    the theme and the environment's settings, which the compiled code depends on besides the
    template source; folders of other digests are removed (one set of files is kept)."""
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for name in ("jinja2", "mkdocs", "mkdocs-material"):
        try:
            versions.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}=?")
    settings = [f"{k}={getattr(env, k, None)!r}" for k in (
        "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
        "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
        "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized")]
    settings.append("autoescape=" + _stable(env.autoescape))
    settings.append("extensions=" + ",".join(sorted(env.extensions)))
    base = root / memo.DISK_FOLDER / "jinja"
    folder = base / memo.digest(sys.version, versions, settings)
    if base.is_dir() and not folder.is_dir():
        for other in base.iterdir():
            if other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
    return folder


# --- the render cache ---------------------------------------------------------------------------

#: What MkDocs 1.6's Page.render sets on the page; tests/test_serve_cache.py checks the list
#: against MkDocs' source, so an MkDocs update that sets more fails the tests, not the reader.
RENDER_SETS = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")

_session = memo.store("serve-session", maxsize=4)
_renders = memo.store("page-renders", maxsize=4096)
_build: dict[str, str] = {}  # per build: fingerprints of the files and of the config
_counts: dict[str, int] = {}  # per build (all languages): pages rendered / answered from the store


def on_startup(command, dirty):
    # Called once per process, on the first configuration; hook modules loaded for later
    # rebuilds read the flag from the store, which outlives them.
    _session.put("serve", command == "serve")


def _serving() -> bool:
    return bool(_session.get("serve")) and _enabled()


def _stable(value) -> str:
    """repr() without memory addresses (Markdown extension settings hold functions)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_stable(k)}:{_stable(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "[" + ",".join(_stable(v) for v in items) + "]"
    if isinstance(value, functools.partial):
        return f"partial({_stable(value.func)},{_stable(value.args)},{_stable(value.keywords)})"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return repr(value)


def _snippets_digest(config) -> str:
    settings = (config.mdx_configs or {}).get("pymdownx.snippets", {})
    bases = settings.get("base_path", ["."])
    bases = [bases] if isinstance(bases, str) else list(bases)
    root = Path(config.config_file_path or ".").resolve().parent
    parts = []
    for base in bases:
        path = Path(base)
        for folder in (path if path.is_absolute() else Path.cwd() / path, root / path):
            if folder.is_file():
                parts.append(f"{folder}\0{memo.digest(folder.read_bytes())}")
            elif folder.is_dir():
                for file in sorted(folder.rglob("*")):
                    if file.is_file():
                        parts.append(f"{file}\0{memo.digest(file.read_bytes())}")
    return memo.digest(parts)


@event_priority(-1000)  # after every hook and plugin changed the file list
def on_files(files, config):
    if not _serving():
        return files
    i18n = config.plugins.get("i18n")
    config_file = Path(config.config_file_path) if config.config_file_path else None
    _build["files"] = memo.digest(
        f"{f.src_uri}\0{f.dest_uri}\0{f.url}\0{f.inclusion}" for f in sorted(files, key=lambda f: f.src_uri)
    )
    _build["config"] = memo.digest(
        config_file.read_bytes() if config_file and config_file.is_file() else b"",
        _stable(config.markdown_extensions), _stable(config.mdx_configs or {}),
        _stable(config.validation), str(config.site_url), str(config.use_directory_urls),
        str(getattr(i18n, "current_language", "")), _snippets_digest(config),
    )
    return files


def _render_key(markdown: str, page) -> str:
    return memo.digest(markdown, page.file.src_uri, page.file.dest_uri, page.url,
                       _build.get("files", ""), _build.get("config", ""))


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _render(page, config, files, *, key: str, original):
    found = _renders.get(key)
    _counts["pages"] = _counts.get("pages", 0) + 1
    if found is not None:
        _counts["reused"] = _counts.get("reused", 0) + 1
        state, records = found
        for name, value in state.items():
            if name == "links_to_anchors" and value is not None:
                value = {files.get_file_from_path(src): dict(links) for src, links in value.items()}
                value.pop(None, None)
            setattr(page, name, copy.deepcopy(value) if name != "links_to_anchors" else value)
        for record in records:
            logging.getLogger(record.name).handle(record)
        return
    capture = _Capture()
    loggers = [logging.getLogger("mkdocs"), logging.getLogger()]
    for logger in loggers:
        logger.addHandler(capture)
    try:
        original(config, files)
    finally:
        for logger in loggers:
            logger.removeHandler(capture)
    state = {name: copy.deepcopy(getattr(page, name, None)) for name in RENDER_SETS if name != "links_to_anchors"}
    links = getattr(page, "links_to_anchors", None)
    state["links_to_anchors"] = None if links is None else {f.src_uri: dict(v) for f, v in links.items()}
    seen: set[int] = set()
    records = [r for r in capture.records if not (id(r) in seen or seen.add(id(r)))]
    _renders.put(key, (state, records))


@event_priority(-1000)  # the Markdown as every other hook left it
def on_page_markdown(markdown, page, config, files):
    if _serving() and "files" in _build:
        page.render = types.MethodType(
            functools.partial(_render, key=_render_key(markdown, page), original=page.render), page
        )
    return markdown


class _ThemeLoader(jinja2.FileSystemLoader):
    """The theme's template loader, listing its files without descending into dot folders.

    MkDocs lists every file of the theme on each build (``Files.add_files_from_theme``) and
    drops every path with a part that starts with a dot; Material keeps its ~14,000 icons in
    ``.icons/``, so most of the listing (twice per build, once per language) was thrown away.
    Templates load exactly as with jinja2.FileSystemLoader.
    """

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for filename in filenames:
                    name = os.path.join(dirpath, filename)[len(searchpath):].strip(os.path.sep)
                    found.add(name.replace(os.path.sep, "/"))
        return sorted(found)


@event_priority(100)  # before other plugins ask the theme for an environment (Material's search)
def on_config(config):
    if not _enabled():
        return config
    theme = config.theme
    make_env = theme.get_env

    def get_env():
        env = make_env()
        if type(env.loader) is jinja2.FileSystemLoader:
            loader = env.loader
            env.loader = _ThemeLoader(loader.searchpath, loader.encoding, loader.followlinks)
        if env.bytecode_cache is None:
            root = Path(config.config_file_path).resolve().parent if config.config_file_path else None
            env.bytecode_cache = _BytecodeCache(_bytecode_folder(root, env) if root is not None else None)
        return env

    theme.get_env = get_env
    return config


# --- Material's search entries -----------------------------------------------------------------

_entries = memo.store("search-entries", maxsize=4096)


def _toc_state(toc) -> str:
    out = []

    def walk(items, depth):
        for item in items:
            out.append(f"{depth}\0{item.id}\0{item.url}\0{item.title}")
            walk(item.children, depth + 1)

    walk(toc or [], 0)
    return "\n".join(out)


def _add_entry_cached(index, page, *, original):
    """Material's SearchIndex.add_entry_from_context, answered from a store when the page's
    HTML, table of contents, URL, title and metadata are what an earlier build indexed."""
    key = memo.digest(page.content or "", _toc_state(page.toc), page.url, str(page.title),
                      _stable(page.meta), _build.get("config", ""))
    found = _entries.get(key)
    if found is None:
        before = len(index.entries)
        original(page)
        found = copy.deepcopy(index.entries[before:])
        _entries.put(key, found)
    else:
        index.entries.extend(copy.deepcopy(found))


@event_priority(100)  # before Material's search plugin indexes the page
def on_page_context(context, page, config, nav):
    search = config.plugins.get("material/search")
    index = getattr(search, "search_index", None)
    if _serving() and index is not None and not getattr(index, "_kfguide_cached", False):
        index.add_entry_from_context = functools.partial(
            _add_entry_cached, index, original=index.add_entry_from_context)
        index._kfguide_cached = True
    return context


@event_priority(-1000)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if not _serving() or (i18n is not None and i18n.building) or not _counts:
        return
    pages, reused = _counts.get("pages", 0), _counts.get("reused", 0)
    log.info(f"converted {pages - reused} of {pages} pages; the others are unchanged since an earlier build")
    _counts.clear()


def on_serve(server, config, builder):
    if not _enabled():
        return server
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return server
    if Observer is PollingObserver or not isinstance(server.observer, PollingObserver):
        return server
    # MkDocs has scheduled docs_dir, the config file (and theme dirs with --watch-theme) on its
    # observer; `watch:` paths from mkdocs.yml are added after this event, on whichever
    # observer is in place then. Move the scheduled ones to a native observer.
    paths = dict(getattr(server, "_watched_paths", {}))
    probe = Observer()
    try:  # inotify can fail only when its threads start: try it once on every path
        for path in paths:
            probe.schedule(_Probe(), path, recursive=True)
        probe.start()
    except OSError as exc:
        log.info(f"file watching stays on polling ({exc})")
        return server
    finally:
        if probe.is_alive():
            probe.stop()
            probe.join()
    native = _changes_only(Observer)()
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = native
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
    # MkDocs waits for 0.1 s without events before it rebuilds (a save can be several
    # writes); the native observer reports the writes of one save within a millisecond or two.
    server.build_delay = min(getattr(server, "build_delay", 0.05), 0.05)
    return server


def _changes_only(observer_class):
    """``observer_class`` reporting only events that change a file: a native observer also
    reports every read (opened, closed without writing), and the build reads the watched
    files, which would start the next rebuild."""
    from watchdog import events

    changes = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent,
               events.FileMovedEvent, events.FileClosedEvent]

    class ChangesOnly(observer_class):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **kwargs):
            return super().schedule(event_handler, path, recursive=recursive,
                                    event_filter=event_filter or changes, **kwargs)

    return ChangesOnly


class _Probe:
    """A do-nothing event handler, to try scheduling a path."""

    def dispatch(self, event) -> None:
        pass
