"""kfguide.model.markdown: the scanner every check reads pages through."""

from __future__ import annotations

import re
import unicodedata

import markdown as pymarkdown
import pytest

from conftest import ROOT
from kfguide.model.markdown import expand_snippets, heading_plain_text, scan, slugify


def kinds(doc):
    return [(link.kind, link.target, link.line) for link in doc.links]


def test_link_kinds_targets_titles_and_lines():
    doc = scan(
        "---\n"
        "title: 예\n"
        "---\n"
        "# 제목\n"
        "\n"
        '[제목 있음](a.md "제목") [꺾쇠](<b c.md#x>) [ref][r] [r] ![그림](i.png){ loading=lazy }\n'
        "[![안쪽](in.png)](out.md#frag)\n"
        '<a href="raw.md">raw</a> <img\n'
        '  alt="설명"\n'
        '  src="pic.png">\n'
        '<picture><source srcset="a.webp 1x, b.webp 2x"></picture>\n'
        "<https://example.com/x>\n"
        "\n"
        '[r]: target.md#id "정의 제목"\n'
    )
    assert kinds(doc) == [
        ("link", "a.md", 6),
        ("link", "b c.md#x", 6),
        ("ref", "target.md#id", 6),
        ("ref", "target.md#id", 6),
        ("image", "i.png", 6),
        ("link", "out.md#frag", 7),
        ("image", "in.png", 7),
        ("html-a", "raw.md", 8),
        ("html-img", "pic.png", 10),
        ("html-srcset", "a.webp", 11),
        ("html-srcset", "b.webp", 11),
        ("autolink", "https://example.com/x", 12),
    ]
    assert doc.links[0].title == "제목"
    assert doc.links[2].ref == "r" and doc.links[2].ref_line == 14 and doc.links[2].title == "정의 제목"
    assert doc.links[4].text == "그림"
    assert doc.links[8].text == "설명"  # alt of the multi-line <img>
    assert doc.front_matter == {"title": "예"}


def test_code_and_comments_hold_no_links():
    doc = scan(
        "`[inline](a.md)` and `` `[double](b.md)` ``\n"
        "\n"
        "```bash\n[fenced](c.md)\n```\n"
        "\n"
        "~~~\n![tilde](d.png)\n~~~\n"
        "\n"
        "    [indented](e.md)\n"
        "\n"
        '=== "bash"\n'
        "\n"
        "    ```bash\n    [tab](f.md)\n    ```\n"
        "\n"
        "!!! note\n"
        "\n"
        "    ```\n    [admonition](g.md)\n    ```\n"
        "\n"
        "<!-- [comment](h.md)\n<img src=\"i.png\"> -->\n"
        "[real](ok.md)\n"
    )
    assert kinds(doc) == [("link", "ok.md", 27)]


def test_brackets_that_are_not_links():
    doc = scan("[TODO] and [x] and [ ] and \\[escaped](no.md) and [undefined][nope]\n")
    assert doc.links == []
    assert [(r.ref, r.line) for r in doc.undefined_refs] == [("nope", 1)]


def test_link_text_may_wrap_lines_but_not_paragraphs():
    doc = scan("시작 [둘째 줄까지\n이어지는 링크](wrap.md)\n\n[열린 괄호\n\n](never.md)\n")
    assert kinds(doc) == [("link", "wrap.md", 1)]


def test_tab_and_admonition_fences_are_fenced_code():
    doc = scan(
        '=== "bash"\n'
        "\n"
        "    ```bash title=\"kfui\"\n"
        "    $ kfui\n"
        "      --8<-- \"kfui-alias.sh\"\n"
        "    ```\n"
        "\n"
        "!!! tip\n"
        "\n"
        "    ``` { .console }\n"
        "    $ alias | grep kfui\n"
        "    ```\n"
        "\n"
        "    들여쓴 코드가 아닌 문단\n"
    )
    fenced = [b for b in doc.code_blocks if b.fenced]
    assert [(b.lang, b.start_line, b.closed) for b in fenced] == [("bash", 3, True), ("console", 10, True)]
    assert fenced[0].info == 'bash title="kfui"'
    assert fenced[0].body == [(4, "$ kfui"), (5, '  --8<-- "kfui-alias.sh"')]
    assert fenced[1].body == [(11, "$ alias | grep kfui")]
    assert not [b for b in doc.code_blocks if not b.fenced]


def test_indented_code_block_is_listed():
    doc = scan("문단\n\n    $ kubectl get pods\n    NAME\n\n다음 문단\n")
    (block,) = doc.code_blocks
    assert (block.fenced, block.lang, block.body) == (False, "", [(3, "$ kubectl get pods"), (4, "NAME")])


