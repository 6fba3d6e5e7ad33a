"""Foundation (issue 2): the guide builds strict, Korean at /, English at /en/, and the known
Material + static-i18n traps stay fixed. Browser tests use Debian Chromium via Playwright."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, fixture_site, run_mkdocs_build
from kfguide.builders import sitefix

# --- the real guide ------------------------------------------------------------------------


def test_strict_build_has_no_warnings(build_log):
    warnings = [line for line in build_log.splitlines() if "WARNING" in line]
    assert warnings == []


def test_korean_at_root_and_english_under_en(built_site):
    ko = (built_site / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in ko and "Kubeflow 한국어 가이드" in ko
    assert '<html lang="en"' in en and "Kubeflow Guide in Korean" in en
    for page in ("about", "kubeflow-ui", "dashboard", "glossary"):
        assert (built_site / page / "index.html").is_file()
        assert (built_site / "en" / page / "index.html").is_file()


def test_every_page_has_an_edit_link_and_meta_description(built_site):
    for html_file in built_site.rglob("index.html"):
        if "assets" in html_file.parts:
            continue
        html = html_file.read_text(encoding="utf-8")
        assert 'rel="edit"' in html, html_file
        assert re.search(r'<meta name="description" content="[^"]{20,}"', html), html_file


def test_no_google_fonts_or_external_scripts(built_site):
    for html_file in built_site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html, html_file
        assert "fonts.gstatic.com" not in html, html_file
        for src in re.findall(r'<script[^>]+src="([^"]+)"', html):
            assert not urlsplit(src).netloc, f"{html_file}: external script {src}"
        for href in re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html):
            assert not urlsplit(href).netloc, f"{html_file}: external stylesheet {href}"


# --- trap: static-i18n writes one 404.html, in the last-built language ---------------------


def test_404_page_is_the_default_language_and_bilingual(built_site):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in html
    assert "페이지를 찾을 수 없습니다" in html and "Page not found" in html


# --- trap: Material fetches <hreflang href>/sitemap.xml from the site_url host ---------------


def test_each_language_folder_has_a_sitemap(built_site):
    root = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert (built_site / "en" / "sitemap.xml").read_text(encoding="utf-8") == root


def test_copy_sitemaps_skips_missing_language_folders(tmp_path):
    (tmp_path / "sitemap.xml").write_text("<urlset/>")
    (tmp_path / "en").mkdir()
    written = sitefix.copy_sitemaps(tmp_path, ["/en/", "/fr/"])
    assert written == [tmp_path / "en" / "sitemap.xml"]


def _pages(site):
    return sorted(p for p in site.rglob("index.html"))


def test_hreflang_is_in_the_sitemap_for_every_page_and_not_in_the_heads(built_site, site_port):
    """Every page of both languages is a <url> of sitemap.xml listing itself and its translation
    with absolute hreflang links; no page head carries hreflang links (Material would fetch
    <href>/sitemap.xml from the site_url host for each: tests/test_origin.py)."""
    import xml.etree.ElementTree as ET

    base = f"http://127.0.0.1:{site_port}/"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(built_site / "sitemap.xml")
    urls = {}
    for url in tree.getroot().findall("s:url", ns):
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        urls[url.find("s:loc", ns).text] = links
    pages = [p.parent.relative_to(built_site).as_posix() for p in _pages(built_site)]
    expected = {base + (p + "/" if p != "." else "") for p in pages}
    assert set(urls) == expected and len(expected) == 18
    for loc, links in urls.items():
        ko = loc.replace(base + "en/", base)
        assert links == {"ko": ko, "en": ko.replace(base, base + "en/", 1)}, loc
    for page in _pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<link[^>]+hreflang", html), page
        assert "XMLHttpRequest.prototype" not in html, page  # no request interception
    # The language switcher keeps its plain, relative link to the same page.
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="../en/about/" hreflang="en" class="md-select__link">', about)


def test_robots_txt_names_the_sitemap(built_site, site_port):
    text = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert text == f"User-agent: *\nDisallow:\n\nSitemap: http://127.0.0.1:{site_port}/sitemap.xml\n"
    assert sitefix.robots_txt(None) == "User-agent: *\nDisallow:\n"
    assert sitefix.robots_txt("https://o.github.io/repo") .endswith("Sitemap: https://o.github.io/repo/sitemap.xml\n")


def test_drop_hreflang_links_unit():
    html = (
        '<head>\n  <link rel="alternate" href="https://x.org/about/" hreflang="ko">\n'
        '  <link rel="alternate" href="https://x.org/en/about/" hreflang="en">\n'
        '  <link rel="alternate" type="application/rss+xml" href="feed.xml">\n</head>'
    )
    out = sitefix.drop_hreflang_links(html)
    assert out == '<head>\n  <link rel="alternate" type="application/rss+xml" href="feed.xml">\n</head>'


def test_english_pages_find_search_and_sitemap_in_en(built_site):
    """Material reads search/search_index.json and sitemap.xml at config.base: en/ for en pages."""
    from urllib.parse import urljoin

    for page, root in (("en/katib/", "en/"), ("en/", "en/"), ("katib/", ""), ("", "")):
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                      html, re.DOTALL).group(1))
        resolved = urljoin("http://x/" + page, config["base"].rstrip("/") + "/")
        assert resolved == "http://x/" + root, (page, config["base"])
        assert (built_site / root / "search" / "search_index.json").is_file()
        # Material keeps the palette choice under __md_scope: the site root in every language.
        scope = re.search(r'__md_scope=new URL\("([^"]*)"', html).group(1)
        assert urljoin("http://x/" + page, scope.rstrip("/") + "/") == "http://x/", (page, scope)


def test_scope_config_base_unit():
    html = '<script id="__config" type="application/json">{"annotate": null, "base": "../..", "x": "y"}</script>'
    assert '"base": "../../en/"' in sitefix.scope_config_base(html, "/en/")
    assert '"base": "./en/"' in sitefix.scope_config_base(html.replace("../..", "."), "en")
    assert sitefix.scope_config_base(html, "/") == html
    # Only the __config script is touched, never a "base" elsewhere on the page.
    other = '<script>{"base": ".."}</script><p>no config</p>'
    assert sitefix.scope_config_base(other, "en") == other


def test_figures_link_to_their_image(built_site):
    html = (built_site / "katib" / "index.html").read_text(encoding="utf-8")
    figures = re.findall(r"<figure\b[^>]*>.*?</figure>", html, re.DOTALL)
    assert len(figures) == 7  # two diagrams and five Katib screens
    for figure in figures:
        link = re.search(r'<a class="kfguide-figure-link" href="([^"]+)"><img [^>]*src="([^"]+)"', figure)
        assert link and link.group(1) == link.group(2), figure[:200]
    # No lightbox script: nothing render-blocking beyond Material's own CSS in <head>.
    head = html.split("</head>")[0]
    assert re.findall(r"<script src=", head) == []


def test_link_figure_images_unit():
    html = (
        '<p><img src="inline.png"></p>'
        '<figure>\n<img alt="도식" src="../images/x.svg" />\n<figcaption>그림 1</figcaption>\n</figure>'
        '<figure><a href="elsewhere/"><img src="y.svg"></a></figure>'
        "<figure><img alt=no-src></figure>"
    )
    out = sitefix.link_figure_images(html)
    assert '<p><img src="inline.png"></p>' in out  # not a figure
    assert '<a class="kfguide-figure-link" href="../images/x.svg"><img alt="도식" src="../images/x.svg" /></a>' in out
    assert '<figure><a href="elsewhere/"><img src="y.svg"></a></figure>' in out  # already linked
    assert "<figure><img alt=no-src></figure>" in out


# --- Korean heading ids and anchors ------------------------------------------------------

KOREAN_PAGES = {
    "index.md": "# 홈\n\n[메뉴 보기](page.md#대시보드-메뉴)와 [인코딩된 링크](page.md#%EB%8C%80%EC%8B%9C%EB%B3%B4%EB%93%9C-%EB%A9%94%EB%89%B4)\n",
    "page.md": "# 페이지\n\n## 대시보드 메뉴\n\n본문입니다.\n\n## 대시보드 메뉴\n\n같은 제목입니다.\n",
}


def test_korean_heading_ids_are_readable(tmp_path):
    config = fixture_site(tmp_path, KOREAN_PAGES, hooks=["hooks/site_fixes.py"])
    KOREAN_PAGES_LITERAL = dict(KOREAN_PAGES)
    KOREAN_PAGES_LITERAL["index.md"] = "# 홈\n\n[메뉴 보기](page.md#대시보드-메뉴)\n"
    (tmp_path / "docs" / "index.md").write_text(KOREAN_PAGES_LITERAL["index.md"], encoding="utf-8")
    result = run_mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "page" / "index.html").read_text(encoding="utf-8")
    assert 'id="대시보드-메뉴"' in html
    assert 'id="대시보드-메뉴_1"' in html
    assert 'id="_1"' not in html


def test_link_to_a_missing_korean_anchor_fails_the_strict_build(tmp_path):
    pages = {
        "index.md": "# 홈\n\n[없는 곳](page.md#없는-메뉴)\n",
        "page.md": "# 페이지\n\n## 대시보드 메뉴\n",
    }
    config = fixture_site(tmp_path, pages, hooks=["hooks/site_fixes.py"])
    result = run_mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "없는-메뉴" in result.stderr


# --- trap: navigation.instant makes static-i18n warn, so --strict fails -----------------------


def test_navigation_instant_fails_the_strict_build(tmp_path):
    pages = {"index.md": "# 홈\n", "index.en.md": "# Home\n"}
    config = fixture_site(
        tmp_path, pages, hooks=["hooks/site_fixes.py"], features_add=("navigation.instant",)
    )
    result = run_mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "navigation.instant" in result.stderr


def test_guide_config_does_not_enable_navigation_instant():
    features = re.search(r"(?ms)^  features:\n(.*?)^\S", (ROOT / "mkdocs.yml").read_text()).group(1)
    active = [line for line in features.splitlines() if line.strip().startswith("- ")]
    assert active and not any("navigation.instant" in line for line in active)


# --- trap: `--strict -q` never fails and `--strict -v` skips anchors -------------------------

BROKEN_ANCHOR = {"index.md": "# 홈\n\n[x](page.md#nowhere)\n", "page.md": "# 페이지\n"}


def _build_with(tmp_path: Path, *flags: str) -> int:
    config = fixture_site(tmp_path, BROKEN_ANCHOR, hooks=["hooks/site_fixes.py"])
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", *flags, "-f", str(config)]
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, timeout=300).returncode


def test_plain_strict_catches_the_broken_anchor(tmp_path):
    assert _build_with(tmp_path) != 0


@pytest.mark.parametrize("flag", ["-q", "-v"])
def test_quiet_or_verbose_strict_lets_it_through(tmp_path, flag):
    # The reason the Makefile and CI use plain --strict (see the next test).
    assert _build_with(tmp_path, flag) == 0


def test_makefile_and_ci_use_plain_strict():
    makefile = (ROOT / "Makefile").read_text()
    builds = re.findall(r"mkdocs build[^\n]*", makefile)
    assert builds and all("--strict" in b for b in builds)
    assert not any(re.search(r"\s-(q|v)\b|--quiet|--verbose", b) for b in builds)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_click_is_pinned_around_the_livereload_bug():
    pins = dict(
        line.split("==", 1)
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    click = pins["click"].split()[0]
    assert not click.startswith("8.3."), click
    mkdocs_line = next(l for l in (ROOT / "requirements.txt").read_text().splitlines() if l.startswith("mkdocs>"))
    assert mkdocs_line.split()[0] == "mkdocs>=1.6.1,<2"


# --- mermaid without a CDN -----------------------------------------------------------------


def test_mermaid_page_loads_the_local_copy_only(tmp_path):
    pages = {
        "index.md": "# 홈\n\n```mermaid\ngraph LR\n  A[브라우저] --> B[kfui]\n```\n",
        "plain.md": "# 그림 없는 페이지\n",
    }
    config = fixture_site(tmp_path, pages, hooks=["hooks/site_fixes.py"])
    result = run_mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    with_diagram = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    without = (tmp_path / "site" / "plain" / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/javascripts/vendor/mermaid.min.js"' in with_diagram
    assert "mermaid.min.js" not in without
