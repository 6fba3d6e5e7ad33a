"""Reader experience in Chromium (issue 6): every page of both languages, the reading path,
the language switcher, dark mode, a 360 px phone and keyboard-only use. The foundation tests
(home in both languages, zero third-party hosts, live reload) are in tests/test_site.py."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import ROOT

NAV_ORDER = [
    "", "kubeflow-ui/", "dashboard/", "notebooks/", "pipelines/", "katib/",
    "artifact-store/", "glossary/", "about/",
]


def nav_order() -> list[str]:
    """Page URLs in mkdocs.yml nav order (index.md -> '', x.md -> 'x/')."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"(?m)^nav:\n((?:  - .*\n)+)", text).group(1)
    files = [line.split(":")[-1].strip().removeprefix("- ") for line in block.splitlines()]
    return ["" if f == "index.md" else f[: -len(".md")] + "/" for f in files]


def all_pages() -> list[str]:
    return nav_order() + ["en/" + url for url in nav_order()]


def path_of(page) -> str:
    return urlsplit(page.url).path.lstrip("/")


def test_nav_order_matches_the_reading_path():
    assert nav_order() == NAV_ORDER


@pytest.mark.parametrize("url", all_pages())
def test_page_loads_cleanly_and_every_image_decodes(site_server, page, url):
    page.goto(site_server.url + url, wait_until="networkidle")
    # Lazy images (loading="lazy"): bring each one into view so each one is requested.
    # A lazy image inside a content-visibility block starts loading a frame or two after it
    # comes into view: wait for it there, as a reader would see it.
    for image in page.locator(".md-content img").all():
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle(), timeout=15_000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    # decode() settles once the image has loaded (or failed): under load a lazy image can still
    # be in flight when the network goes idle, and `complete` alone would call it broken.
    broken = page.evaluate(
        """async () => {
              const images = [...document.querySelectorAll('.md-content img')];
              const results = await Promise.allSettled(images.map(img => img.decode()));
              return images
                .filter((img, k) => results[k].status === 'rejected' || img.naturalWidth === 0)
                .map(img => img.getAttribute('src'));
           }"""
    )
    log = page.kfguide_log
    assert (log.console_errors, log.failed, broken) == ([], [], []), url


@pytest.mark.parametrize("lang", ["", "en/"])
def test_next_links_walk_the_whole_guide_in_nav_order(site_server, page, lang):
    page.goto(site_server.url + lang)
    visited = [path_of(page)]
    for _ in range(len(NAV_ORDER) + 2):
        nxt = page.locator("a.md-footer__link--next")
        if nxt.count() == 0:
            break
        nxt.first.click()
        page.wait_for_load_state()
        visited.append(path_of(page))
    assert visited == [lang + url for url in nav_order()]
    # And back again with "previous".
    for expected in reversed(visited[:-1]):
        page.locator("a.md-footer__link--prev").first.click()
        page.wait_for_load_state()
        assert path_of(page) == expected


@pytest.mark.parametrize("url", ["notebooks/", "katib/"])
def test_language_switcher_keeps_the_page(site_server, page, url):
    page.goto(site_server.url + url)

    def switch_to(label: str) -> None:
        page.locator(".md-header .md-select").first.hover()
        page.locator(".md-select__link", has_text=label).first.click()
        page.wait_for_load_state()

    switch_to("English")
    assert path_of(page) == "en/" + url
    assert page.locator("html").get_attribute("lang") == "en"
    switch_to("한국어")
    assert path_of(page) == url
    assert page.locator("html").get_attribute("lang") == "ko"


def test_dark_mode_toggles_and_persists_across_a_reload(site_server, browser):
    context = browser.new_context(color_scheme="light")
    tab = context.new_page()
    try:
        tab.goto(site_server.url + "dashboard/")
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        assert tab.evaluate(scheme) == "default"
        tab.locator("form[data-md-component=palette] label:visible").first.click()
        assert tab.evaluate(scheme) == "slate"
        tab.reload()
        assert tab.evaluate(scheme) == "slate"
        tab.goto(site_server.url + "en/katib/")  # same origin: the choice carries over
        assert tab.evaluate(scheme) == "slate"
        tab.locator("form[data-md-component=palette] label:visible").first.click()
        assert tab.evaluate(scheme) == "default"
    finally:
        context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    tab = context.new_page()
    yield tab
    context.close()


def test_nothing_scrolls_sideways_on_a_360px_phone(site_server, phone):
    wide = []
    for url in all_pages():
        phone.goto(site_server.url + url)
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        if width > 360:
            culprits = phone.evaluate(
                """() => [...document.querySelectorAll('body *')]
                      .filter(e => e.getBoundingClientRect().right > 361)
                      .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
            )
            wide.append(f"{url or '/'}: scrollWidth {width} ({culprits})")
    assert wide == []


def test_wide_code_and_tables_scroll_inside_themselves_on_a_phone(site_server, phone):
    """The check above could pass on a page without wide content: make sure some exists."""
    phone.goto(site_server.url + "kubeflow-ui/")
    inner = phone.evaluate(
        """() => [...document.querySelectorAll('.md-typeset pre > code, .md-typeset__table')]
              .filter(e => e.scrollWidth > e.clientWidth).length"""
    )
    assert inner > 0
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 360


@pytest.mark.parametrize("path", ["about/", "en/about/"])
def test_drawer_toggle_name_is_hidden_and_the_header_does_not_move(site_server, page, path):
    """The drawer toggle's name is screen-reader text: it must not show or push the header."""
    page.set_viewport_size({"width": 412, "height": 823})
    page.goto(site_server.url + path)
    page.wait_for_load_state("load")
    name = page.locator('.md-header label[for="__drawer"] .kfguide-visually-hidden')
    assert name.count() == 1 and name.text_content().strip()
    box = name.bounding_box()
    assert box is None or (box["width"] <= 1 and box["height"] <= 1), box
    # Material's header is 2.4rem (48 px) high; a visible name used to wrap it to 59-63 px.
    assert page.evaluate("document.querySelector('.md-header').getBoundingClientRect().height") == 48
    shifts = page.evaluate("""() => new Promise(done => {
        new PerformanceObserver(list => done(list.getEntries().map(e => e.value)))
          .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => done([]), 500);
    })""")
    assert sum(shifts) < 0.01, shifts

def test_keyboard_reaches_search_and_the_menu(site_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_server.url + "notebooks/")
    # Tab from the top of the page: the skip link, then the header controls.
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.getAttribute('for') || e.className || e.tagName) + '|' + (e.getAttribute('aria-label') || e.textContent.trim().slice(0, 20)); }"
        ))
    joined = " ".join(reached)
    assert "__drawer" in joined, reached  # the navigation drawer toggle
    assert "md-search__input" in joined, reached  # the search box
    # Enter on the drawer toggle (overrides/partials/a11y-drawer.html) opens the menu.
    page.goto(site_server.url + "notebooks/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('for')") == "__drawer":
            break
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked")
    # The '/' shortcut focuses the search input.
    page.goto(site_server.url + "notebooks/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