def test_headings_and_ids():
    doc = scan(
        "---\n"
        "description: 앞머리도 줄 수에 들어갑니다\n"
        "---\n"
        "# Kubeflow UI 소개\n"
        "## 대시보드 메뉴 {#dashboard-menu}\n"
        "## 대시보드 메뉴\n"
        "## 대시보드 메뉴\n"
        "## `kfui` 별칭 (Alias)\n"
        "## 설정 {: #settings .wide }\n"
        "Setext 제목\n"
        "-----------\n"
        "### API 키 발급하기 ###\n"
        '<a name="raw-anchor"></a><span id="span-id"></span>\n'
        "문단 {: #para }\n"
        "각주[^1].\n\n[^1]: 설명\n"
    )
    assert [(h.level, h.text, h.id, h.line, h.explicit) for h in doc.headings] == [
        (1, "Kubeflow UI 소개", "kubeflow-ui-소개", 4, False),
        (2, "대시보드 메뉴", "dashboard-menu", 5, True),
        (2, "대시보드 메뉴", "대시보드-메뉴", 6, False),
        (2, "대시보드 메뉴", "대시보드-메뉴_1", 7, False),
        (2, "kfui 별칭 (Alias)", "kfui-별칭-alias", 8, False),
        (2, "설정", "settings", 9, True),
        (2, "Setext 제목", "setext-제목", 10, False),
        (3, "API 키 발급하기", "api-키-발급하기", 12, False),
    ]
    assert {"raw-anchor", "span-id", "para", "fn:1", "fnref:1"} <= doc.ids
    assert doc.title == "Kubeflow UI 소개"


def test_slugify_normalizes_nfd_hangul():
    nfd = unicodedata.normalize("NFD", "대시보드 메뉴")
    assert slugify(nfd) == "대시보드-메뉴"
    assert heading_plain_text("**굵게** 와 [링크](x.md) &amp; `a<b`") == "굵게 와 링크 & a<b"


HEADING_SAMPLE = """# 제목 하나

## 대시보드 메뉴

## 대시보드 메뉴

## `kfui` 설정하기 (Port) -> 다음

## **굵게** 그리고 _기울임_ [링크](x.md)

## API 키 발급하기 #

## 설정 {#settings}

## settings

## Kubeflow 1.0 vs. 26.03: 메뉴 이름

## 100% 완료 & 끝!

Setext
------

!!! note "상자"

    ### 상자 안 제목
"""


def _real_markdown(monkeypatch):
    from mkdocs.config import load_config

    monkeypatch.chdir(ROOT)
    config = load_config(str(ROOT / "mkdocs.yml"))
    return lambda: pymarkdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _rendered_heading_ids(html: str) -> list[str]:
    return re.findall(r"<h[1-6][^>]*\bid=\"([^\"]+)\"", html)


def test_heading_ids_match_the_real_markdown_config(monkeypatch):
    md = _real_markdown(monkeypatch)
    assert _rendered_heading_ids(md().convert(HEADING_SAMPLE)) == [h.id for h in scan(HEADING_SAMPLE).headings]


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "docs").glob("*.md")))
def test_heading_ids_of_every_guide_page_match_the_build(monkeypatch, page):
    md = _real_markdown(monkeypatch)
    text = (ROOT / "docs" / page).read_text("utf-8")
    body = re.sub(r"^-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", "", text, count=1, flags=re.S)
    assert _rendered_heading_ids(md().convert(body)) == [h.id for h in scan(text).headings]


def test_front_matter_error_names_the_line():
    doc = scan("---\ntitle: ok\ndescription: [unclosed\n---\n# 제목\n")
    assert doc.front_matter == {}
    assert doc.front_matter_error and "YAML" in doc.front_matter_error
    assert doc.front_matter_error_line in (3, 4, 5)


def test_unclosed_fence_is_a_problem_and_hides_nothing_after_it():
    """superfences shows a fence that no later line closes as text and renders the rest as
    Markdown (tests/test_differential.py proves it on the real renderer), so the links after
    it are links, and the message says so (it used to say "renders as code")."""
    doc = scan("# 제목\n\n```bash\n$ kfui\n[x](y.md)\n")
    ((line, check, message, hint),) = doc.problems
    assert (line, check) == (3, "markdown-unclosed-fence")
    assert "as code" not in message and "rest of the page as Markdown" in message
    assert doc.code_blocks[0].closed is False and kinds(doc) == [("link", "y.md", 5)]


def test_large_page_scans_and_keeps_line_numbers():
    line = "본문 [링크](page.md) 와 `코드` 그리고 ![그림](images/a.png)\n"
    text = line * 75000 + "[마지막](last.md)\n"
    assert len(text.encode()) > 5 * 1024 * 1024
    doc = scan(text)
    assert doc.links[-1].target == "last.md" and doc.links[-1].line == 75001
    assert len(doc.links) == 150001


