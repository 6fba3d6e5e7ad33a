"""MkDocs adapter for kfguide.builders.sitefix: hreflang in the sitemap only (not in page heads,
where Material would fetch ``<href>/sitemap.xml`` from the site_url host), robots.txt,
per-language sitemaps and search base, figure links and the 404 page."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from mkdocs.plugins import event_priority

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kfguide.builders import imagesize, sitefix  # noqa: E402

# The default language's rendering of 404.html, kept until every language is built.
_default_404: dict[str, str] = {}
# This build's files that are not pages, by their place in the site (images to size).
_by_dest: dict[str, object] = {}


def _i18n(config):
    return config.plugins.get("i18n")


@event_priority(-1000)  # the final file list: static-i18n's language files, generated figures
def on_files(files, config):
    _by_dest.clear()
    _by_dest.update((f.dest_uri, f) for f in files if not f.is_documentation_page())
    return files


def _image_bytes(page):
    def read(src: str) -> bytes | None:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        dest = urlsplit(urljoin("http://site/" + page.url, unquote(parts.path))).path.lstrip("/")
        file = _by_dest.get(dest)
        try:
            return file.content_bytes if file is not None else None
        except OSError:
            return None

    return read


def on_page_content(html, page, config, files):
    html = sitefix.link_figure_images(html)
    # Width/height on every image, lazy loading below the fold.
    return imagesize.size_images(html, _image_bytes(page))


@event_priority(-50)  # after static-i18n (50) set this page's language switcher links
def on_page_context(context, page, config, nav):
    # static-i18n sets the links as an attribute of config.extra (what the template reads
    # first), the theme's defaults are its "alternate" key: fix both.
    for alternates in (vars(config.extra).get("alternate"), config.extra.get("alternate")):
        for alternate in alternates or []:
            if isinstance(alternate, dict) and isinstance(alternate.get("link"), str):
                alternate["link"] = sitefix.site_relative_link(alternate["link"], config.site_url)
    return context


def on_pre_template(template, template_name, config):
    # 404.html is served at any path, so its links stay absolute (MkDocs gives it site_url's
    # path as base): the switcher goes to each language's home, not to the last page's
    # translation that static-i18n's per-page links would otherwise leave behind.
    i18n = _i18n(config)
    if template_name == "404.html" and getattr(i18n, "extra_alternate", None):
        config.extra["alternate"] = copy.deepcopy(i18n.extra_alternate)
        vars(config.extra).pop("alternate", None)
    return template


def on_post_page(output, page, config):
    output = sitefix.drop_hreflang_links(output)
    i18n = _i18n(config)
    if i18n is not None and i18n.current_language != i18n.default_language:
        # Each language has its own search index and sitemap in its folder (hooks/search_ko.py).
        folder = next(
            (lang.link for lang in i18n.config.languages if lang.locale == i18n.current_language), ""
        )
        output = sitefix.scope_config_base(output, folder)
    return output


def on_post_template(output_content, template_name, config):
    output_content = sitefix.drop_hreflang_links(output_content)
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
    (site_dir / "robots.txt").write_text(sitefix.robots_txt(config.site_url), encoding="utf-8")
    if "html" in _default_404:
        (site_dir / "404.html").write_text(_default_404["html"], encoding="utf-8")
    if i18n is not None:
        folders = [lang.link for lang in i18n.config.languages if not lang.default and lang.build]
        sitefix.copy_sitemaps(site_dir, folders)
