"""kfui snippet checks (kfguide.checks.kfui): bad fixtures, valid look-alikes, the seed chapter,
the canonical file in a real bash, and the checks wired into ``python -m kfguide check``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from checks_fixtures import fixture_docs
from conftest import ROOT
from kfguide.checks import kfui as checks_kfui
from kfguide.model import kfui
from kfguide.model.markdown import scan

FIXTURES = ROOT / "tests" / "fixtures" / "checks" / "kfui"
SEED_DOCS = fixture_docs("seed")
CANONICAL = kfui.load()

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")

# (path, line, check) for every defect in tests/fixtures/checks/kfui/bad/docs
BAD_EXPECTED = {
    ("alias.md", 6, "kfui-alias-mismatch"),   # kubectl proxy instead of port-forward
    ("alias.md", 12, "kfui-alias-mismatch"),  # svc/istio-ingresgateway (typo)
    ("alias.md", 18, "kfui-alias-mismatch"),  # 8000:80
    ("alias.md", 24, "kfui-alias-mismatch"),  # -n kubeflow
    ("alias.md", 30, "kfui-quoting"),         # the seed's stray quote: '...80"
    ("alias.md", 36, "kfui-quoting"),         # no quotes at all
    ("alias.md", 42, "kfui-quoting"),         # "'...'" extra quotes
    ("alias.md", 48, "kfui-alias-mismatch"),  # $ alias kfui=... 9090:80 after a prompt
    ("alias.md", 49, "kfui-alias-mismatch"),  # inside echo '...' >> ~/.bashrc (istio-sytem)
    ("alias.md", 55, "kfui-quoting"),         # alias kfui = "..."
    ("output.md", 5, "kfui-output"),          # 127.0.0.1:8000 -> 8080 (local port)
    ("output.md", 6, "kfui-output"),          # [::1]:8080 -> 80: the 1.0 output, not 26.03.x's
    ("output.md", 14, "kfui-output"),         # second line missing (reported where it belongs)
    ("output.md", 23, "kfui-output"),         # unexpected error line
    ("output.md", 30, "kfui-grep-output"),    # bash never lists with double quotes
    ("output.md", 35, "kfui-grep-output"),    # zsh listing with another port
    ("output.md", 44, "kfui-output"),         # release=1.0 block showing 26.03.x's -> 8080
    ("output.md", 50, "kfui-output"),         # release=0.7 is not in data/kfui.yml
    ("ports.md", 3, "kfui-port"),             # prose http://localhost:8000
    ("ports.md", 5, "kfui-port"),             # autolink 127.0.0.1:8081
    ("ports.md", 7, "kfui-port"),             # link target localhost:9090
    ("ports.md", 10, "kfui-port"),            # [::1]:8888 in a console block
}


def fixture_pages(name: str) -> dict[str, str]:
    docs = FIXTURES / name / "docs"
    return {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in sorted(docs.rglob("*.md"))}


def triples(findings) -> set[tuple[str, int, str]]:
    return {(f.path, f.line, f.check) for f in findings}


def check(pages, root=FIXTURES / "bad", **kwargs):
    return checks_kfui.check_kfui(pages, root=root, execute=False, **kwargs)


# --- fixtures -------------------------------------------------------------------------------

def test_bad_fixture_every_defect_at_its_line_and_nothing_else():
    findings = check(fixture_pages("bad"))
    assert triples(findings) == BAD_EXPECTED
    assert all(f.message and f.severity == "error" for f in findings)


def test_valid_look_alikes_produce_no_finding():
    pages = fixture_pages("good")
    assert "no-kfui.md" in pages and "localhost:8000" in pages["no-kfui.md"]  # a page without kfui may use any port
    assert check(pages, root=FIXTURES / "good") == []


def test_documents_and_source_text_give_the_same_findings():
    pages = fixture_pages("bad")
    docs = {path: scan(text) for path, text in pages.items()}
    assert triples(check(docs, sources=pages)) == BAD_EXPECTED
    # without the source text only code blocks and link targets are seen: ports.md mentions kfui
    # only in prose, so it does not count as a page that uses kfui, and the example markers
    # (release=1.0 on line 40, release=0.7 on line 50) are comments outside the blocks, so both
    # blocks are checked against the guide's release (line 45 shows 1.0's `-> 80`)
    markers = {("output.md", 44, "kfui-output"), ("output.md", 50, "kfui-output")}
    assert triples(check(docs)) == {t for t in BAD_EXPECTED if t[0] != "ports.md"} - markers | {
        ("output.md", 45, "kfui-output")}


def test_messages_name_what_differs():
    by_line = {(f.path, f.line): f for f in check(fixture_pages("bad"))}
    assert "service 'svc/istio-ingresgateway' instead of 'svc/istio-ingressgateway'" in by_line[("alias.md", 12)].message
    assert "ports 8000:80 instead of 8080:80" in by_line[("alias.md", 18)].message
    assert "No closing quotation" in by_line[("alias.md", 30)].message
    assert "defines kfui as 'kubectl' only" in by_line[("alias.md", 36)].message
    assert 'kfui-alias.sh' in by_line[("alias.md", 6)].hint
    assert "expected `Forwarding from 127.0.0.1:8080 -> 8080`" in by_line[("output.md", 5)].message
    assert "in Kubeflow 26.03.x" in by_line[("output.md", 6)].message
    assert "expected `Forwarding from [::1]:8080 -> 8080`" in by_line[("output.md", 6)].message
    assert "target port in Kubeflow 26.03.x is 8080 (data/kfui.yml)" in by_line[("output.md", 6)].hint
    assert "expected `Forwarding from 127.0.0.1:8080 -> 80`" in by_line[("output.md", 44)].message
    assert "unknown Kubeflow release '0.7'" in by_line[("output.md", 50)].message
    assert by_line[("ports.md", 3)].hint == "write localhost:8080"
    assert by_line[("output.md", 30)].format().startswith("output.md:30: [kfui-grep-output] ")


def test_quote_style_decision_same_meaning_passes_different_meaning_fails():
    alias = CANONICAL
    same = [
        CANONICAL.definition,
        "alias kfui='kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80'",
        'alias kfui="kubectl  port-forward svc/istio-ingressgateway -n istio-system 8080:80"',
    ]
    for text in same:
        assert checks_kfui.check_definition(text, alias) is None, text
    different = {
        'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80': "kfui-quoting",
        "alias kfui=kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80": "kfui-quoting",
        "alias kfui=\"'kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80'\"": "kfui-quoting",
        'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:8080"': "kfui-alias-mismatch",
        'alias kfui="kubectl port-forward -n istio-system svc/istio-ingressgateway 8080:80"': "kfui-alias-mismatch",
    }
    for text, check_id in different.items():
        problem = checks_kfui.check_definition(text, alias)
        assert problem is not None and problem[0] == check_id, text


def test_canonical_include_follows_the_alias_file(tmp_path):
    """The include passes with the real file and fails as soon as a page's output disagrees with it."""
    page = '# 홈\n\n```bash\n--8<-- "kfui-alias.sh"\n```\n\n```console\n$ kfui\nForwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n```\n'
    assert check({"index.md": page}, root=ROOT) == []
    (tmp_path / "snippets").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / kfui.FACTS_FILE).write_text((ROOT / kfui.FACTS_FILE).read_text("utf-8"), "utf-8")
    (tmp_path / "snippets" / "kfui-alias.sh").write_text(
        'alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 9000:80"\n', "utf-8")
    assert len(kfui.write_sessions(tmp_path)) == 2
    found = triples(check({"index.md": page}, root=tmp_path))
    assert found == {("index.md", 9, "kfui-output"), ("index.md", 10, "kfui-output")}


