"""MkDocs adapter for kfguide.builders.translations (stale-translation notices and the summary).

* on_config (after static-i18n has applied the language's overrides): the toc extension's
  ``permalink_title`` (the tooltip of each heading's ¶ link) becomes the language's
  ``extra.permalink_title``. The toc settings are one for every language and static-i18n may
  not override ``markdown_extensions``, so English pages said "이 제목으로 연결되는 링크".
* on_page_markdown: an English page (``*.en.md``) whose Korean source changed since the
  translation was recorded gets ``page.meta["kfguide_translation_notice"] = {title, text}``;
  overrides/partials/stale-translation.html shows it above the content. (Pages with no English
  translation get static-i18n's fallback and the "Not yet translated" banner instead.)
* on_post_build (default language only): logs the summary as INFO, not WARNING (a stale
  translation is not an error), e.g. ``translations: 9 pages, 8 translated, 1 stale, 1 missing``,
  and writes ``reports/translations.json`` (next to $KFGUIDE_REPORT when that is set).
  Other tools read the same data with ``kfguide.builders.translations.status(docs_dir)``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from mkdocs.plugins import event_priority, get_plugin_logger

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kfguide.builders import translations  # noqa: E402

log = get_plugin_logger(__name__)

_cache: dict[str, dict] = {}


@event_priority(-100)  # after static-i18n (0) put this language's extra in place
def on_config(config):
    title = (config.extra or {}).get("permalink_title")
    if title and "toc" in config.mdx_configs:
        config.mdx_configs["toc"]["permalink_title"] = title
    return config


def on_pre_build(config):
    _cache.clear()


def _status(config) -> dict:
    if "status" not in _cache:
        _cache["status"] = translations.status(config.docs_dir)
    return _cache["status"]


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if not src.endswith(f".{translations.TARGET_LANG}.md"):
        return markdown
    detail = translations.by_translation(_status(config)).get(src)
    notice = translations.notice_for(detail["state"]) if detail else None
    if notice:
        page.meta["kfguide_translation_notice"] = notice
    return markdown


@event_priority(-45)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and (i18n.building or i18n.current_language != i18n.default_language):
        return
    st = translations.status(config.docs_dir)
    log.info(translations.summary_line(st))
    target = _report_dir(config)
    if target is not None:
        try:
            target.mkdir(parents=True, exist_ok=True)
            (target / "translations.json").write_text(
                json.dumps({"version": 1, "summaries": {"translations": st}}, ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            log.error(f"cannot write {target / 'translations.json'}: {exc.strerror} (KFGUIDE_REPORT)")


def _report_dir(config) -> Path | None:
    root = Path(config.config_file_path).resolve().parent
    env = os.environ.get("KFGUIDE_REPORT")
    if env is not None:
        if not env:
            return None
        path = Path(env)
        if not path.is_absolute():
            path = root / path
        return path.parent
    return root / "reports"