SNIPPETS = {
    "kfui-alias.sh": 'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80"\n',
    "two.sh": "first\nsecond\nthird\n",
    "nested.sh": '--8<-- "two.sh"\n',
}


def test_expand_snippets_keeps_the_include_line():
    body = [(10, "$ cat ~/.bashrc"), (11, '--8<-- "kfui-alias.sh"'), (12, "$ kfui")]
    assert expand_snippets(body, SNIPPETS.get) == [
        (10, "$ cat ~/.bashrc"),
        (11, 'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80"'),
        (12, "$ kfui"),
    ]


def test_expand_snippets_ranges_nesting_escape_block_and_missing():
    missing = []
    body = [
        (1, '  --8<-- "two.sh:2:3"'),
        (2, '--8<-- "nested.sh"'),
        (3, ';--8<-- "two.sh"'),
        (4, "--8<--"),
        (5, "two.sh:1:1"),
        (6, "--8<--"),
        (7, '--8<-- "nope.sh"'),
    ]
    out = expand_snippets(body, SNIPPETS.get, on_missing=lambda line, name: missing.append((line, name)))
    assert out == [
        (1, "  second"), (1, "  third"),
        (2, "first"), (2, "second"), (2, "third"),
        (3, '--8<-- "two.sh"'),
        (4, "first"),
        (7, '--8<-- "nope.sh"'),
    ]
    assert missing == [(7, "nope.sh")]


def test_definition_and_footnote_continuations_are_not_code():
    doc = scan(
        "용어\n"
        ":   정의 문단\n"
        "\n"
        "    이어지는 문단의 [링크](glossary.md#term)\n"
        "\n"
        "본문[^note].\n"
        "\n"
        "[^note]: 각주 첫 줄\n"
        "\n"
        "    각주 둘째 문단 [링크](notes.md)\n"
    )
    assert kinds(doc) == [("link", "glossary.md#term", 4), ("link", "notes.md", 10)]
    assert doc.code_blocks == []


def _rendered_targets(html_text: str) -> tuple[list[str], list[str]]:
    import html as html_mod

    html_text = re.sub(r"<!--.*?-->", "", html_text, flags=re.S)
    hrefs = [html_mod.unescape(m.group(2)) for m in re.finditer(r"<a\s([^>]*?)href=\"([^\"]*)\"", html_text)
             if "headerlink" not in m.group(1) and "footnote" not in m.group(1)
             and not m.group(2).startswith("#__codelineno")]  # highlight's line-number anchors
    srcs = [html_mod.unescape(m) for m in re.findall(r"<img\s[^>]*?src=\"([^\"]*)\"", html_text)]
    return sorted(hrefs), sorted(srcs)


