"""The [term] spelling check: disallowed variants in prose, with Korean particles."""

from __future__ import annotations

import subprocess
import sys

import pytest

from checks_fixtures import fixture_docs
from conftest import ROOT
from kfguide.builders import glossary_page
from kfguide.checks import glossary, spelling
from kfguide.model.prose import prose_lines

TERMS, _ = glossary.load(ROOT / glossary.DATA_PATH, docs_dir=ROOT / "docs", root=ROOT)
VARIANTS, CONTS = spelling.variants_from_terms(TERMS)
ALL = sorted((v.text, v.preferred) for v in VARIANTS)


def check(text: str):
    return spelling.check_text(text, "page.md", VARIANTS, CONTS)


@pytest.mark.parametrize("variant, preferred", ALL, ids=[v for v, _ in ALL])
def test_every_variant_is_flagged_with_and_without_particles(variant, preferred):
    text = (
        "---\ndescription: 앞부분\n---\n\n# 제목\n\n"
        f"{variant}\n"  # line 7: alone
        "\n"
        f"이 문장은 {variant}를 씁니다.\n"  # line 9: with 를
        f"- 목록에서 {variant}에서는 이렇게.\n"  # line 10: with 에서는
        f"| 표 | {variant}입니다 |\n"  # line 11: copula
        f"## {variant}의 제목\n"  # line 12: headings are prose too
    )
    found = check(text)
    assert [f.line for f in found] == [7, 9, 10, 11, 12], [f.format() for f in found]
    for f in found:
        assert f.check == "term"
        assert f.format().startswith(f"page.md:{f.line}: [term] '{variant}' → '{preferred}'")
        assert f.hint == f"use {preferred}"


@pytest.mark.parametrize("variant, preferred", ALL, ids=[v for v, _ in ALL])
def test_the_same_string_outside_prose_is_not_flagged(variant, preferred):
    in_url = variant.replace(" ", "%20")  # URLs carry no raw spaces
    text = (
        f"`{variant}`는 인라인 코드입니다.\n\n"
        f"```text\n{variant}\n```\n\n"
        f"!!! note\n    ~~~\n    {variant}\n    ~~~\n\n"
        f"[링크](https://example.com/{variant}/) 와 https://example.com/{in_url}\n\n"
        f"[문서](page.md#{variant}) <https://example.com/{in_url}>\n\n"
        f'<span title="{variant}">속성</span>\n\n'
        f"<!-- {variant} -->\n\n"
        f'쓰지 않는 표기: <del class="kfguide-variant">{variant}</del>\n'
    )
    assert check(text) == [], [f.format() for f in check(text)]


def test_flags_the_seed_spellings_in_context():
    text = "쥬피터 노트북이 쥬피터 서버에서 실행되므로\n머신러닝 워크프로우에서 MLFlow의 Hypterparameter Tuning\n"
    found = check(text)
    assert [(f.line, f.message.split("'")[1]) for f in found] == [
        (1, "쥬피터"), (1, "쥬피터"), (2, "워크프로우"), (2, "MLFlow"), (2, "Hypterparameter")]


def test_front_matter_description_is_prose_but_other_keys_are_not():
    text = ("---\ndescription: 대쉬보드를 여는 방법\ntranslated_from:\n  sha256: 대쉬보드\n"
            "title: >-\n  쥬피터 안내\n---\n\n# 제목\n")
    assert [(f.line, f.message.split("'")[1]) for f in check(text)] == [(2, "대쉬보드"), (6, "쥬피터")]
    # and the tooltip transform never touches front matter
    out = glossary_page.link_first_uses("---\ndescription: 대시보드 안내\n---\n\n대시보드\n", TERMS, "ko")
    assert out.startswith("---\ndescription: 대시보드 안내\n---\n\n[대시보드](")


def test_word_boundaries_and_compounds():
    # a variant inside a longer, different word is not a use of the variant
    assert check("프로파일링 결과와 매트릭스 곱셈\n") == []
    assert check("Katib의 MLflow와 MLFlowing\n") == []
    # a variant glued to another glossary term (no space) is still flagged
    assert [f.message.split("'")[1] for f in check("쥬피터노트북을 엽니다.\n")] == ["쥬피터노트북"]
    assert [f.message.split("'")[1] for f in check("쥬피터서버를 엽니다.\n")] == []  # 서버 is no term
    # several variants and lines in one run
    found = check("대쉬보드\n\n메타 데이터와\n워크플로우를\n")
    assert [f.line for f in found] == [1, 3, 4]


def test_the_real_guide_has_no_disallowed_variants():
    findings = spelling.check_docs(ROOT / "docs", TERMS)
    assert [f.format() for f in findings] == []


def test_cli_reports_path_line_and_exit_code(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("# 제목\n\n대쉬보드를 엽니다.\n", encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text("# 제목\n\n대시보드를 엽니다.\n", encoding="utf-8")
    run = lambda p: subprocess.run([sys.executable, "-m", "kfguide.report.spelling", str(p)], cwd=tmp_path,  # noqa: E731
                                   capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    result = run(bad)
    assert result.returncode == 1
    assert "bad.md:3: [term] '대쉬보드' → '대시보드'" in result.stdout
    result = run(good)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


# The original chapter, committed unchanged as a checks fixture (identical to shared/seed/000_78378e930c0c9eef.txt).
SEED = fixture_docs("seed") / "dashboard.md"


def test_seed_chapter_count():
    """The measurement in the issue: the original 2020 chapter has 10 disallowed spellings
    (쥬피터 x4, 워크프로우, Hypterparameter, 머신 러닝 x2, MLFlow, 레파지토리)."""
    found = spelling.check_files([SEED], TERMS)
    assert len(found) == 10, [f.format() for f in found]


# --- issue 13: linear on hostile input ---------------------------------------------------------


def test_particle_runs_are_read_without_backtracking():
    """"대쉬보드" + "이나" * 40 + "뷁" took hours: every way to split the particle run was tried."""
    run = "이나" * 40
    assert check(f"대쉬보드{run}뷁 입니다.\n") == []
    assert [f.line for f in check(f"대쉬보드{run} 입니다.\n")] == [1]


@pytest.mark.parametrize("text", [
    "<!--" * 60000,
    "```text\n" + "<!--" * 60000 + "\n```\n",
    "```text\n" + "<del>" * 48000 + "\n```\n",
    "[" * 200000,
    "(" * 200000 + "[a](" * 20000,
    " ".join("`" * (i % 50 + 1) + "x" for i in range(20000)),
])
def test_hostile_pages_are_masked_in_linear_time(text):
    """Each of these took minutes or more (a pattern rescanned the rest of the page for every
    opener); now the masking pairs them in one pass."""
    lines = prose_lines(text)
    assert len(lines) == text.count("\n") + 1
