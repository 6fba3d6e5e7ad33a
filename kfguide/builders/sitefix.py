"""Fixes for known Material + mkdocs-static-i18n traps in the built site.

Cases handled (each has a test in tests/test_sitefix.py):

* ``<link rel="alternate" hreflang>`` hrefs are site-relative (``/en/``); Lighthouse's hreflang
  audit rejects relative hrefs, so they are made absolute against ``site_url``.
* Material's JavaScript fetches ``<alternate>/sitemap.xml`` for every alternate link and for the
  page's own base; static-i18n writes ``sitemap.xml`` only at the root, so every page of every
  language logged a 404. The root sitemap (which already lists every language) is copied into
  each language folder.
* static-i18n points every page's hreflang links at the *translated page* (``/en/about/``), and
  Material's script then requests ``/en/about/sitemap.xml``, which cannot exist: a 404 in the
  console of every page. ``overrides/partials/sitemap-guard.html`` lets such requests fail
  quietly in the browser (no network request; Material then keeps the plain link) and lets the
  language roots' sitemaps through; ``language_roots`` gives it those roots.
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

_ALTERNATE_LINK = re.compile(
    r'(?P<head><link\s+rel="alternate"\s+href=")(?P<href>[^"]*)'
    r'(?P<tail>"\s+hreflang="(?P<lang>[^"]*)"\s*/?>)'
)
_HTML_LANG = re.compile(r'<html\s+lang="([^"]+)"')


def absolutize_alternate_links(html: str, page_url: str | None) -> str:
    """Return ``html`` with every hreflang alternate link made absolute.

    ``page_url`` is the page's absolute address (``site_url`` joined with the page's URL); the
    relative hrefs in ``html`` are resolved against it. The link for the page's own language
    points at the page itself (static-i18n leaves it at the language's home page).
    """
    if not page_url:
        return html
    lang = _HTML_LANG.search(html)
    own_lang = lang.group(1) if lang else None

    def fix(match: re.Match[str]) -> str:
        href = match.group("href")
        if match.group("lang") == own_lang:
            href = page_url
        return match.group("head") + urljoin(page_url, href) + match.group("tail")

    return _ALTERNATE_LINK.sub(fix, html)


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


def language_roots(site_url: str | None, links: list[str]) -> list[str]:
    """URL paths of each language's home (``["/", "/en/"]``), below ``site_url``'s path."""
    base = urlsplit(site_url or "/").path.rstrip("/")
    return [base + "/" + link.strip("/") + ("/" if link.strip("/") else "") for link in links]


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
