"""MkDocs adapter for the glossary (kfguide.checks.glossary, kfguide.builders.glossary_page) and
the spelling check (kfguide.checks.spelling).

* on_page_markdown: the glossary pages (glossary.md, glossary.en.md) get their entries
  generated from data/glossary.yml in place of the marker line; every other page gets the
  tooltip links on the first use of each term. The data file is re-read whenever it changes
  (mtime), so `mkdocs serve` (which watches data/) shows an edit on the next rebuild and no
  copy of the glossary is ever kept in docs/.

The glossary's own problems and the [term] spelling check are registered checks
(kfguide.checks.glossary, kfguide.checks.spelling): hooks/checks.py reports them with every
other finding, in the build and in ``python -m kfguide check`` alike. A glossary that cannot
be read gives no entries and no tooltips here; the check says why.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority, get_plugin_logger

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kfguide.builders import glossary_page  # noqa: E402
from kfguide.checks import glossary  # noqa: E402
from kfguide.model import memo  # noqa: E402

log = get_plugin_logger(__name__)

_cache: dict[str, object] = {}
_linked = memo.store("glossary-first-uses", maxsize=4096)  # outlives the hook module (serve)
_session = memo.store("glossary-session", maxsize=4)


def on_startup(command, dirty):
    _session.put("serve", command == "serve")


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _data_file(config) -> Path:
    return _root(config) / glossary.DATA_PATH


def _load(config):
    """(terms, findings), re-read when the data file or docs_dir changes."""
    path = _data_file(config)
    try:
        stamp = (str(path), path.stat().st_mtime_ns, str(config.docs_dir))
    except OSError:
        stamp = (str(path), None, str(config.docs_dir))
    if _cache.get("stamp") != stamp:
        terms, findings = glossary.load(path, root=_root(config))
        _cache.update(stamp=stamp, terms=terms, findings=findings, titles={},
                      terms_key=memo.digest(repr(terms)))
    return _cache["terms"], _cache["findings"]


def _titles(config, lang: str):
    titles = _cache.setdefault("titles", {})
    if lang not in titles:
        titles[lang] = glossary_page.page_titles(config.docs_dir, lang)
    return titles[lang]


def _lang(src_uri: str) -> str:
    return "en" if src_uri.endswith(".en.md") else "ko"


def _building_other_language(config) -> bool:
    i18n = config.plugins.get("i18n")
    return bool(i18n is not None and getattr(i18n, "building", False))


def on_pre_build(config):
    _cache.pop("stamp", None)  # re-read data and page titles on every (re)build
    if not _building_other_language(config) and not _session.get("serve"):
        # The linked pages of the previous build (.cache/kfguide/glossary-links.json): a fresh
        # `mkdocs build` links only the pages whose Markdown, glossary or code changed. Under
        # `mkdocs serve` the process's own store does that, and a rebuild reads and writes no file.
        _cache["disk"] = memo.disk_store(_root(config), "glossary-links",
                                         load=lambda v: v if isinstance(v, str) else None)


@event_priority(-200)  # after static-i18n built every language
def on_post_build(config):
    if not _building_other_language(config) and "disk" in _cache:
        _cache.pop("disk").save()


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    terms, _ = _load(config)
    lang = _lang(src)
    if Path(src).name in glossary.GLOSSARY_PAGES.values():
        return glossary_page.fill_page(markdown, glossary_page.render_page(terms, lang, _titles(config, lang)))
    # The same page with the same terms links the same way: under `mkdocs serve` only the pages
    # that changed (or all of them, when a term changed) are linked again.
    href = glossary_page.glossary_href(src)
    key = (memo.digest(markdown), _cache["terms_key"], lang, href)
    return memo.recall(_linked, key, _cache.get("disk"),
                       lambda: glossary_page.link_first_uses(markdown, terms, lang, href))

