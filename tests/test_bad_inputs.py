"""Bad and unusual input (issue 13): never a traceback, one ``file:line`` finding each, the same
findings from ``mkdocs build`` (every hook of mkdocs.yml) and ``python -m kfguide check``.

The inputs are bench/survey.py's cases (``make bench-survey`` runs each alone and prints the
clean / traceback / silently wrong / slow counts). Here:

* every case that fits in one tree is put in one copy of the guide, built once and checked
  once: both runners must report exactly the expected findings (their lines come from the
  case text, never from the checks), the same findings with the same messages, and meet each
  case's own condition (nothing executed, nothing outside the repository published...);
* the cases that change a shared file or a runner's arguments are tested alone below.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_env

spec = importlib.util.spec_from_file_location("survey", ROOT / "bench" / "survey.py")
survey = importlib.util.module_from_spec(spec)
sys.modules["survey"] = survey  # dataclasses look their module up there
spec.loader.exec_module(survey)


def _by_name(name: str):
    return next(c for c in survey.cases() if c.name == name)


@pytest.fixture(scope="module")
def combined(tmp_path_factory):
    tree = tmp_path_factory.mktemp("combined") / "repo"
    tree.mkdir()
    survey.copy_tree(ROOT, tree)
    contexts, expected, conditions = survey.combine(tree, survey.combinable())
    runs = survey.runners(survey.Case("combined", "", lambda ctx: None), tree, sys.executable, timeout=900)
    return tree, expected, conditions, runs


def test_every_case_is_one_finding_at_its_line_in_the_build_and_the_cli(combined):
    tree, expected, conditions, runs = combined
    assert len(expected) >= 35
    for name, run in runs.items():
        assert run.code == 1, f"{name} exit {run.code}:\n{run.output[-3000:]}"
        crash = survey.CRASH.search(run.output)
        assert crash is None, f"{name}: {crash.group(0)}\n{run.output[-3000:]}"
        missing = {e for e in expected if not any(survey._matches(f, e) for f in run.findings)}
        extra = {f for f in run.findings if not any(survey._matches(f, e) for e in expected)}
        assert (missing, extra) == (set(), set()), name
    for case, ctx in conditions:
        assert case.condition(ctx, runs) is None, case.name


def test_the_build_and_the_cli_report_the_same_findings(combined):
    """One set of checks: the same tree gives the same findings, messages and hints included."""
    tree, _, _, _ = combined
    build = json.loads((tree / "out" / "checks.json").read_text("utf-8"))["findings"]
    cli = json.loads((tree / "out" / "cli.json").read_text("utf-8"))["findings"]
    assert build == cli
    checks = {f["check"] for f in cli}
    # every kind of check the runners share is in this tree
    assert {"term", "snippet-missing", "symlink-outside", "kfui-alias-mismatch", "link-missing-page",
            "page-encoding", "front-matter-invalid"} <= checks


# --- cases that run alone ------------------------------------------------------------------------


def _cli(tree: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KFGUIDE_", "GITHUB_"))}
    env["PYTHONPATH"] = str(tree)
    return subprocess.run([sys.executable, "-m", "kfguide", "check", *args], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    survey.copy_tree(ROOT, root)
    return root


def test_a_broken_mkdocs_yml_is_a_finding_at_its_line(tree):
    _by_name("config-yaml").apply(survey.Ctx(tree))
    result = _cli(tree, "--report", "")
    line = survey.Ctx(tree).line_of("mkdocs.yml", "docs_dir: [docs")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"mkdocs.yml:{line}: [config-invalid] mkdocs.yml is not valid YAML" in result.stdout


@pytest.mark.parametrize("case", ["config-i18n-shape", "config-i18n-locale"])
def test_an_unexpected_i18n_shape_is_a_finding_not_a_traceback(tree, case):
    _by_name(case).apply(survey.Ctx(tree))
    result = _cli(tree, "--report", "")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "[config-invalid]" in result.stdout and "mkdocs.yml:" in result.stdout
    # one finding: not also every translation reported as dropped by a language list that is unknown
    assert result.stdout.count("[config-invalid]") == 1 and "[file-dropped]" not in result.stdout, result.stdout


def test_an_unwritable_report_is_a_clear_error(tree):
    (tree / "blocker").write_text("a file, not a folder")
    result = _cli(tree, "--report", "blocker/checks.json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot write the report to blocker/checks.json" in result.stderr


@pytest.mark.parametrize("case", ["glossary-deep", "glossary-syntax", "glossary-alias-bomb", "glossary-utf8",
                                  "glossary-missing"])
def test_a_bad_glossary_is_one_finding_at_its_line(tree, case):
    spec_case = _by_name(case)
    ctx = survey.Ctx(tree)
    spec_case.apply(ctx)
    expected = survey.resolve(ctx, spec_case.expect)
    result = _cli(tree, "--report", str(tree / "out" / "r.json"))
    found = {(f["path"], f["line"], f["check"])
             for f in json.loads((tree / "out" / "r.json").read_text("utf-8"))["findings"]}
    assert found == expected and "Traceback" not in result.stderr


def test_the_canonical_alias_is_never_run_when_it_holds_shell_syntax(tree):
    case = _by_name("kfui-canonical-subst")
    ctx = survey.Ctx(tree)
    case.apply(ctx)
    result = _cli(tree, "--report", "")
    assert "snippets/kfui-alias.sh:1: [kfui-canonical]" in result.stdout
    assert case.condition(ctx, {}) is None  # PWNED-CANON was not created
    assert not (tree / "PWNED-CANON").exists() and not (tree.parent / "PWNED-CANON").exists()


def test_a_bad_glossary_and_an_unwritable_report_in_a_build(tree):
    """The build's side of the shared-file cases: a deep glossary (every hook reads it) and a
    report path that cannot be written give findings and a clear error, not a traceback."""
    _by_name("glossary-deep").apply(survey.Ctx(tree))
    (tree / "blocker").write_text("a file, not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tree / "out" / "site")],
        cwd=tree, env=mkdocs_env(KFGUIDE_REPORT="blocker/checks.json", PYTHONPATH=str(tree)),
        capture_output=True, text=True, timeout=900)
    assert "Traceback" not in result.stderr and result.returncode == 1
    assert "[glossary] " in result.stderr and "nested more than" in result.stderr
    assert "cannot write the checks report to blocker/checks.json" in result.stderr
