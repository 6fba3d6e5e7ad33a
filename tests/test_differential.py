"""The scanner against the renderer: for every page, the link and image targets the scanner
(kfguide.model.markdown) reports are exactly the ones Python-Markdown renders with mkdocs.yml's
extensions and settings (tests/rendered_links.py), each at the source line where it is written.

Pages: every page of the real guide, every page of the check fixtures, and a generated page
that combines every construct the checks must get right (CONSTRUCTS below: reference
definitions above links, unclosed fences and comments, raw HTML blocks, md_in_html, snippets,
footnotes, tabs, admonitions, tables, escapes, odd labels and definitions...).

Expected lines never come from the scanner:

* in the generated page, each link's line is the line holding its marker ``<!--L:target-->``
  (``<!--L+1:target-->``: the next line, for an include line that must stay alone on its
  line); every target there is unique;
* in the real guide and the fixtures, the line the scanner gives must hold the target as
  written, or, for a reference link, its ``[label]``; a target that only a snippet brings in
  must sit on the include line.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from kfguide.model.markdown import scan
from kfguide.model.snippets import Snippets
from rendered_links import Renderer

FIXTURES = ROOT / "tests" / "fixtures"
SNIPPET_BASES = [ROOT / "snippets", FIXTURES / "differential" / "snippets"]
MARKER = re.compile(r"<!--L(?P<next>\+1)?:(?P<target>[^>]*?)-->")

# Every construct on its own, separated by blank lines in the generated page. A link that
# renders carries its marker on the line where it is written; text that only looks like a
# link carries none (it must not be reported).
CONSTRUCTS = [
    # inline links and images
    "[plain](c-plain.md) <!--L:c-plain.md-->",
    '[titled](c-titled.md "a title") and ![alt](c-img.png "t") <!--L:c-titled.md--> <!--L:c-img.png-->',
    "[angle](<c angle.md>) <!--L:c angle.md-->",
    "[parens](c-(paren).md) <!--L:c-(paren).md-->",
    "[escaped](c\\-escaped\\_name.md) <!--L:c-escaped_name.md-->",
    "[amp](c-q.md?a=1&amp;b=2) <!--L:c-q.md?a=1&b=2-->",
    "[![badge](c-badge.svg)](c-outer.md) <!--L:c-badge.svg--> <!--L:c-outer.md-->",
    "text [spanning <!--L:c-span.md-->\nlines](c-span.md)",  # a link is where its text starts
    "[attrs](c-attrs.md){ .button } <!--L:c-attrs.md-->",
    "<https://example.com/c-auto> <!--L:https://example.com/c-auto-->",
    # reference links and definitions (definitions above and below their uses)
    "[d-above]: c-ref-above.md\n\n[use above][d-above] <!--L:c-ref-above.md-->",
    "[use below][d-below] and [d-below][] and [d-below] <!--L:c-ref-below.md-->\n\n[d-below]: c-ref-below.md",
    '[case][D-Case] <!--L:c-ref-case.md-->\n\n[d-case]: c-ref-case.md "t"',
    "[title next line][d-next] <!--L:c-ref-next.md-->\n\n[d-next]: c-ref-next.md\n    \"on the next line\"",
    "[spaced label][ d-spaced ] is text\n\n[d-spaced]: c-never-spaced.md",
    "[angle def][d-angle] is text\n\n[d-angle]: <c never angle.md>",
    "[gap] [d-gap] <!--L:c-ref-gap.md-->\n\n[d-gap]: c-ref-gap.md",
    "![ref image][d-img] <!--L:c-ref-img.png-->\n\n[d-img]: c-ref-img.png",
    # code: nothing inside is a link
    "`[in code](c-never-code.md)` and ``[x](c-never-code2.md)``",
    "```text\n[fenced](c-never-fence.md)\n```",
    "~~~\n[tilde](c-never-tilde.md)\n~~~",
    "    [indented code](c-never-indented.md)",
    "- item\n\n    ```bash\n    [in list fence](c-never-listfence.md)\n    ```",
    # HTML comments
    "<!-- [commented](c-never-comment.md) -->",
    "<!--\n\n[block comment](c-never-blockcomment.md)\n\n-->",
    "text <!-- inline\nstill comment [x](c-never-inlinecomment.md) --> after [y](c-after-comment.md) <!--L:c-after-comment.md-->",
    "x <!-- never closed here\n\n[after blank](c-after-open-comment.md) <!--L:c-after-open-comment.md-->",
    # raw HTML blocks: Markdown inside is text, HTML links inside are links
    "<pre>\n[in pre](c-never-pre.md)\n</pre>",
    "<script>\nvar s = '[x](c-never-script.md)';\nvar t = '<a href=\"c-never-script-tag.md\">';\n</script>",
    "<style>\n/* [x](c-never-style.md) */\n</style>",
    "<div>\n[in raw div](c-never-div.md)\n<a href=\"c-raw-a.md\">raw</a> <!--L:c-raw-a.md-->\n</div>",
    "<div>\n<div>\n[nested](c-never-nested.md)\n</div>\n[still raw](c-never-still.md)\n</div>",
    "<details>\n<summary>s</summary>\n[in details](c-never-details.md)\n</details>",
    "<div>\n[raw](c-never-tail.md)\n</div> tail [t](c-tail.md) <!--L:c-tail.md-->",
    '<div markdown="1">\n\n[in md div](c-md-div.md) <!--L:c-md-div.md-->\n\n</div>',
    "<div markdown>\n[md div 2](c-md-div2.md) <!--L:c-md-div2.md-->\n<div>\n[raw inner](c-never-inner.md)\n</div>\n</div>",
    "<span>[in span](c-span-inline.md)</span> <!--L:c-span-inline.md-->",
    '<img src="c-raw-img.png" alt="a"> <!--L:c-raw-img.png-->',
    '<picture><source srcset="c-set1.webp 1x, c-set2.webp 2x"><img src="c-set.png" alt="p"></picture> '
    "<!--L:c-set1.webp--> <!--L:c-set2.webp--> <!--L:c-set.png-->",
    # containers
    '!!! note "title"\n    [in admonition](c-adm.md) <!--L:c-adm.md-->',
    '??? tip "folded"\n    [in details block](c-det.md) <!--L:c-det.md-->',
    '=== "Tab one"\n\n    [in tab](c-tab.md) <!--L:c-tab.md-->\n\n=== "Tab two"\n\n    ![tab image](c-tab.png) <!--L:c-tab.png-->',
    "> quoted [link](c-quote.md) <!--L:c-quote.md-->\n> > nested [deeper](c-quote2.md) <!--L:c-quote2.md-->",
    "1. one [a](c-ol.md) <!--L:c-ol.md-->\n    - nested [b](c-ul.md) <!--L:c-ul.md-->",
    "- [ ] task [t](c-task.md) <!--L:c-task.md-->",
    "| a | b |\n|---|---|\n| [cell](c-cell.md) <!--L:c-cell.md--> | ![i](c-cell.png) <!--L:c-cell.png--> |",
    "Term [x](c-term.md) <!--L:c-term.md-->\n:   Definition [y](c-def.md) <!--L:c-def.md-->",
    "Footnote use[^n1].\n\n[^n1]: The note links [somewhere](c-fn.md). <!--L:c-fn.md-->",
    "## Heading [with link](c-heading.md) <!--L:c-heading.md-->",
    "Setext [link](c-setext.md) <!--L:c-setext.md-->\n-----------------------------",
    "*[ABBR]: an abbreviation\n\nThe ABBR [near](c-abbr.md) <!--L:c-abbr.md-->",
    "**bold [b](c-bold.md)** _em [e](c-em.md)_ ==mark [m](c-mark.md)== <!--L:c-bold.md--> <!--L:c-em.md--> <!--L:c-mark.md-->",
    # snippets: an included Markdown part brings its links to the include line
    '<!--L+1:snip-inline.md--> <!--L+1:snip-image.png-->\n--8<-- "part-with-links.md"',
    '```bash\n--8<-- "plain.sh"\n```',
    ';--8<-- "escaped-include.md"',
    # odd text that is not a link
    "\\[escaped bracket](c-never-escaped.md)",
    "[x] (c-never-space.md) is not a link",
    "[unclosed](c-never-unclosed.md",
    "[[double]](c-double.md) <!--L:c-double.md-->",
    # last: a fence that no later line closes shows its fence line as text, the rest is Markdown
    # (a later ``` line anywhere would close it, so nothing after this may hold a fence)
    "```bash\necho never closed\n\n[after fence](c-after-fence.md) <!--L:c-after-fence.md-->\n\n"
    '!!! note "after"\n    [in admonition after](c-adm-after.md) <!--L:c-adm-after.md-->',
]


def generated_page() -> str:
    return "# Generated page\n\n" + "\n\n".join(CONSTRUCTS) + "\n"


def marker_lines(source: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for number, line in enumerate(source.split("\n"), 1):
        for m in MARKER.finditer(line):
            assert m.group("target") not in out, f"marker {m.group('target')} twice"
            out[m.group("target")] = number + (1 if m.group("next") else 0)
    return out


@pytest.fixture(scope="module")
def renderer():
    renderer = Renderer()
    snippets = renderer.configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(b) for b in SNIPPET_BASES]
    return renderer


def scanned(source: str):
    return scan(source, snippets=Snippets(SNIPPET_BASES))


def scanner_targets(doc) -> Counter:
    return Counter(("image" if link.is_image else "link", link.target) for link in doc.links)


def pages() -> list[Path]:
    found = sorted((ROOT / "docs").rglob("*.md"))
    found += sorted((FIXTURES / "checks").rglob("*.md"))
    return [p for p in found if p.name != "README.md"]


def test_generated_page_targets_and_lines(renderer):
    source = generated_page()
    rendered = renderer.targets(source)
    doc = scanned(source)
    assert scanner_targets(doc) == rendered
    expected = marker_lines(source)
    assert set(expected) == {target for _, target in rendered}, "every rendered target has one marker"
    got = {link.target: link.line for link in doc.links}
    assert {t: got.get(t) for t in expected} == expected


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_page_agrees_with_the_renderer(renderer, page):
    source = page.read_text("utf-8")
    doc = scanned(source)
    assert scanner_targets(doc) == renderer.targets(source)
    lines = source.replace("\r\n", "\n").split("\n")
    for link in doc.links:
        text = lines[link.line - 1]
        # a link that wraps: its text starts here, its target is on a following line of the paragraph
        wrapped = "\n".join(_paragraph_from(lines, link.line - 1)) if "[" in text else text
        written = (link.ref and f"[{link.ref.lower()}]" in text.lower()) or link.target in wrapped \
            or link.target.replace("&", "&amp;") in wrapped or "--8<--" in text
        assert written, f"{page.name}:{link.line}: {link.target!r} is not written on that line: {text!r}"


def _paragraph_from(lines: list[str], index: int) -> list[str]:
    out = []
    for line in lines[index:]:
        if not line.strip():
            break
        out.append(line)
    return out


def test_the_differential_catches_a_scanner_that_drifts(renderer):
    """The judge itself: a scanner result one line off, or with a target too many, fails."""
    source = generated_page()
    doc = scanned(source)
    expected = marker_lines(source)
    shifted = {link.target: link.line + 1 for link in doc.links}
    assert {t: shifted.get(t) for t in expected} != expected
    extra = scanner_targets(doc) + Counter({("link", "c-never-pre.md"): 1})
    assert extra != renderer.targets(source)