def test_broken_canonical_file_is_one_finding_not_a_crash():
    assert triples(check(fixture_pages("broken-canonical"), root=FIXTURES / "broken-canonical")) == {
        ("snippets/kfui-alias.sh", 1, "kfui-canonical")}
    assert triples(check(fixture_pages("unparsable-canonical"), root=FIXTURES / "unparsable-canonical")) == {
        ("snippets/kfui-alias.sh", 0, "kfui-canonical")}


def test_seed_chapter_shows_the_1_0_output_which_is_wrong_for_26_03_and_right_as_history():
    """The seed (Kubeflow 1.0) prints `-> 80`: wrong for the guide's release, right when marked 1.0."""
    seed = {p.name: p.read_text("utf-8") for p in SEED_DOCS.glob("*.md")}
    block = "```bash\n$ kfui\nForwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80"
    assert block in seed["dashboard.md"]
    assert triples(check(seed, root=ROOT)) == {("dashboard.md", 16, "kfui-output"), ("dashboard.md", 17, "kfui-output")}
    history = dict(seed, **{"dashboard.md": seed["dashboard.md"].replace(block, "<!-- example: release=1.0 -->\n\n" + block)})
    assert check(history, root=ROOT) == []
    changed = dict(history, **{"dashboard.md": history["dashboard.md"].replace("[::1]:8080 -> 80", "[::1]:8000 -> 80")})
    assert triples(check(changed, root=ROOT)) == {("dashboard.md", 19, "kfui-output")}


