"""Accessibility (issue 6): axe-core, the npm package's own axe.min.js (pinned in package.json),
injected by Playwright into every page of both languages, in the light and the dark scheme.
No serious or critical violation is allowed; moderate and minor ones are not failed on."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


def site_pages(site) -> list[str]:
    """Site-relative URLs of every HTML page (both languages, and the 404 page)."""
    urls = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site)
        if rel.parts[0] == "assets":
            continue
        urls.append(str(rel.parent).replace(".", "") + "/" if rel.name == "index.html" else str(rel))
    return [u.lstrip("/") for u in urls]


def axe_violations(page) -> list[dict]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (npm ci installs axe-core)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def blocking(violations: list[dict], where: str) -> list[str]:
    return [
        f"{where}: [{v['id']}] {v['impact']}: {v['help']} ({', '.join(v['targets'])})"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def test_axe_finds_violations_in_a_bad_page(page):
    """The harness itself: a page with known serious problems must be reported."""
    page.set_content(
        '<html><head><title>x</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#777;background:#888">low contrast</p>'
        '<div role="dialog">unnamed dialog</div>'
        "</main></body></html>"
    )
    ids = {v["id"] for v in axe_violations(page) if v["impact"] in BLOCKING}
    assert {"image-alt", "color-contrast", "aria-dialog-name"} <= ids


def test_search_dialog_has_an_accessible_name(built_site):
    for lang, name in (("", "검색"), ("en/", "Search")):
        html = (built_site / lang / "index.html").read_text(encoding="utf-8")
        tag = re.search(r'<div class="md-search"[^>]*>', html).group(0)
        assert f'aria-label="{name}"' in tag and 'role="dialog"' in tag


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_axe_violations_on_any_page(site_server, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    problems: list[str] = []
    pages = site_pages(site_server.root)
    assert len(pages) >= 18, pages  # 9 pages x 2 languages, plus 404
    try:
        for url in pages:
            tab.goto(site_server.url + url)
            scheme_now = tab.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert scheme_now == ("slate" if scheme == "dark" else "default"), url
            problems += blocking(axe_violations(tab), f"{url or '/'} ({scheme})")
    finally:
        context.close()
    assert problems == [], "\n" + "\n".join(problems)


def test_axe_passes_a_clean_page(page):
    """The other half of the harness check: a plain, correct page has no violation at all."""
    page.set_content("<html lang='ko'><head><title>t</title></head><body><main><h1>제목</h1><p>본문</p></main></body></html>")
    assert axe_violations(page) == []
