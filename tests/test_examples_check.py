"""The examples check (kfguide.checks.examples): every rule fails on a bad fixture at the exact
line and passes on valid look-alikes; the guide's own pages pass; the names data is true to the
Kubeflow sources when a mirror is at hand."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from kfguide.checks import REGISTRY
from kfguide.checks import examples as check
from kfguide.model import examples as ex
from kfguide.model import kubeflow_names as kn

FIXTURES = ROOT / "tests" / "fixtures" / "checks" / "examples"
MIRRORS = Path("/work/.mirror")

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")

#: (path, line, check) for every defect in tests/fixtures/checks/examples/bad/docs
BAD_EXPECTED = {
    ("shell.md", 5, "example-shell"),        # $ echo "unterminated (the output line after it is not parsed)
    ("shell.md", 7, "example-shell"),        # for ... do without done: its own prompt, its own finding
    ("shell.md", 14, "example-shell"),       # script block: `if` without `fi`, reported at the end
    ("shell.md", 18, "example-shell"),       # a command ending in &&
    ("names.md", 6, "example-names"),        # Deployment centraldashboard: 26.03 only
    ("names.md", 7, "example-names"),        # ConfigMap centraldashboard-config: 26.03 only
    ("names.md", 8, "example-names"),        # minio-service: in neither 26.03.x release
    ("names.md", 9, "example-names"),        # resource type `notebok`
    ("names.md", 10, "example-names"),       # ConfigMap nosuch in the profile namespace
    ("names.md", 11, "example-files"),       # kubectl apply -f missing.yaml: no block titled so
    ("names.md", 12, "example-files"),       # python missing.py
    ("names.md", 18, "example-names"),       # the 26.03.1 tab: deploy/centraldashboard
    ("names.md", 24, "example-names"),       # the 26.03 tab: dashboard-config is 26.03.1's
    ("names.md", 30, "example-names"),       # release=1.0: no names recorded for 1.0
    ("names.md", 34, "example-names"),       # inside an alias: svc/istio-ingresgateway (typo)
    ("python.md", 4, "example-python"),      # `client` never defined: not a complete program
    ("python.md", 4, "example-namespace"),   # create_run_from_pipeline_package without namespace=
    ("python.md", 11, "example-python"),     # `pipeline` never defined
    ("python.md", 11, "example-namespace"),  # create_run_from_pipeline_func without namespace=
    ("python.md", 15, "example-python"),     # does not compile
    ("python.md", 20, "example-python"),     # iris_pipeline.py on the pages has no `nosuch`
    ("yaml.md", 9, "example-yaml"),          # unknown field spec.ownr (did you mean owner)
    ("yaml.md", 14, "example-yaml"),         # not a manifest and not marked fragment
    ("yaml.md", 23, "example-yaml"),         # fragment of=Experiment: a string for an integer
    ("yaml.md", 25, "example-yaml"),         # fragment of=Experiment: goal is a number
    ("yaml.md", 29, "example-yaml"),         # does not parse
    ("yaml.md", 33, "example-yaml"),         # unknown kind Experimnt
    ("other.md", 4, "example-dockerfile"),   # RUN before FROM
    ("other.md", 5, "example-dockerfile"),   # FROM python: no pinned tag
    ("other.md", 6, "example-dockerfile"),   # RUNN
    ("other.md", 7, "example-shell"),        # RUN echo "oops: bash -n on the RUN command
    ("other.md", 10, "example-language"),    # json: no rule reads it
    ("other.md", 14, "example-marker"),      # run on a python block
    ("other.md", 20, "example-marker"),      # unknown marker bogus
    ("other.md", 26, "example-marker"),      # of= on a python block
    ("other.md", 32, "example-marker"),      # run on a block without prompts
    ("other.md", 38, "example-marker"),      # no blank line between marker and fence
    ("other.md", 38, "example-marker"),      # needs-cluster on a text block
}


def pages_of(name: str) -> dict[str, str]:
    docs = FIXTURES / name / "docs"
    return {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in sorted(docs.rglob("*.md"))}


def triples(findings) -> set[tuple[str, int, str]]:
    return {(f.path, f.line, f.check) for f in findings}


@needs_bash
def test_bad_fixture_every_defect_at_its_line_and_nothing_else():
    found = check.check_examples(pages_of("bad"))
    assert triples(found) == BAD_EXPECTED, "\n".join(f.format() for f in found)


@needs_bash
def test_good_fixture_valid_look_alikes_pass():
    found = check.check_examples(pages_of("good"))
    assert found == [], "\n".join(f.format() for f in found)


@needs_bash
def test_the_guides_pages_pass():
    docs = ROOT / "docs"
    pages = {p.name: p.read_text("utf-8") for p in sorted(docs.glob("*.md"))}
    found = check.check_examples(pages)
    assert found == [], "\n".join(f.format() for f in found)


def test_registered_once_so_build_and_cli_run_it():
    assert [c.target for c in REGISTRY].count("examples:check_examples") == 1


@needs_bash
def test_messages_name_the_release_and_the_right_name():
    by_line = {(f.path, f.line, f.check): f for f in check.check_examples(pages_of("bad"))}
    renamed = by_line[("names.md", 6, "example-names")]
    assert "Deployment `centraldashboard`" in renamed.message and "26.03.1" in renamed.message
    assert "`dashboard`" in renamed.hint and '=== "26.03"' in renamed.hint
    assert "26.03 and 26.03.1" in by_line[("names.md", 8, "example-names")].message
    other = by_line[("names.md", 24, "example-names")]
    assert "`dashboard-config`" in other.message and "26.03" in other.message
    assert "`centraldashboard-config`" in other.hint
    assert "`istio-ingressgateway`" in by_line[("names.md", 34, "example-names")].hint
    assert "did you mean `owner`" in by_line[("yaml.md", 9, "example-yaml")].message
    assert "namespace=" in by_line[("python.md", 4, "example-namespace")].message
    assert "`client`" in by_line[("python.md", 4, "example-python")].message
    assert "unexpected EOF" in by_line[("shell.md", 5, "example-shell")].message


@needs_bash
def test_quotes_cannot_leak_between_blocks_in_the_shared_bash_run():
    # Two blocks with one open quote each balance out when concatenated: both must still fail.
    pages = {"a.md": '```bash\necho "one\n```\n\n```bash\necho two"\n```\n'}
    assert triples(check.check_examples(pages)) == {("a.md", 2, "example-shell"), ("a.md", 6, "example-shell")}


@needs_bash
def test_bash_syntax_one_process_for_clean_blocks(monkeypatch):
    calls = []
    real = check._bash_n

    def spy(bash, text):
        calls.append(text)
        return real(bash, text)

    monkeypatch.setattr(check, "_bash_n", spy)
    check._SYNTAX_CACHE.clear()
    texts = [f"kubectl get pods -n ns{k}" for k in range(30)]
    assert check.bash_syntax(texts) == tuple(None for _ in texts)
    assert len(calls) == 1
    calls.clear()
    assert check.bash_syntax(texts) == tuple(None for _ in texts)  # cached: no process at all
    assert calls == []


def test_check_crash_free_on_odd_input():
    pages = {"odd.md": "```python\n```\n\n```yaml\n```\n\n```console\n```\n\n```\nplain\n```\n\n```yaml\n- 1\n- 2\n```\n"}
    found = check.check_examples(pages)
    assert all(f.check != "check-crashed" for f in found)
    assert ("odd.md", 14, "example-yaml") in triples(found)  # a list is no manifest either


def test_steps_tell_prompts_output_and_continuations_apart():
    body = list(enumerate(["$ kubectl get pods \\", ">   -n kubeflow", "NAME READY", "(venv) $ echo hi", "hi"], 10))
    steps = ex.steps_of("console", body)
    assert [(s.line, s.command, [t for _, t in s.output]) for s in steps] == [
        (10, "kubectl get pods \\\n  -n kubeflow", ["NAME READY"]),
        (13, "echo hi", ["hi"]),
    ]
    script = ex.steps_of("bash", [(1, "echo a"), (2, "echo b")])
    assert len(script) == 1 and script[0].command == "echo a\necho b"


def test_kubectl_refs():
    refs = kn.kubectl_refs("kubectl get deployment a b -n kubeflow -o yaml".split())
    assert [(r.resource, r.name, r.namespace) for r in refs] == [("deployment", "a", "kubeflow"),
                                                                  ("deployment", "b", "kubeflow")]
    refs = kn.kubectl_refs("kubectl port-forward svc/istio-ingressgateway -n istio-system 8080:80".split())
    assert [(r.resource, r.name, r.namespace) for r in refs] == [("svc", "istio-ingressgateway", "istio-system")]
    refs = kn.kubectl_refs("kubectl --namespace=kubeflow logs deploy/dashboard -c main".split())
    assert [(r.resource, r.name, r.namespace) for r in refs] == [("deploy", "dashboard", "kubeflow")]
    assert kn.kubectl_refs("kubectl apply -f x.yaml".split()) == []
    assert [(r.resource, r.name) for r in kn.kubectl_refs("kubectl get pods,svc".split())] == [("pods", None), ("svc", None)]


def test_names_data_records_the_renames_of_26_03_1():
    names = kn.load()
    assert names.members("26.03.x") == ("26.03", "26.03.1")
    assert names.installed("26.03", "Deployment", "centraldashboard", "kubeflow")
    assert not names.installed("26.03.1", "Deployment", "centraldashboard", "kubeflow")
    assert names.installed("26.03.1", "Deployment", "dashboard", "kubeflow")
    assert names.installed("26.03.1", "ConfigMap", "dashboard-config", "kubeflow")
    assert not names.installed("26.03.1", "ConfigMap", "centraldashboard-config", "kubeflow")
    for release in ("26.03", "26.03.1"):
        assert names.installed(release, "Service", "seaweedfs", "kubeflow")
        assert not names.installed(release, "Service", "minio-service", "kubeflow")
        assert names.installed(release, "Service", "istio-ingressgateway", "istio-system")


def _mirror(repository: str) -> Path:
    return MIRRORS / repository.replace("/", "+") / "repo"


@pytest.mark.skipif(not _mirror("kubeflow/community-distribution").is_dir(),
                    reason="no mirror of kubeflow/community-distribution on this machine")
def test_names_data_matches_the_sources_in_the_mirror():
    """Every source path in data/kubeflow-names.yml names the object at the release's ref, and
    data/kubeflow-objects.json was written from the commit the ref points at now."""
    names = kn.load()
    generated = json.loads((ROOT / kn.OBJECTS_FILE).read_text("utf-8"))["releases"]
    for release, rel in names.releases.items():
        repo, ref = rel.source.split("@", 1)
        mirror = _mirror(repo)

        def show(path: str) -> str:
            return subprocess.run(["git", "-C", str(mirror), "show", f"{ref}:{path}"], check=True,
                                  capture_output=True, text=True).stdout

        commit = subprocess.run(["git", "-C", str(mirror), "rev-parse", ref], check=True,
                                capture_output=True, text=True).stdout.strip()
        assert generated[release]["commit"] == commit, f"{release}: rerun tools/update_names.py"
        for kind, objects in rel.profile.items():
            for name, path in objects.items():
                assert f'"{name}"' in show(path), (release, kind, name, path)
        for namespace, path in rel.profile_namespaces.items():
            assert f"name: {namespace}" in show(path)
        raw = __import__("yaml").safe_load((ROOT / kn.NAMES_FILE).read_text("utf-8"))
        for kind, entry in raw["releases"][release]["resources"].items():
            text = show(entry[0])
            assert f"kind: {kind}" in text and all(f": {w}" in text for w in entry[1:]), (release, kind)