def test_the_expected_output_comes_from_data_kfui_yml(tmp_path):
    """Changing the target port in the one source changes what every page must show, and the
    committed session snippet is reported stale until it is regenerated."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / kfui.ALIAS_FILE).write_text((ROOT / kfui.ALIAS_FILE).read_text("utf-8"), "utf-8")
    for snippet in (ROOT / "snippets").glob("kfui-session-*.txt"):
        (tmp_path / "snippets" / snippet.name).write_text(snippet.read_text("utf-8"), "utf-8")
    facts = (ROOT / kfui.FACTS_FILE).read_text("utf-8")
    (tmp_path / kfui.FACTS_FILE).write_text(facts, "utf-8")
    assert kfui.stale_sessions(tmp_path) == []
    (tmp_path / kfui.FACTS_FILE).write_text(facts.replace("target_port: 8080", "target_port: 8443"), "utf-8")
    page = "# 홈\n\n```console\n$ kfui\nForwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n```\n"
    stale = ("snippets/kfui-session-26.03.x.txt", 0, "kfui-canonical")
    assert triples(check({"index.md": page}, root=tmp_path)) == {
        ("index.md", 5, "kfui-output"), ("index.md", 6, "kfui-output"), stale}
    included = '# 홈\n\n```console\n--8<-- "kfui-session-26.03.x.txt"\n```\n'
    assert triples(check({"index.md": included}, root=tmp_path)) == {
        ("index.md", 4, "kfui-output"), ("index.md", 4, "kfui-output"), stale}
    assert kfui.write_sessions(tmp_path) == ["snippets/kfui-session-26.03.x.txt"]
    assert (tmp_path / "snippets" / "kfui-session-26.03.x.txt").read_text("utf-8").splitlines()[1] == (
        "Forwarding from 127.0.0.1:8080 -> 8443")
    assert check({"index.md": included}, root=tmp_path) == []


def test_committed_session_snippets_are_current():
    assert kfui.stale_sessions(ROOT) == []
    assert (ROOT / "snippets" / "kfui-session-26.03.x.txt").read_text("utf-8") == (
        "$ kfui\nForwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n")
    assert (ROOT / "snippets" / "kfui-session-1.0.txt").read_text("utf-8").splitlines()[1] == (
        "Forwarding from 127.0.0.1:8080 -> 80")


@pytest.mark.parametrize("text, message", [
    ("guide_release: '26.03.x'\nreleases: {}\n", "expected a mapping"),
    ("guide_release: '9.9'\nreleases:\n  '26.03.x': {service_port: 80, target_port: 8080, sources: [x]}\n", "guide_release '9.9'"),
    ("guide_release: '26.03.x'\nreleases:\n  '26.03.x': {service_port: 80, target_port: 0, sources: [x]}\n", "`target_port` must be a port"),
    ("guide_release: '26.03.x'\nreleases:\n  '26.03.x': {service_port: 80, target_port: 8080}\n", "`sources`"),
    ("guide_release: '26.03.x'\nreleases:\n  '26.03.x': {service_port: 443, target_port: 8443, sources: [x]}\n", "forwards to port 80"),
    ("releases: [\n", "not valid YAML"),
])
def test_broken_facts_file_is_one_finding_naming_the_file(tmp_path, text, message):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / kfui.ALIAS_FILE).write_text((ROOT / kfui.ALIAS_FILE).read_text("utf-8"), "utf-8")
    (tmp_path / kfui.FACTS_FILE).write_text(text, "utf-8")
    found = check({"index.md": "# 홈\n"}, root=tmp_path)
    assert [(f.path, f.check) for f in found] == [(kfui.FACTS_FILE, "kfui-canonical")]
    assert message in found[0].message


def test_real_guide_has_no_kfui_finding():
    from kfguide.model.site import SiteConfig, load_site

    site = load_site(ROOT / "docs", SiteConfig.from_mkdocs_yml(ROOT / "mkdocs.yml")[0])
    # the scanner expands includes itself now: a page that includes the file read it
    uses = [p for p, d in site.pages.items() if any(f.name == "kfui-alias.sh" for f in d.included_files)]
    assert uses, "the guide includes the canonical alias somewhere"
    assert checks_kfui.check_kfui(site.pages, root=ROOT, site=site) == []


# --- the canonical definition in a real bash -------------------------------------------------

@needs_bash
def test_canonical_alias_runs_kubectl_port_forward_in_real_bash():
    run = checks_kfui.run_alias_in_bash(ROOT / kfui.ALIAS_FILE)
    assert run.returncode == 0, run.stderr
    argv = run.argv
    assert argv[:2] == ("kubectl", "port-forward")
    # well-formed: a service, a namespace, LOCAL:REMOTE with valid ports
    recorded = kfui._from_argv("", " ".join(argv), argv, "bash")
    assert recorded.service.startswith("svc/") and recorded.namespace
    assert 1 <= recorded.local_port <= 65535 and 1 <= recorded.remote_port <= 65535
    # and exactly what the checks parsed from the file
    assert argv == CANONICAL.argv
    assert (recorded.service, recorded.namespace, recorded.local_port, recorded.remote_port) == (
        CANONICAL.service, CANONICAL.namespace, CANONICAL.local_port, CANONICAL.remote_port)
    # `alias | grep kfui` in bash prints what the pages show for bash
    assert run.listing == CANONICAL.bash_alias_listing()
    assert checks_kfui.verify_in_bash(CANONICAL, ROOT / kfui.ALIAS_FILE) == []


@needs_bash
def test_bash_verification_fails_when_bash_disagrees(tmp_path):
    other = tmp_path / "kfui-alias.sh"
    other.write_text('alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 8000:80"\n', "utf-8")
    found = checks_kfui.verify_in_bash(CANONICAL, other)
    assert {f.check for f in found} == {"kfui-canonical"} and len(found) == 2  # the call and the listing
    assert "8000:80" in found[0].message
    none = tmp_path / "none.sh"
    none.write_text('alias kfuu="kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80"\n', "utf-8")
    found = checks_kfui.verify_in_bash(CANONICAL, none)
    assert [f.check for f in found] == ["kfui-canonical"] and "did not call kubectl" in found[0].message
    bad = tmp_path / "bad.sh"
    bad.write_text('alias kfui="kubectl port-forward svc/istio-ingressgateway -n istio-system 99999:80"\n', "utf-8")
    found = checks_kfui.verify_in_bash(CANONICAL, bad)
    assert any("malformed" in f.message and "65535" in f.message for f in found)


# --- through the command line ---------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "KFGUIDE_EXTERNAL", "KFGUIDE_REPORT")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "kfguide", "check", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_reports_kfui_findings_with_file_and_line(tmp_path):
    report = tmp_path / "checks.json"
    result = run_cli("--docs", str(FIXTURES / "bad" / "docs"), "--report", str(report))
    assert result.returncode == 1, result.stderr
    data = json.loads(report.read_text("utf-8"))
    kfui_found = {(f["path"], f["line"], f["check"]) for f in data["findings"] if f["check"].startswith("kfui-")}
    assert kfui_found == BAD_EXPECTED
    assert "alias.md:30: [kfui-quoting] unbalanced quoting" in result.stdout
    assert "Traceback" not in result.stderr


def test_cli_reports_a_broken_canonical_file_as_a_finding(tmp_path):
    # the project folder (canonical file, snippets/) is the one holding --config's mkdocs.yml
    result = run_cli("--config", str(FIXTURES / "broken-canonical" / "mkdocs.yml"), "--report", str(tmp_path / "r.json"))
    assert result.returncode == 1
    assert "snippets/kfui-alias.sh:1: [kfui-canonical] cannot parse the alias: No closing quotation" in result.stdout
    assert "check-crashed" not in result.stdout and "Traceback" not in result.stderr


def test_cli_good_fixture_passes(tmp_path):
    result = run_cli("--docs", str(FIXTURES / "good" / "docs"), "--report", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_long_line_of_port_forward_words_is_read_in_linear_time():
    """`port-forward` 20,000 times on one line of a kfui page took 150 s (a lazy scan to the
    end of the line from every occurrence); the scan is bounded now."""
    text = "# kfui\n\nkfui " + "port-forward " * 20000 + "\n\n[x](http://localhost:9999/)\n"
    found = checks_kfui.check_kfui({"p.md": text}, root=ROOT, execute=False)
    assert [(f.line, f.check) for f in found] == [(5, "kfui-port")]
