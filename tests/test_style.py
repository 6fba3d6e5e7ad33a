"""The Korean style check (kfguide/checks/style.py): every rule trips on a bad sentence and
passes the look-alikes a real page contains (code, UI labels, quotes, URLs, versions, YAML,
tables, admonition titles, link texts, headings, front matter, English pages).

The rules read the project's real style sheet and readings (data/style.yml,
data/readings.yml); the glossary is a small one made here. Kiwi is loaded once per process.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from kfguide.checks import REGISTRY, run_checks, style
from kfguide.model import korean, memo
from kfguide.model import style as style_model
from kfguide.model.glossary import Term
from kfguide.model.site import SiteConfig, load_site

ROOT = Path(__file__).resolve().parent.parent

TERMS = [
    Term(ko="네임스페이스", en="Namespace", def_ko="-", def_en="-", chapter="index.md"),
    Term(ko="프로필", en="Profile", def_ko="-", def_en="-", chapter="index.md"),
    Term(ko="파드", en="Pod", def_ko="-", def_en="-", chapter="index.md", first_en=False),
    Term(ko="실행", en="Run", def_ko="-", def_en="-", chapter="index.md", tooltip=False),
    Term(ko="탐색 공간", en="search space", def_ko="-", def_en="-", chapter="index.md"),
    Term(ko="Katib", en="Katib", def_ko="-", def_en="-", chapter="index.md"),
    Term(ko="신경망 구조 탐색", en="Neural Architecture Search", abbr="NAS", def_ko="-", def_en="-",
         chapter="index.md"),
    Term(ko="어노테이션", en="annotation", def_ko="-", def_en="-", chapter="index.md"),
    Term(ko="Execution", en="Execution", def_ko="-", def_en="-", chapter="index.md"),
]


@pytest.fixture(scope="module")
def sheet():
    sheet, problems = style_model.load(ROOT)
    assert sheet is not None and problems == []
    return sheet


@pytest.fixture(scope="module")
def analyser():
    return korean.Analyser(None)


def run(text, sheet, analyser, terms=TERMS):
    return style.check_text(text, "page.md", sheet, terms, analyser).findings


def checks(findings, check):
    return [f for f in findings if f.check == check]


# --------------------------------------------------------------------------------------------
# Register


@pytest.mark.parametrize("sentence, kind", [
    ("파일은 홈 디렉터리에 저장하세요.", "해요체"),
    ("이 값은 나중에 바꿀 수 있어요.", "해요체"),
    ("노트북은 파드 하나로 돌아가죠.", "해요체"),
    ("이 명령은 포트를 연다.", "해라체"),
    ("설정 파일을 열어라.", "해라체"),
    ("이제 대시보드를 열자.", "해라체"),
])
def test_register_flags_other_endings(sentence, kind, sheet, analyser):
    found = checks(run(f"# 제목\n\n앞 문장입니다.\n{sentence}\n", sheet, analyser), "style-register")
    assert len(found) == 1, found
    assert found[0].line == 4 and kind in found[0].message and found[0].severity == "error"


def test_register_lookalikes_pass(sheet, analyser):
    page = "\n".join([
        "---",
        "description: 대시보드를 여는 방법을 설명합니다.",
        "---",
        "",
        "# 무엇이 어디에 저장되나",  # heading in 해라체 question form
        "",
        "설치 안내는 README를 따릅니다.",
        "이 상태를 두고 \"대시보드를 열었다\"처럼 말합니다.",  # quoted saying
        "`echo 안녕하세요`를 실행합니다.",  # code
        "",
        "| 언제 바뀌었나 | 상태 |",  # table header
        "|---|---|",
        "| 1.3 | 없음 |",  # noun ending in a table cell
        "",
        "- 볼륨이 남아 있음",  # noun ending in a list item
        "",
        '!!! warning "기본 비밀번호는 반드시 바꾸십시오"',  # admonition title (해요체 there: see below)
        "",
        "    비밀번호를 바꿉니다.",
        "    설치 안내는 README를 따르십시오.",  # -십시오 inside a warning is allowed
        "",
        "```bash",
        "# 이 줄은 주석이다",
        "```",
    ])
    assert checks(run(page, sheet, analyser), "style-register") == []


def test_register_haeyo_in_titles_and_headings(sheet, analyser):
    page = "\n".join([
        '!!! warning "기본 환경에 바로 설치하지 마세요"',  # 1: 해요체 title
        "",
        "    본문입니다.",
        "",
        "## 이렇게 하면 돼요",  # 5: 해요체 heading
        "",
        '!!! tip "무엇부터 쓸까"',  # a 해라체 question: a title may be one
        "",
        "    본문입니다.",
        "",
        '!!! warning "기본 비밀번호는 반드시 바꾸십시오"',
        "",
        "    본문입니다.",
        "",
        "## 무엇이 어디에 저장되나",
    ])
    found = checks(run(page, sheet, analyser), "style-register")
    assert [f.line for f in found] == [1, 5], found


def test_register_noun_ending_in_a_paragraph_is_flagged(sheet, analyser):
    assert checks(run("볼륨은 그대로 남음.\n", sheet, analyser), "style-register")


# --------------------------------------------------------------------------------------------
# Particles


@pytest.mark.parametrize("bad, right", [
    ("Katib는 AutoML 도구입니다.", "Katib은"),
    ("Katib로 튜닝합니다.", "Katib으로"),
    ("v1로 컴파일한 파이프라인입니다.", "v1으로"),
    ("설정을 YAML으로 적습니다.", "YAML로"),
    ("포트 8080를 씁니다.", "8080을"),
    ("Kubeflow이 설치되어 있습니다.", "Kubeflow가"),
    ("Dex과 함께 씁니다.", "Dex와"),
    ("GPU을 붙입니다.", "GPU를"),
    ("0.97가 나옵니다.", "0.97이"),
    ("프로필(Profile)를 만듭니다.", "프로필(Profile)을"),
])
def test_particle_mismatch(bad, right, sheet, analyser):
    found = checks(run(bad + "\n", sheet, analyser), "style-particle")
    assert len(found) == 1, found
    assert f"→ '{right}'" in found[0].message or right.endswith(found[0].hint.split()[-1])


def test_particle_lookalikes_pass(sheet, analyser):
    page = "\n".join([
        "Katib은 도구이고 Katib으로 튜닝합니다.",
        "1.11로 올립니다.",  # 일일: ㄹ takes 로
        "v2로 옮기고 v1으로 컴파일합니다.",
        "YAML을 적고 YAML로 저장합니다.",
        "`kfui`을 실행합니다.",  # code span: not read
        "[Katib 문서](https://example.com/katib)를 봅니다.",  # link target dropped, text read
        "2.16.1은 최신 버전입니다.",
        "Kubeflow 26.03.x를 씁니다.",
        "**STOP**으로 멈춥니다.",  # a word in capitals, not letters
        "네임스페이스(Namespace)를 고릅니다.",  # the particle follows the Korean word
        "브라우저로 http://localhost:8080을 엽니다.",
        "`Pending` 상태로 남습니다.",
    ])
    assert checks(run(page, sheet, analyser), "style-particle") == []


# --------------------------------------------------------------------------------------------
# Fixed spellings


def test_spelling_flags_saisiot(sheet, analyser):
    found = checks(run("목표값에 이르면 끝납니다.\n최소·최대값을 적습니다.\n", sheet, analyser), "style-spelling")
    assert [(f.line, f.hint) for f in found] == [(1, "write 목푯값"), (2, "write 최댓값")]


def test_spelling_lookalikes_pass(sheet, analyser):
    page = "목푯값과 최솟값, 기본값, 중앙값을 씁니다.\n\n```yaml\ngoal: 목표값\n```\n`최대값` 필드입니다.\n"
    assert checks(run(page, sheet, analyser), "style-spelling") == []


# --------------------------------------------------------------------------------------------
# First use and the English


def test_first_use_without_english_and_repeats(sheet, analyser):
    page = "네임스페이스를 고릅니다.\n네임스페이스(Namespace)는 구역입니다.\n프로필(Profile)을 만듭니다.\n프로필(Profile)이 있습니다.\n"
    found = checks(run(page, sheet, analyser), "style-first-use")
    assert [(f.line, f.severity) for f in found] == [(1, "warning"), (2, "warning"), (4, "warning")]
    assert "without its English" in found[0].message and "write 네임스페이스(Namespace)" in found[0].hint
    assert "repeats the English given at line 3" in found[2].message


def test_english_must_match_the_glossary(sheet, analyser):
    page = "네임스페이스(namespace)를 고릅니다.\n실행(run)을 묶습니다.\n"
    found = checks(run(page, sheet, analyser), "style-english")
    assert [(f.line, f.hint) for f in found] == [(1, "write (Namespace)"), (2, "write (Run)")]
    assert all(f.severity == "error" for f in found)


def test_first_use_lookalikes_pass(sheet, analyser):
    page = "\n".join([
        "---",
        "description: 네임스페이스를 고르는 방법입니다.",  # front matter is not the first use
        "---",
        "# 네임스페이스 고르기",  # a heading without English is not the first use
        "",
        "[네임스페이스 안내](other.md)를 먼저 읽습니다.",  # link text
        "파드가 뜹니다.",  # first_en: false (Kubernetes Korean glossary)
        "실행을 만듭니다.",  # tooltip: false (everyday word)
        "네임스페이스(Namespace)를 고릅니다.",
        "네임스페이스를 바꿉니다.",
        "탐색 공간(search space)을 정합니다.",
        "",
        "탐색 공간",
        ":   값의 범위입니다.",
    ])
    found = [f for f in run(page, sheet, analyser) if f.check in ("style-first-use", "style-english")]
    assert found == []


def test_a_definition_may_repeat_the_english_once(sheet, analyser):
    # the guide marks where a term is explained: a definition-list term, a bold term, the first
    # cell of a table row. The English may be repeated there (a reader looks it up there), once.
    page = "\n".join([
        "네임스페이스(Namespace)를 고릅니다.",  # 1 first use
        "",
        "네임스페이스(Namespace)",  # 3 definition-list term
        ":   이름으로 나눈 영역입니다.",
        "",
        "**네임스페이스**(Namespace)는 영역입니다.",  # 6 a second definition: flagged
        "프로필(Profile)을 만듭니다.",  # 7
        "**프로필(Profile)**은 소유자가 있습니다.",  # 8 bold definition (old markup)
        "",
        "| 용어 | 뜻 |",
        "|---|---|",
        "| 탐색 공간(Search space) | 범위 |",  # 12 first cell: a definition
        "| 범위 | 탐색 공간(search space)입니다 |",  # 13 not the first cell: a repeat
        "프로필(Profile)이 있습니다.",  # 14 running text: a repeat
    ])
    page = "탐색 공간(search space)을 정합니다.\n" + page
    found = checks(run(page, sheet, analyser), "style-first-use")
    assert [f.line for f in found] == [7, 14, 15], found


def test_a_first_use_in_a_table_leaves_the_definition_its_english(sheet, analyser):
    page = "| 1.0 | 지금 |\n|---|---|\n| 탐색 공간(search space) 10개 | 5개 |\n\n**탐색 공간**(search space)은 범위입니다.\n"
    assert checks(run(page, sheet, analyser), "style-first-use") == []


def test_bold_term_then_english_is_a_glossed_first_use(sheet, analyser):
    # the fix style-markup proposes (**term**(English)) must not trip the first-use rule
    page = "**네임스페이스**(Namespace)는 영역입니다.\n네임스페이스를 고릅니다.\n"
    assert [f for f in run(page, sheet, analyser) if f.check.startswith("style-")] == []


def test_quotes_and_captions_are_not_a_first_use(sheet, analyser):
    page = "\n".join([
        "용어는 처음에 영어를 함께 적습니다. 예: '네임스페이스(Namespace)'.",  # a mention
        '오래된 자료는 "프로필"이라고 씁니다.',  # quoted
        "<figure markdown>",
        "  <figcaption>그림 1. 네임스페이스 선택기와 탐색 공간</figcaption>",  # a caption
        "</figure>",
        "",
        "네임스페이스(Namespace)를 고릅니다. 프로필(Profile)을 만듭니다. 탐색 공간(search space)도 정합니다.",
    ])
    found = [f for f in run(page, sheet, analyser) if f.check in ("style-first-use", "style-english")]
    assert found == []
    # a caption glossed still counts as the first use
    glossed = "<figcaption>네임스페이스(Namespace)</figcaption>\n\n네임스페이스(Namespace)를 고릅니다.\n"
    assert [f.line for f in checks(run(glossed, sheet, analyser), "style-first-use")] == [3]


def test_the_glossary_abbreviation_is_its_english_too(sheet, analyser):
    page = "## 신경망 구조 탐색(NAS)\n\n신경망 구조 탐색(Neural Architecture Search, NAS)을 합니다.\n"
    assert checks(run(page, sheet, analyser), "style-english") == []
    wrong = "신경망 구조 탐색(NAT)을 합니다.\n"
    assert checks(run(wrong, sheet, analyser), "style-english")


def test_an_everyday_word_gets_its_english_where_the_term_is_meant(sheet, analyser):
    # 실행 (tooltip: false) is first an everyday word; the English comes with the technical
    # sense (line 2), and only a second gloss is a repeat
    page = "실행을 만듭니다.\n실행(Run)을 봅니다.\n실행(Run)을 지웁니다.\n"
    found = checks(run(page, sheet, analyser), "style-first-use")
    assert [f.line for f in found] == [3]
    assert "given at line 2" in found[0].message


def test_the_english_gloss_names_the_term(sheet, analyser):
    # the English says which sense is meant: another Korean word for it is the wrong term
    page = "\n".join([
        "어노테이션(annotation)을 붙입니다.",
        "**주석**(annotation)을 붙입니다.",  # 2: the glossary says 어노테이션
        "파드 주석(Annotation)을 봅니다.",  # 3
        "실행(Execution)을 봅니다.",  # 4: 실행 is Run; Execution stays English
    ])
    found = checks(run(page, sheet, analyser), "style-english")
    assert [(f.line, f.hint) for f in found] == [
        (2, "write 어노테이션(annotation)"), (3, "write 어노테이션(annotation)"),
        (4, "'Execution' is Execution in the glossary: write Execution")], found
    calm = "\n".join([
        "코드 주석(comment)은 읽지 않습니다.",  # not a glossary English
        "상태는 실행 중(Running)입니다.",  # a UI label
        "[주석(annotation) 안내](x.md)를 봅니다.",  # link text
        "`주석(annotation)`은 코드입니다.",
        "메뉴 이름은 Execution입니다.",
        "S3 호환 저장소(Katib, Execution)를 씁니다.",  # names kept in English: examples, not a gloss
    ])
    assert checks(run(calm, sheet, analyser), "style-english") == []


def test_sentence_case_english_is_fine_in_a_label_only(sheet, analyser):
    label = "탐색 공간(Search space)\n:   범위입니다.\n"
    text = "탐색 공간(Search space)을 정합니다.\n"
    assert checks(run(label, sheet, analyser), "style-english") == []
    assert checks(run(text, sheet, analyser), "style-english")


# --------------------------------------------------------------------------------------------
# Markup that breaks in CommonMark


def test_markup_flags_bold_closing_after_punctuation(sheet, analyser):
    page = "**워크스페이스 볼륨(Workspace Volume)**은 홈에 붙습니다.\n**`kfui`**는 별칭입니다.\n"
    found = checks(run(page, sheet, analyser), "style-markup")
    assert [f.line for f in found] == [1, 2]
    assert found[0].hint == "write **워크스페이스 볼륨**(Workspace Volume)은"
    assert found[1].hint == "write `kfui`는"
    assert found[0].severity == "warning"


def test_markup_lookalikes_pass(sheet, analyser):
    page = "\n".join([
        "**Notebooks**를 누릅니다.",
        "**워크스페이스 볼륨**(Workspace Volume)은 홈에 붙습니다.",
        "**Experiments (AutoML)** 메뉴입니다.",  # space after the bold
        "`**a)**b` 는 코드입니다.",
        "**중지(STOP)**",  # end of line
        "**주의(중요)**: 읽습니다.",  # punctuation follows
    ])
    assert checks(run(page, sheet, analyser), "style-markup") == []


# --------------------------------------------------------------------------------------------
# Long sentences and 의 chains


def test_long_sentence_and_its_threshold(sheet, analyser):
    limit = sheet.long_sentence
    long = "가" * (limit - 2) + "입니다."  # limit + 1 syllables
    ok = "가" * (limit - 3) + "입니다."  # exactly the limit
    found = checks(run(f"{ok}\n\n{long}\n", sheet, analyser), "style-long-sentence")
    assert [f.line for f in found] == [3] and found[0].severity == "warning"


def test_long_sentence_joins_lines_and_skips_descriptions(sheet, analyser):
    half = "나" * (sheet.long_sentence // 2 + 2)
    page = f"---\ndescription: {half}{half}입니다.\n---\n{half}\n{half}입니다.\n\n![{half}{half}](a.png)\n"
    found = checks(run(page, sheet, analyser), "style-long-sentence")
    assert [f.line for f in found] == [4]


def test_genitive_chain(sheet, analyser):
    found = checks(run("트라이얼들의 평균 성적의 중앙값보다 나쁩니다.\n", sheet, analyser), "style-genitive")
    assert len(found) == 1 and found[0].severity == "warning"
    # two separate 의 (Kiwi tags the 을 glued to 8080 as a noun: it still ends the chain)
    calm = "내 컴퓨터의 포트를 엽니다.\n쿠버네티스의 컴포넌트입니다.\n내 컴퓨터의 8080을 서비스의 80에 잇습니다.\n"
    assert checks(run(calm, sheet, analyser), "style-genitive") == []


# --------------------------------------------------------------------------------------------
# Lines, suppressions, data, the registered check


def test_lines_inside_lists_tables_and_admonitions(sheet, analyser):
    page = "\n".join([
        "---",
        "description: 설명입니다.",
        "---",
        "",
        "- 첫 항목입니다.",
        "- 둘째 항목은 Katib는 씁니다.",
        "",
        "| 항목 | 뜻 |",
        "|---|---|",
        "| a | 값을 고르세요. |",
        "",
        '!!! note "참고"',
        "",
        "    파일을 저장하세요.",
    ])
    found = run(page, sheet, analyser)
    assert sorted((f.line, f.check) for f in found) == [
        (6, "style-particle"), (10, "style-register"), (14, "style-register")]


def test_allow_comment_accepts_one_line(sheet, analyser):
    long = "가" * (sheet.long_sentence + 5) + "입니다."
    page = f"<!-- style: allow style-long-sentence -->\n{long}\n\n{long}\n"
    assert [f.line for f in run(page, sheet, analyser)] == [4]


def test_data_problems_are_findings(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/style.yml").write_text("long_sentence: many\nbogus: 1\n", "utf-8")
    (tmp_path / "data/readings.yml").write_text("Katib: 카팁\nKatib: 카팁\nKFP SDK: 에스디케이\nDex: dex\n", "utf-8")
    _, problems = style_model.load(tmp_path)
    messages = sorted((p, line, m.split(":")[0]) for p, line, m in problems)
    assert messages == [
        ("data/readings.yml", 2, "'Katib' is listed twice (first at line 1)"),
        ("data/readings.yml", 3, "'KFP SDK'"),
        ("data/readings.yml", 4, "'Dex'"),
        ("data/style.yml", 1, "'long_sentence' must be a whole number (0 turns the rule off)"),
        ("data/style.yml", 2, "unknown key 'bogus'"),
    ]


def test_every_latin_glossary_term_has_a_reading(sheet):
    from kfguide.checks import glossary

    terms, _ = glossary.load(ROOT / "data/glossary.yml", root=ROOT)
    assert style.data_findings(sheet, [], terms) == []
    bad = Term(ko="Zorblax", en="Zorblax", def_ko="-", def_en="-", chapter="index.md", line=7)
    found = style.data_findings(sheet, [], [bad])
    assert [(f.path, f.line, f.check) for f in found] == [("data/glossary.yml", 7, "style-data")]


def _project(tmp_path: Path, page: str) -> Path:
    (tmp_path / "data").mkdir()
    for name in ("style.yml", "readings.yml", "glossary.yml"):
        shutil.copy(ROOT / "data" / name, tmp_path / "data" / name)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/page.md").write_text(page, "utf-8")
    (tmp_path / "docs/page.en.md").write_text("You'll save it here. Save it, it's fine.\n", "utf-8")
    return tmp_path


def test_registered_and_runs_on_korean_pages_only(tmp_path):
    assert any(c.name == "style" and c.target == "style:check_style" for c in REGISTRY)
    root = _project(tmp_path, "# 페이지\n\nKatib는 도구예요.\n")
    site = load_site(root / "docs", SiteConfig(), root=root)
    found = [f for f in run_checks(site, style=True) if f.check.startswith("style-")]
    assert sorted((f.path, f.line, f.check) for f in found) == [
        ("page.md", 3, "style-particle"), ("page.md", 3, "style-register")]
    # the analyses are cached: a second run loads nothing and finds the same
    assert (root / ".cache/kfguide/style-morphemes.json").is_file()
    again = korean.Analyser(root / ".cache/kfguide/style-morphemes.json")
    again.analyse([style.mask_quotes("Katib는 도구예요.")])
    assert again.stats["hits"] == 1 and again.stats["misses"] == 0


def test_no_style_sheet_no_style_rules(tmp_path):
    root = _project(tmp_path, "Katib는 도구예요.\n")
    (root / "data/style.yml").unlink()
    site = load_site(root / "docs", SiteConfig(), root=root)
    assert [f for f in run_checks(site, style=True) if f.check.startswith("style-")] == []


def test_changed_scope_checks_only_edited_pages(tmp_path):
    root = _project(tmp_path, "Katib는 도구입니다.\n")
    (root / "docs/other.md").write_text("파일을 저장하세요.\n", "utf-8")
    config = SiteConfig(style_scope="changed")
    first = style.check_style(load_site(root / "docs", config, root=root), root=root)
    assert first == []  # the first build of `mkdocs serve` reads nothing
    (root / "docs/page.md").write_text("Katib는 도구예요.\n", "utf-8")
    second = style.check_style(load_site(root / "docs", config, root=root), root=root)
    assert sorted({(f.path, f.check) for f in second}) == [("page.md", "style-particle"), ("page.md", "style-register")]
    assert style.LAST_RUN["pages"] == 1  # other.md was not read again


# --------------------------------------------------------------------------------------------
# The real guide, the command line, mkdocs serve


def test_the_real_guide_has_no_style_findings():
    # the build (mkdocs build --strict) fails on any of them too; this names them directly
    config, docs_dir = SiteConfig.from_mkdocs_yml(ROOT / "mkdocs.yml")
    site = load_site(ROOT / docs_dir, config, root=ROOT)
    found = style.check_style(site, root=ROOT)
    assert [f.format() for f in found] == []
    assert style.LAST_RUN["pages"] + style.LAST_RUN["cached_pages"] >= 9  # every Korean page: read, or unchanged since the cached run


def test_the_command_line_runs_the_style_check_unless_told_not_to(tmp_path):
    import subprocess
    import sys

    root = _project(tmp_path, "# 페이지\n\n파일을 저장하세요.\n")
    cmd = [sys.executable, "-m", "kfguide", "check", "--docs", str(root / "docs"), "--report", ""]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    with_style = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    without = subprocess.run([*cmd, "--no-style"], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    # (both report the missing kfui snippet of this small project; only one reads the style)
    assert "page.md:3: [style-register]" in with_style.stdout, with_style
    assert "[style-" not in without.stdout and "[kfui" in without.stdout, without


def test_serve_checks_only_edited_pages_in_the_background(tmp_path):
    """`mkdocs serve` starts without analysing anything (no model load), and an edit to a
    page brings its style findings in the log, from the background thread."""
    import queue
    import subprocess
    import sys
    import threading
    import time

    from conftest import free_port, mkdocs_env
    from test_serve import _copy_project, _stop, _wait_for_http

    project = _copy_project(tmp_path / "project")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=mkdocs_env(KFGUIDE_REPORT=""), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    seen: list[str] = []
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()

    def wait_for(text: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no '{text}' in the serve log:\n{''.join(seen[-40:])}")

    try:
        wait_for("Serving on", 300)
        _wait_for_http(f"http://127.0.0.1:{port}/about/", proc)
        time.sleep(2)  # let the background thread take the first (no-op) run
        while not lines.empty():
            seen.append(lines.get())
        assert not [x for x in seen if "[style-" in x or "style: " in x], seen  # nothing analysed at start
        about = project / "docs" / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\n이 줄은 해요체로 끝나요.\n", encoding="utf-8")
        finding = wait_for("[style-register]", 300)
        assert "about.md" in finding
        summary = wait_for("style: 1 changed page(s)", 60)
        assert "1 findings" in summary and "Kiwi loaded" in summary  # loaded for the edit, not at start-up
        text = about.read_text(encoding="utf-8")
        about.write_text(text.replace("끝나요.", "끝납니다."), encoding="utf-8")
        fixed = wait_for("style: 1 changed page(s)", 300)
        assert "0 findings" in fixed and "Kiwi loaded" not in fixed  # the model stays loaded
    finally:
        _stop(proc)


def test_the_worker_process_analyses_like_the_process_itself(analyser):
    # mkdocs serve runs Kiwi in a child process (Kiwi holds the GIL while loading and analysing)
    sentences = ["파일을 저장하세요.", "Katib은 8080을 씁니다."]
    worker = korean.Analyser(None, worker=True)
    try:
        assert worker.analyse(sentences) == analyser.analyse(sentences)
        child = worker._kiwi.proc
        assert child.pid != os.getpid() and child.poll() is None  # a separate, living process
        assert worker.stats["misses"] == 2 and worker.stats["load_seconds"] > 0
        worker.analyse(sentences)
        assert worker.stats["hits"] == 2  # answered from memory, the child not asked again
    finally:
        worker._kiwi.proc.stdin.close()  # the child ends when its input closes
    assert worker._kiwi.proc.wait(timeout=60) == 0


def test_changed_scope_uses_the_worker_process(tmp_path):
    root = _project(tmp_path, "Katib는 도구입니다.\n")
    config = SiteConfig(style_scope="changed")
    style.check_style(load_site(root / "docs", config, root=root), root=root)
    (root / "docs/page.md").write_text("Katib는 도구예요.\n", "utf-8")
    found = style.check_style(load_site(root / "docs", config, root=root), root=root)
    assert {f.check for f in found} == {"style-particle", "style-register"}
    shared = korean.shared_analyser(root / ".cache/kfguide/style-morphemes.json", worker=True)
    assert shared.worker and shared.stats["misses"] == 1
    shared._kiwi.proc.stdin.close()


def test_the_cache_is_rewritten_only_when_it_changes(tmp_path):
    root = _project(tmp_path, "Katib은 도구입니다.\n")
    cache = root / ".cache/kfguide/style-morphemes.json"
    korean._shared.clear()  # a fresh process: the analyser reads the file it wrote
    site = lambda: load_site(root / "docs", SiteConfig(), root=root)  # noqa: E731
    style.check_style(site(), root=root)
    first = cache.stat().st_mtime_ns
    korean._shared.clear()
    style.check_style(site(), root=root)
    assert cache.stat().st_mtime_ns == first  # a warm run writes nothing
    (root / "docs/page.md").write_text("Katib은 다른 도구입니다.\n", "utf-8")
    korean._shared.clear()
    style.check_style(site(), root=root)
    kept = korean.Analyser(cache)
    kept.analyse(["Katib은 다른 도구입니다."])
    assert kept.stats["hits"] == 1 and len(kept._memory) == 1  # the old sentence was dropped


def test_imperative_only_in_warnings(sheet, analyser):
    assert sheet.imperative_in == {"warning", "danger"}  # data/style.yml
    page = "\n".join([
        "설정 파일을 확인하십시오.",  # 1: plain prose
        "",
        '!!! note "참고"',
        "",
        "    터미널은 열어 두십시오.",  # 5: a note is not a warning
        "",
        '!!! warning "주의"',
        "",
        "    비밀번호를 바꾸십시오.",  # inside a warning: allowed
        "",
        "    !!! tip",
        "",
        "        먼저 백업하십시오.",  # 13: a tip nested in the warning takes the tip's type
        "",
        "    계속 진행하십시오.",  # back in the warning's body: allowed
        "",
        '??? danger "데이터 삭제"',
        "    볼륨을 지우기 전에 복사하십시오.",  # collapsible danger: allowed
        "",
        "다음 단계로 넘어가십시오.",  # 20: prose again after the block
        "- 목록에서도 확인하십시오.",  # 21: a list item is prose
    ])
    found = checks(run(page, sheet, analyser), "style-register")
    assert [f.line for f in found] == [1, 5, 13, 20, 21], found
    assert "plain prose" in found[0].message and "'note' admonition" in found[1].message
    assert "!!! danger, !!! warning" in found[0].message


def test_admonition_kinds_follow_indentation():
    from kfguide.checks.style import admonition_kinds
    text = "a\n!!! warning\n\n    body\n\tbody with a tab\nafter\n???+ Danger \"t\"\n    x\n"
    kinds = admonition_kinds(text)
    assert kinds.get(1) is None and kinds[2] == kinds[4] == kinds[5] == "warning"
    assert 6 not in kinds and kinds[7] == kinds[8] == "danger"


def test_a_missing_analyser_is_one_finding_with_the_fix(tmp_path, monkeypatch):
    # a .venv made before kiwipiepy joined requirements.txt: the build must say what to run,
    # at a line, not report a crashed check
    root = _project(tmp_path, "Katib는 도구입니다.\n")  # a cold cache: Kiwi is needed
    monkeypatch.setitem(sys.modules, "kiwipiepy", None)  # import kiwipiepy raises ImportError
    monkeypatch.setattr(korean, "_KIWI", [])
    monkeypatch.setattr(korean, "_shared", {})
    site = load_site(root / "docs", SiteConfig(), root=root)
    found = [f for f in run_checks(site, style=True) if f.check.startswith(("style-", "check-"))]
    assert [(f.path, f.line, f.check) for f in found] == [("data/style.yml", 1, "style-unavailable")]
    assert "kiwipiepy is not installed" in found[0].message and "make build" in found[0].hint


def test_particle_positions_are_every_syllable_after_an_ascii_letter_digit_or_bracket():
    """_particles jumps with one regex to the places a particle can touch a Latin word; it
    finds the same places as reading every character (the guide's sentences, random lines)."""
    import random

    def every_character(s: str) -> list[int]:
        return [i for i in range(1, len(s))
                if s[i - 1].isascii() and (s[i - 1].isalnum() or s[i - 1] == ")") and korean.is_syllable(s[i])]

    lines = [u.text for page in sorted((ROOT / "docs").glob("*.md")) if not page.name.endswith(".en.md")
             for u in style.units(page.read_text(encoding="utf-8"))]
    rng = random.Random(15)
    pieces = ["Katib", "는", "를", "(", ")", "x", "9", "é", "Ｋ", "ㄱ", " ", "가", "힣", "_", "一"]
    lines += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    hits = 0
    for s in lines:
        got = [m.start() for m in style._AFTER_LATIN.finditer(s)]
        assert got == every_character(s), s
        hits += len(got)
    assert hits > 100


def test_checking_pages_outside_the_project_keeps_the_projects_cache(tmp_path):
    """A run over a folder outside the project (a test fixture checked with the project's style
    sheet) adds to the cache but drops nothing: the project's next build stays warm."""
    (tmp_path / "project").mkdir()
    root = _project(tmp_path / "project", "Katib은 도구입니다.\n")
    cache = root / ".cache/kfguide/style-morphemes.json"
    korean._shared.clear()
    style.check_style(load_site(root / "docs", SiteConfig(), root=root), root=root)
    elsewhere = tmp_path / "fixture"
    elsewhere.mkdir()
    (elsewhere / "page.md").write_text("Pipelines는 다른 도구입니다.\n", "utf-8")
    korean._shared.clear()
    style.check_style(load_site(elsewhere, SiteConfig(), root=root), root=root)
    kept = korean.Analyser(cache)
    kept.analyse(["Katib은 도구입니다."])
    assert kept.stats["hits"] == 1 and kept.stats["misses"] == 0


# --------------------------------------------------------------------------------------------
# Findings kept between runs (FindingsCache): used when nothing changed, never stale


def test_the_findings_cache_is_used_and_every_input_invalidates_it(tmp_path, monkeypatch):
    root = _project(tmp_path, "Katib는 도구예요.\nZorblax은 도구입니다.\n")
    stored = root / ".cache/kfguide" / f"{style.FINDINGS_STORE}.json"

    def run() -> list[tuple[int, str]]:
        korean._shared.clear()  # each run as a fresh process would: only the files carry over
        found = style.check_style(load_site(root / "docs", SiteConfig(), root=root), root=root)
        return sorted((f.line, f.check) for f in found if f.path == "page.md")

    first = run()
    assert first == [(1, "style-particle"), (1, "style-register")]  # Zorblax: no reading yet
    assert (style.LAST_RUN["pages"], style.LAST_RUN["cached_pages"]) == (1, 0) and stored.is_file()

    # nothing changed: the page's findings come from the file, Kiwi is not asked
    def no_analyser(*args, **kwargs):
        raise AssertionError("the analyser was needed for an unchanged page")

    with monkeypatch.context() as m:
        m.setattr(korean, "shared_analyser", no_analyser)
        assert run() == first
    assert (style.LAST_RUN["pages"], style.LAST_RUN["cached_pages"]) == (0, 1)

    # each input that decides the findings makes the page be checked again
    readings = root / "data/readings.yml"
    readings.write_text(readings.read_text("utf-8") + "Zorblax: 조르블락스\n", "utf-8")
    assert run() == [(1, "style-particle"), (1, "style-register"), (2, "style-particle")]
    assert style.LAST_RUN["pages"] == 1

    sheet = root / "data/style.yml"
    sheet.write_text(sheet.read_text("utf-8").replace("long_sentence: 50", "long_sentence: 3"), "utf-8")
    assert (2, "style-long-sentence") in run() and style.LAST_RUN["pages"] == 1

    glossary = root / "data/glossary.yml"
    glossary.write_text(glossary.read_text("utf-8") + "\n# one more line\n", "utf-8")
    run()
    assert style.LAST_RUN["pages"] == 1

    monkeypatch.setattr(memo, "_CODE", ["another version of the code"])
    run()
    assert style.LAST_RUN["pages"] == 1
    monkeypatch.setattr(korean, "analyser_version", lambda: "kiwipiepy-0+model-0")
    run()
    assert style.LAST_RUN["pages"] == 1

    (root / "docs/page.md").write_text("Katib은 도구입니다.\n", "utf-8")  # the page itself
    assert run() == [(1, "style-long-sentence")] and style.LAST_RUN["pages"] == 1  # (long_sentence: 3)
    assert run() == [(1, "style-long-sentence")]
    assert (style.LAST_RUN["pages"], style.LAST_RUN["cached_pages"]) == (0, 1)


def test_a_damaged_or_foreign_findings_cache_is_checked_again(tmp_path):
    root = _project(tmp_path, "Katib는 도구예요.\n")
    stored = root / ".cache/kfguide" / f"{style.FINDINGS_STORE}.json"
    site = lambda: load_site(root / "docs", SiteConfig(), root=root)  # noqa: E731
    expected = sorted(style.check_style(site(), root=root))
    for damage in ("{", "[]", '{"context": 1, "entries": []}'):
        stored.write_text(damage, "utf-8")
        assert sorted(style.check_style(site(), root=root)) == expected, damage
        assert style.LAST_RUN["pages"] == 1
    data = json.loads(stored.read_text("utf-8"))
    (entry,) = data["entries"].values()
    for damage in ([["page.md", "not a line"]], [["page.md", 1, "style-x", "m", "", "fatal"]], "rows"):
        entry["findings"] = damage  # an entry of another shape
        stored.write_text(json.dumps(data), "utf-8")
        assert sorted(style.check_style(site(), root=root)) == expected and style.LAST_RUN["pages"] == 1
    # a page that is gone leaves the file at the next run
    (root / "docs/other.md").write_text("파일을 저장합니다.\n", "utf-8")
    style.check_style(site(), root=root)
    assert len(json.loads(stored.read_text("utf-8"))["entries"]) == 2
    (root / "docs/other.md").unlink()
    style.check_style(site(), root=root)
    assert len(json.loads(stored.read_text("utf-8"))["entries"]) == 1


def test_a_run_outside_the_project_neither_reads_nor_writes_its_findings_cache(tmp_path):
    (tmp_path / "project").mkdir()
    root = _project(tmp_path / "project", "Katib는 도구예요.\n")
    stored = root / ".cache/kfguide" / f"{style.FINDINGS_STORE}.json"
    style.check_style(load_site(root / "docs", SiteConfig(), root=root), root=root)
    before = stored.read_bytes()
    elsewhere = tmp_path / "fixture"
    elsewhere.mkdir()
    (elsewhere / "page.md").write_text("Katib는 도구예요.\n", "utf-8")  # same path, same text
    found = style.check_style(load_site(elsewhere, SiteConfig(), root=root), root=root)
    assert {f.check for f in found} == {"style-particle", "style-register"}
    assert style.LAST_RUN["pages"] == 1 and stored.read_bytes() == before
