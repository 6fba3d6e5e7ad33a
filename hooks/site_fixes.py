"""MkDocs adapter for kfguide.builders.sitefix: hreflang, per-language sitemaps and the 404 page."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.plugins import event_priority

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kfguide.builders import sitefix  # noqa: E402

# The default language's rendering of 404.html, kept until every language is built.
_default_404: dict[str, str] = {}


def _i18n(config):
    return config.plugins.get("i18n")


def on_config(config):
    i18n = _i18n(config)
    links = [lang.link for lang in i18n.config.languages if lang.build] if i18n else ["/"]
    config.extra["kfguide_language_roots"] = sitefix.language_roots(config.site_url, links)
    return config


def on_page_content(html, page, config, files):
    return sitefix.link_figure_images(html)


def on_post_page(output, page, config):
    output = sitefix.absolutize_alternate_links(output, page.canonical_url)
    i18n = _i18n(config)
    if i18n is not None and i18n.current_language != i18n.default_language:
        # Each language has its own search index and sitemap in its folder (hooks/search_ko.py).
        folder = next(
            (lang.link for lang in i18n.config.languages if lang.locale == i18n.current_language), ""
        )
        output = sitefix.scope_config_base(output, folder)
    return output


def on_post_template(output_content, template_name, config):
    if config.site_url:
        page_url = urljoin(config.site_url, template_name)
        output_content = sitefix.absolutize_alternate_links(output_content, page_url)
    i18n = _i18n(config)
    if template_name == "404.html" and (
        i18n is None or i18n.current_language == i18n.default_language
    ):
        _default_404["html"] = output_content
    return output_content


@event_priority(-200)
def on_post_build(config):
    # static-i18n builds the other languages inside its own post-build (-100); run once, last.
    i18n = _i18n(config)
    if i18n is not None and i18n.building:
        return
    site_dir = Path(config.site_dir)
    if "html" in _default_404:
        (site_dir / "404.html").write_text(_default_404["html"], encoding="utf-8")
    if i18n is not None:
        folders = [lang.link for lang in i18n.config.languages if not lang.default and lang.build]
        sitefix.copy_sitemaps(site_dir, folders)
