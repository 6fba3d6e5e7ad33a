"""MkDocs adapter for kfguide.builders.search_ko: Korean-aware search index.

static-i18n writes one merged ``search/search_index.json`` for all languages in its own
post-build; this hook runs once after that (priority -200, skipped while i18n is still
building a language), sets the particle-aware separator and adds compound/variant forms
(see kfguide/builders/search_ko.py), then splits the index by language: Korean entries stay in
``search/search_index.json``, English ones go to ``en/search/search_index.json`` (the English
pages' ``__config`` base points at ``en/``: hooks/site_fixes.py). ``KFGUIDE_SEARCH_KO=off``
skips the Korean forms only (the benchmark's baseline). It logs the sizes at INFO level.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from mkdocs.plugins import event_priority, get_plugin_logger

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kfguide.builders import search_ko  # noqa: E402
from kfguide.model import memo, yamlsafe  # noqa: E402

log = get_plugin_logger(__name__)
#: The lexicon per glossary text (read-only once built): `mkdocs serve` rebuilds on every save.
_LEXICONS = memo.store("search-ko-lexicon", maxsize=4)
_session = memo.store("search-ko-session", maxsize=4)


def on_startup(command, dirty):
    _session.put("serve", command == "serve")


def _lexicon(config) -> search_ko.Lexicon:
    glossary = Path(config.config_file_path or ROOT / "mkdocs.yml").parent / "data" / "glossary.yml"
    try:
        text = glossary.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return search_ko.Lexicon()  # the glossary check reports it
    found = _LEXICONS.get(text)
    if found is None:
        data, problem = yamlsafe.load(text, max_depth=8)
        if problem is not None or not isinstance(data, dict):
            return search_ko.Lexicon()  # the glossary check reports it, at its line
        found = search_ko.glossary_lexicon(data)
        _LEXICONS.put(text, found)
    return found


@event_priority(-200)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return
    site_dir = Path(config.site_dir)
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return
    before = path.stat().st_size
    index = json.loads(path.read_text(encoding="utf-8"))
    # bench/search_recall.py builds once with Material's own tokens for its baseline.
    if os.environ.get("KFGUIDE_SEARCH_KO") != "off":
        started = time.process_time()  # CPU time: the figure bench/run.py reads, steady on a busy machine
        # The forms of the previous build (.cache/kfguide/search-forms.json) for a fresh `mkdocs
        # build`; under `mkdocs serve` the process's own store keeps them, and no file is read.
        root = None if _session.get("serve") else Path(config.config_file_path or ROOT / "mkdocs.yml").parent
        stored = memo.disk_store(root, "search-forms", load=search_ko.load_forms)
        index, stats = search_ko.augment_index(index, _lexicon(config), stored=stored)
        stored.save()
        log.info(
            f"Korean search: {stats.forms} extra forms in {stats.augmented} of {stats.entries} "
            f"entries ({time.process_time() - started:.2f} s)"
        )
    folders = {}
    if i18n is not None:
        folders = {
            lang.link.strip("/"): lang.locale
            for lang in i18n.config.languages
            if lang.build and not lang.default and lang.link.strip("/")
        }
    sizes = []
    for folder, part in search_ko.split_by_language(index, folders).items():
        target = site_dir / folder / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        # Same compact form Material writes.
        target.write_text(json.dumps(part, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        sizes.append(f"{target.relative_to(site_dir).as_posix()} {target.stat().st_size / 1024:.1f} KiB "
                      f"({len(part['docs'])} entries)")
    log.info(f"search index {before / 1024:.1f} KiB (merged) -> " + ", ".join(sizes))