CROSS_CHECK_PAGES = sorted(
    [p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")]
    + [p.relative_to(ROOT).as_posix() for p in (ROOT / "tests" / "fixtures" / "checks").glob("*/docs/*.md")
       if p.parent.parent.name in ("good", "bad", "seed")]
)


@pytest.mark.parametrize("page", CROSS_CHECK_PAGES)
def test_links_and_images_match_the_rendered_html(monkeypatch, page):
    """Cross-check: the scanner finds exactly the links and images the real Markdown renders
    (every guide page and every check fixture page)."""
    md = _real_markdown(monkeypatch)
    text = (ROOT / page).read_text("utf-8")
    body = re.sub(r"^-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", "", text, count=1, flags=re.S)
    hrefs, srcs = _rendered_targets(md().convert(body))
    doc = scan(text)
    assert sorted(link.target for link in doc.links if not link.is_image) == hrefs
    assert sorted(link.target for link in doc.links if link.kind in ("image", "html-img")) == srcs


@pytest.mark.parametrize("text", [
    "[" * 200000,
    "[x\n" * 200000,
    "`` a\n" * 100000,
    "<a href=\n" * 100000,
    "[a](" * 100000,
    "[a](<" * 100000,
    "[" * 5000 + "]" * 5000 + "(x.md)",
    "```\n" * 3 + "x\n" * 100000,
    "<!--" * 60000,
    "```\n" + "<!--" * 60000 + "\n```\n",
    "[^" * 100000,
    "<div>" * 50000,
    "<div>\n" + "<p>" * 50000,
    "{: " + "a " * 100000,
    "# " + " " * 200000 + "x {",
    "[a]: b.md\n" * 50000 + "[t][a]\n" * 50000,
    " ".join("`" * (i % 50 + 1) + "x" for i in range(20000)),
])
def test_pathological_input_is_scanned_in_linear_time(text):
    """Unbalanced brackets, backticks and parentheses in a huge paragraph: the scanner pairs
    them in one pass (this test would take minutes if any of them went quadratic)."""
    doc = scan(text)
    assert doc.line_count == text.count("\n") + 1


# --- issue 13: the scanner agrees with the renderer ------------------------------------------


def test_reference_definitions_do_not_shift_later_lines():
    """A definition above a link used to move every later finding up (line 3 for line 7)."""
    doc = scan("# T\n\n[r]: index.md\n\ntext\n\n[t](nope.md)\n\n[a]: a.md\n[b]: b.md\n\n[u](late.md) [r]\n")
    assert kinds(doc) == [("link", "nope.md", 7), ("link", "late.md", 12), ("ref", "index.md", 12)]


def test_raw_html_blocks_hold_no_markdown_links():
    doc = scan(
        "<pre>\n[in pre](pre.md)\n</pre>\n\n"
        "<script>\nvar s = '[x](script.md)'; var t = '<a href=\"tag.md\">';\n</script>\n\n"
        "<div>\n[in div](div.md)\n<a href=\"raw.md\">raw</a>\n</div> tail [t](tail.md)\n\n"
        '<div markdown="1">\n\n[md](md.md)\n\n</div>\n'
    )
    assert kinds(doc) == [("html-a", "raw.md", 11), ("link", "tail.md", 12), ("link", "md.md", 16)]


def test_an_unclosed_raw_html_block_is_a_problem():
    doc = scan("# T\n\n<div>\n[x](x.md)\n")
    assert doc.links == []
    assert [(p[0], p[1]) for p in doc.problems] == [(3, "markdown-unclosed-html")]


def test_reference_labels_and_definitions_as_python_markdown_reads_them():
    doc = scan("[t][ r7 ] [u][r8] [v][R  9]\n\n[r7]: seven.md\n[r8]: <a b.md>\n[r  9]: nine.md\n")
    # " r7 " is not "r7"; "<a b.md>" is not a definition; "r  9" never matches a use ("r 9")
    assert doc.links == []
    assert [r.ref for r in doc.undefined_refs] == [" r7 ", "r8", "R  9"]
    spaced = scan("[text] [r]\n\n[r]: ok.md\n")
    assert kinds(spaced) == [("ref", "ok.md", 1)]


def test_escapes_and_entities_in_targets_are_what_the_browser_gets():
    doc = scan("[x](kubeflow\\-ui.md) [y](a\\_b.md?x=1&amp;y=2) [z](<c\\_d.md>)\n")
    assert [link.target for link in doc.links] == ["kubeflow-ui.md", "a_b.md?x=1&y=2", "c_d.md"]


def test_heading_ids_leave_out_emoji_and_images():
    doc = scan("## :smile: 웃는 얼굴\n\n## :material-check: 확인\n\n## ![아이콘](a.svg) 그림 제목\n\n## :not-an-emoji: 글\n")
    assert [h.id for h in doc.headings] == ["웃는-얼굴", "확인", "그림-제목", "not-an-emoji-글"]


def test_comments_block_inline_and_unclosed():
    doc = scan(
        "<!--\n\n[hidden](a.md)\n\n-->\n"
        "text <!-- c [hidden](b.md) --> [shown](c.md)\n\n"
        "x <!-- open\n\n[after](d.md)\n"
    )
    assert kinds(doc) == [("link", "c.md", 6), ("link", "d.md", 10)]
    assert [(p[0], p[1]) for p in doc.problems] == [(8, "markdown-unclosed-comment")]


def test_included_markdown_is_scanned_at_the_include_line(tmp_path):
    from kfguide.model.snippets import Snippets

    (tmp_path / "part.md").write_text("Part [inside](inside.md).\n\n![pic](pic.png)\n", "utf-8")
    doc = scan('# T\n\n--8<-- "part.md"\n\n[after](after.md)\n--8<-- "nope.md"\n',
               snippets=Snippets([tmp_path]))
    assert kinds(doc) == [("link", "inside.md", 3), ("image", "pic.png", 3), ("link", "after.md", 5)]
    assert [(p[0], p[1]) for p in doc.problems] == [(6, "snippet-missing")]


def test_front_matter_that_never_closes_or_nests_too_deep():
    unclosed = scan("---\ntitle: 열린 머리말\n\n# 제목\n")
    assert [(p[0], p[1]) for p in unclosed.problems] == [(1, "front-matter-unclosed")]
    deep = scan("---\ndeep: " + "[" * 1000 + "]" * 1000 + "\n---\n# 제목\n")
    assert deep.front_matter_error_line == 2 and "levels deep" in deep.front_matter_error
    bomb = "---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n# 제목\n"
    assert "alias" in scan(bomb).front_matter_error
