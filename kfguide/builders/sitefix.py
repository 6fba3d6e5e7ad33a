"""Fixes for known Material + mkdocs-static-i18n traps in the built site.

Cases handled (each has a test in tests/test_site.py or tests/test_origin.py):

* hreflang lives in the sitemap, not in the page heads. static-i18n writes a ``sitemap.xml``
  whose every ``<url>`` lists its translations (``<xhtml:link rel="alternate" hreflang>``),
  one of the three equivalent ways search engines read hreflang. Material, though, requests
  ``<href>/sitemap.xml`` for every ``<link rel="alternate">`` in a page's head (to map pages
  for its language switcher), and those hrefs must be absolute (``site_url``) for the hreflang
  audit: served anywhere else (``python -m http.server``, a mirror, a preview built without
  its address), every page asked the ``site_url`` host for two sitemaps. So
  :func:`drop_hreflang_links` removes the head links (the sitemap keeps the information),
  :func:`robots_txt` points crawlers at the sitemap, and the language switcher keeps its plain
  links to the same page in the other language, relative to the page (static-i18n's
  absolute paths for the language homes are made relative by :func:`site_relative_link`).
  No page requests a sitemap any more, and no script has to intercept one.
* The root sitemap is also copied into each language folder (:func:`copy_sitemaps`): that is
  where Material looks for the sitemap of an English page (its ``config.base``) when a
  feature that needs one (instant navigation, link previews) is turned on.
* static-i18n writes one ``404.html`` per build into the same file, so it ends up in the last
  built language. The default language's copy is kept and restored after all builds.
* Material finds the search index and the language's sitemap at ``config.base``, the site root.
  Each language gets its own search index (``kfguide.builders.search_ko.split_by_language``), so the
  pages of a language folder point ``base`` at that folder (:func:`scope_config_base`).
  ``__md_scope`` (where Material keeps the palette choice) stays at the site root, so the
  reader's dark/light choice carries across languages.
* Figures open at full size: :func:`link_figure_images` wraps each figure's image in a link
  to the image file. This replaces a lightbox script, which cost every figure page a
  render-blocking script and stylesheet in ``<head>`` (see bench/lighthouse.py figures).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

_HREFLANG_LINK = re.compile(
    r'[ \t]*<link\s+rel="alternate"\s+href="[^"]*"\s+hreflang="[^"]*"\s*/?>[ \t]*\r?\n?'
)


def drop_hreflang_links(html: str) -> str:
    """``html`` without its ``<link rel="alternate" href hreflang>`` elements (other
    alternates, such as feeds, have no hreflang and stay)."""
    return _HREFLANG_LINK.sub("", html)


def site_relative_link(link: str, site_url: str | None) -> str:
    """A language switcher link as a path from the site root (``/guide/en/`` -> ``en/``).

    static-i18n gives the language homes absolute paths built from ``site_url``
    (``/guide/en/``), which break wherever the site is served from another path; a path from
    the site root lets the theme's ``url`` filter make it relative to each page. Links with a
    scheme, protocol-relative links and paths outside ``site_url`` are returned unchanged.
    """
    if not link.startswith("/") or link.startswith("//"):
        return link
    base = urlsplit(site_url or "/").path.rstrip("/") + "/"
    if not link.startswith(base):
        return link
    return link[len(base):] or "."


def robots_txt(site_url: str | None) -> str:
    """robots.txt allowing everything and naming the sitemap (absolute, as robots.txt needs)."""
    text = "User-agent: *\nDisallow:\n"
    if site_url:
        text += f"\nSitemap: {urljoin(site_url.rstrip('/') + '/', 'sitemap.xml')}\n"
    return text


def copy_sitemaps(site_dir: Path, language_dirs: list[str]) -> list[Path]:
    """Copy ``site_dir/sitemap.xml`` (and .gz) into each language folder; return written paths."""
    written = []
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        source = site_dir / name
        if not source.is_file():
            continue
        for folder in language_dirs:
            target = site_dir / folder.strip("/") / name
            if target.parent.is_dir():
                shutil.copyfile(source, target)
                written.append(target)
    return written


_CONFIG_BASE = re.compile(
    r'(?P<head><script id="__config" type="application/json">\{(?:(?!</script>).)*?"base": ")(?P<base>[^"]*)(?P<tail>")',
    re.DOTALL,
)


def scope_config_base(html: str, language_folder: str) -> str:
    """Point Material's ``__config`` ``base`` at ``language_folder`` (``"en/"``) below the root.

    ``base`` is the page's relative path to the site root (``"../.."`` on ``en/katib/``); the
    result (``"../../en/"``) resolves to the language's home, with the trailing slash that
    Material's ``new URL("search/search_index.json", base)`` needs. Pages without a
    ``__config`` (or an empty folder) are returned unchanged.
    """
    folder = language_folder.strip("/")
    if not folder:
        return html

    def fix(match: re.Match[str]) -> str:
        base = match.group("base").rstrip("/") or "."
        return match.group("head") + f"{base}/{folder}/" + match.group("tail")

    return _CONFIG_BASE.sub(fix, html, count=1)


_FIGURE = re.compile(r"<figure\b[^>]*>.*?</figure>", re.DOTALL | re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]+)"', re.IGNORECASE)


def link_figure_images(html: str) -> str:
    """Wrap every ``<img>`` inside a ``<figure>`` in a link to the image file itself.

    An image that already sits inside a link (the figure has an ``<a``) is left alone, as is
    an image without ``src``. The link's name is the image's alt text.
    """

    def fix_figure(match: re.Match[str]) -> str:
        figure = match.group(0)
        if re.search(r"<a\b", figure, re.IGNORECASE):
            return figure

        def wrap(img: re.Match[str]) -> str:
            src = _SRC.search(img.group(0))
            if not src:
                return img.group(0)
            return f'<a class="kfguide-figure-link" href="{src.group(1)}">{img.group(0)}</a>'

        return _IMG.sub(wrap, figure)

    return _FIGURE.sub(fix_figure, html)
