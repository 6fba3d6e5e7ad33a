"""MkDocs adapter for kfguide.search_ko: Korean-aware search index.

static-i18n writes one merged ``search/search_index.json`` for all languages in its own
post-build; this hook runs once after that (priority -200, skipped while i18n is still
building a language), sets the particle-aware separator and adds compound/variant forms
(see kfguide/search_ko.py). ``KFGUIDE_SEARCH_KO=off`` leaves Material's index as it is
(the benchmark's baseline). It logs the index size before and after at INFO level.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority, get_plugin_logger

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kfguide import search_ko  # noqa: E402

log = get_plugin_logger(__name__)


def _lexicon(config) -> search_ko.Lexicon:
    glossary = Path(config.config_file_path or ROOT / "mkdocs.yml").parent / "data" / "glossary.yml"
    if not glossary.is_file():
        return search_ko.Lexicon()
    try:
        data = yaml.safe_load(glossary.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:  # the glossary's own check reports the details
        log.warning(f"data/glossary.yml:0: [search-ko] cannot read the glossary ({exc})")
        return search_ko.Lexicon()
    return search_ko.glossary_lexicon(data)


@event_priority(-200)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return
    path = Path(config.site_dir) / "search" / "search_index.json"
    # bench/search_recall.py builds once with Material's own index for its baseline.
    if os.environ.get("KFGUIDE_SEARCH_KO") == "off" or not path.is_file():
        return
    before = path.stat().st_size
    index = json.loads(path.read_text(encoding="utf-8"))
    index, stats = search_ko.augment_index(index, _lexicon(config))
    # Same compact form Material writes.
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    after = path.stat().st_size
    log.info(
        f"Korean search: {stats.forms} extra forms in {stats.augmented} of {stats.entries} "
        f"entries; search_index.json {before / 1024:.1f} KiB -> {after / 1024:.1f} KiB"
    )
