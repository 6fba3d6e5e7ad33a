"""The generated kfui terminal figure: drawn from the canonical alias, so it cannot drift.

Covers kfguide/builders/terminal.py (the SVG renderer), kfguide/builders/figures.py (what the build generates)
and hooks/figures.py (the files land in /images/ and /en/images/ of a strict build).
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, fixture_site, run_mkdocs_build
from kfguide.builders import figures
from kfguide.model import kfui
from kfguide.builders.terminal import TerminalError, columns, render_terminal_svg

SVG = "{http://www.w3.org/2000/svg}"
KO, EN = "images/kfui-terminal.svg", "images/kfui-terminal.en.svg"


def session_lines(svg: bytes | str) -> list[str]:
    """The session text a reader sees in the window (monospace <text> elements, in order)."""
    root = ET.fromstring(svg)
    return [
        "".join(el.itertext())
        for el in root.iter(f"{SVG}text")
        if "m" in el.get("class", "").split()
    ]


def copy_with_alias(tmp_path: Path, definition: str, facts: str | None = None) -> Path:
    (tmp_path / "snippets").mkdir()
    (tmp_path / kfui.ALIAS_FILE).write_text(f"# canonical alias\n{definition}\n", encoding="utf-8")
    if not (tmp_path / kfui.FACTS_FILE).exists():
        (tmp_path / "data").mkdir(exist_ok=True)
        text = facts if facts is not None else (ROOT / kfui.FACTS_FILE).read_text("utf-8")
        (tmp_path / kfui.FACTS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


# --- the renderer --------------------------------------------------------------------------


def test_kfui_figure_shows_exactly_the_alias_output():
    alias = kfui.load()
    expected = ["$ kfui", *alias.forward_output()]
    for uri in (KO, EN):
        svg = figures.generated_files()[uri]
        assert session_lines(svg) == expected
        root = ET.fromstring(svg)
        assert root.find(f"{SVG}desc").text == "\n".join(expected)


def test_changing_the_alias_changes_the_figure(tmp_path):
    real = figures.generated_files()
    root = copy_with_alias(
        tmp_path, 'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 9090:80"'
    )
    changed = figures.generated_files(root)
    assert changed.keys() == real.keys()
    for uri in changed:
        assert changed[uri] != real[uri]
        assert session_lines(changed[uri]) == [
            "$ kfui",
            "Forwarding from 127.0.0.1:9090 -> 8080",
            "Forwarding from [::1]:9090 -> 8080",
        ]


def test_the_figure_shows_the_target_port_of_the_guide_release_from_data(tmp_path):
    """The figure reads the same source as the pages and the check: data/kfui.yml."""
    assert session_lines(figures.generated_files()[KO])[1] == "Forwarding from 127.0.0.1:8080 -> 8080"
    facts = (ROOT / kfui.FACTS_FILE).read_text("utf-8").replace('guide_release: "26.03.x"', 'guide_release: "1.0"')
    root = copy_with_alias(
        tmp_path, 'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80"', facts
    )
    assert session_lines(figures.generated_files(root)[KO])[1:] == [
        "Forwarding from 127.0.0.1:8080 -> 80",
        "Forwarding from [::1]:8080 -> 80",
    ]


def test_a_broken_alias_is_reported_with_file_and_line(tmp_path):
    root = copy_with_alias(tmp_path, 'alias kfui="kubectl proxy --port 8080"')
    with pytest.raises(kfui.AliasError, match=r"^snippets/kfui-alias\.sh:2: "):
        figures.generated_files(root)


def test_svg_is_accessible_and_labelled_per_language():
    files = figures.generated_files()
    for uri, lang, label in ((KO, "ko", "스니펫에서 생성한 그림"), (EN, "en", "Generated from the snippet")):
        root = ET.fromstring(files[uri])
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("lang") == lang
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title.text == figures.KFUI_TITLES[lang]
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        texts = ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]
        assert label in texts
    assert files[KO] != files[EN]


def test_output_is_deterministic_and_small():
    first, second = figures.generated_files(), figures.generated_files()
    assert first == second
    assert {uri: make() for uri, make in figures.GENERATED.items()} == first
    for data in first.values():
        assert len(data) < 10_000, len(data)


def test_special_characters_are_escaped():
    line = 'a <b> & "c" \'d\''
    svg = render_terminal_svg([("command", "echo x"), ("output", line)], "t <&>", "en")
    root = ET.fromstring(svg)  # would raise on unescaped markup
    assert session_lines(svg) == ["$ echo x", line]
    assert root.find(f"{SVG}title").text == "t <&>"


def test_width_follows_the_longest_line_and_hangul_counts_double():
    def width(lines):
        return int(ET.fromstring(render_terminal_svg(lines, "t", "en", label="")).get("width"))

    assert columns("kfui") == 4 and columns("한글") == 4 and columns("a한") == 3
    short = width([("output", "x" * 40)])
    assert width([("output", "x" * 80)]) > short
    assert width([("output", "한" * 40)]) == width([("output", "x" * 80)])
    # The window is always wide enough for its label and title.
    assert width([("output", "x")]) < int(ET.fromstring(
        render_terminal_svg([("output", "x")], "t", "en", label="a much longer label here")
    ).get("width"))


@pytest.mark.parametrize(
    "lines, message",
    [
        ([], "at least one line"),
        ([("stdout", "x")], "line 1: kind must be"),
        ([("output", "ok"), ("output", "bell\x07")], "line 2: control character"),
    ],
)
def test_bad_sessions_are_refused(lines, message):
    with pytest.raises(TerminalError, match=message):
        render_terminal_svg(lines, "t", "en")


# --- language variants ---------------------------------------------------------------------


def test_each_language_gets_its_variant_or_the_default():
    files = {KO: b"ko", EN: b"en", "images/other.svg": b"only-default"}
    locales = frozenset({"ko", "en"})
    assert figures.for_language(files, "ko", "ko", locales) == {
        KO: (KO, b"ko"),
        "images/other.svg": ("images/other.svg", b"only-default"),
    }
    assert figures.for_language(files, "en", "ko", locales) == {
        KO: (EN, b"en"),
        "images/other.svg": ("images/other.svg", b"only-default"),
    }
    assert figures.dest_uri(KO, "ko", "ko") == KO
    assert figures.dest_uri(KO, "en", "ko") == "en/images/kfui-terminal.svg"
    assert figures.split_locale("images/x.y.svg", locales) == ("images/x.y.svg", None)
    assert figures.localized_uri(KO, "en") == EN


def test_cli_writes_the_figures(tmp_path, capsys):
    assert figures.main(["--out", str(tmp_path)]) == 0
    expected = figures.generated_files()
    for uri, data in expected.items():
        assert (tmp_path / uri).read_bytes() == data
    (tmp_path / "repo").mkdir()
    broken = copy_with_alias(tmp_path / "repo", "alias kfui=")
    assert figures.main(["--out", str(tmp_path / "o"), "--root", str(broken)]) == 1
    assert "snippets/kfui-alias.sh:2:" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# --- the build -----------------------------------------------------------------------------


def test_strict_build_of_the_guide_has_both_variants(built_site):
    expected = figures.generated_files()
    assert (built_site / KO).read_bytes() == expected[KO]
    assert (built_site / "en" / KO).read_bytes() == expected[EN]
    assert not (built_site / EN).exists() and not (built_site / "en" / EN).exists()
    for page in ("dashboard/index.html", "en/dashboard/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        # ../images/ from /dashboard/ is /images/, from /en/dashboard/ it is /en/images/
        assert 'src="../images/kfui-terminal.svg"' in html, page
    assert not (ROOT / "docs" / KO).exists(), "the figure must not be written into docs/"


PAGE_KO = "# 시작\n\n![kfui 실행 결과](images/kfui-terminal.svg)\n"
PAGE_EN = "# Start\n\n![Running kfui](images/kfui-terminal.svg)\n"


def _fixture(tmp_path: Path, alias: str, extra: dict[str, str | bytes] | None = None) -> Path:
    # Only this hook: the others check a whole guide, which a two-page fixture is not.
    config = fixture_site(
        tmp_path, {"index.md": PAGE_KO, "index.en.md": PAGE_EN, **(extra or {})}, hooks=["hooks/figures.py"]
    )
    shutil.rmtree(tmp_path / "snippets")  # the fixture copies the real snippets; use our own alias
    copy_with_alias(tmp_path, alias)
    return config


def test_fixture_build_draws_the_figure_from_its_own_alias(tmp_path):
    config = _fixture(
        tmp_path, 'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 9999:80"'
    )
    result = run_mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    ko = (tmp_path / "site" / KO).read_bytes()
    en = (tmp_path / "site" / "en" / KO).read_bytes()
    assert "Forwarding from 127.0.0.1:9999 -> 8080" in session_lines(ko)
    assert "Generated from the snippet".encode() in en and "스니펫에서".encode() in ko


def test_fixture_build_refuses_a_copy_in_docs(tmp_path):
    config = _fixture(
        tmp_path,
        'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80"',
        {KO: "<svg xmlns='http://www.w3.org/2000/svg'/>"},
    )
    result = run_mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/images/kfui-terminal.svg:0: this file is generated at build time" in result.stderr


def test_fixture_build_stops_cleanly_on_a_broken_alias(tmp_path):
    config = _fixture(tmp_path, 'alias kfui="kubectl port-forward svc/x -n ns 8080"')
    result = run_mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "ERROR   -  snippets/kfui-alias.sh:2: expected ports as LOCAL:REMOTE" in result.stderr
    assert "Traceback" not in result.stderr
