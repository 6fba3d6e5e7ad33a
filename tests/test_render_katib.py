"""The Katib app of tools/render_screens.py: its stub against data/sample-data.yml, no Katib source.

* the experiment the stub serves is the Katib chapter's iris-katib.yaml (same objective, limits,
  search space, image and command), and every trial's accuracy is what train.py computes;
* fetch_experiments, fetch_experiment, fetch_hp_job_info, fetch_trial and fetch_trial_templates
  answer with the shapes of the Go back end (pkg/ui/v1beta1), from the sample data;
* a missing parameter and a missing experiment are answered as the back end does.
"""

from __future__ import annotations

import re
import sys

import pytest
import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from screenkit.apps import katib  # noqa: E402
from screenkit.sample import SampleData  # noqa: E402
from screenkit.steps import Problem  # noqa: E402
from screenkit.stub import StubServer  # noqa: E402
from test_render_screens import call, get_json  # noqa: E402

SAMPLE = ROOT / "data" / "sample-data.yml"
OWNED = "kubeflow-user-example-com"
TEMPLATES = b"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: trial-templates
  namespace: kubeflow
  labels: {katib.kubeflow.org/component: trial-templates}
data:
  zeta.yaml: "kind: Job"
  alpha.yaml: "kind: Job"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated, namespace: kubeflow}
data: {x: y}
"""


def experiment() -> dict:
    return SampleData.load(SAMPLE).view()["katib_experiments"][OWNED][0]


def page_yaml() -> dict:
    """The iris-katib.yaml code block of docs/katib.md (indented inside a content tab)."""
    text = (ROOT / "docs" / "katib.md").read_text("utf-8")
    match = re.search(r'```yaml title="iris-katib.yaml"\n(.*?)\n\s*```', text, re.S)
    assert match, "docs/katib.md has no iris-katib.yaml block"
    lines = match.group(1).splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return yaml.safe_load("\n".join(line[indent:] for line in lines))


def test_the_sample_experiment_is_the_chapters_yaml():
    page = page_yaml()
    served = katib.experiment_resource(experiment(), OWNED)
    assert served["metadata"]["name"] == page["metadata"]["name"]
    assert served["metadata"]["namespace"] == page["metadata"]["namespace"]
    spec, wanted = served["spec"], page["spec"]
    for key in ("parallelTrialCount", "maxTrialCount", "maxFailedTrialCount", "algorithm"):
        assert spec[key] == wanted[key], key
    assert {k: spec["objective"][k] for k in wanted["objective"]} == wanted["objective"]
    assert [(p["name"], p["parameterType"], p["feasibleSpace"]) for p in spec["parameters"]] == [
        (p["name"], p["parameterType"], p["feasibleSpace"]) for p in wanted["parameters"]]
    assert spec["trialTemplate"]["trialParameters"] == wanted["trialTemplate"]["trialParameters"]
    assert spec["trialTemplate"]["primaryContainerName"] == wanted["trialTemplate"]["primaryContainerName"]
    served_job = spec["trialTemplate"]["trialSpec"]["spec"]["template"]
    page_job = wanted["trialTemplate"]["trialSpec"]["spec"]["template"]
    assert served_job["spec"]["containers"] == page_job["spec"]["containers"]
    assert served_job["metadata"] == page_job["metadata"]


def test_every_trial_accuracy_is_what_train_py_computes():
    from sklearn.datasets import load_iris
    from sklearn.model_selection import cross_val_score
    from sklearn.tree import DecisionTreeClassifier

    x, y = load_iris(return_X_y=True)
    sample = experiment()
    assert len(sample["trials"]) == sample["max_trials"]
    for trial in sample["trials"]:
        clf = DecisionTreeClassifier(max_depth=trial["max_depth"], criterion=trial["criterion"], random_state=0)
        assert trial["accuracy"] == f"{cross_val_score(clf, x, y, cv=5).mean():.4f}", trial["name"]
        assert 1 <= trial["max_depth"] <= 8 and trial["criterion"] in ("gini", "entropy")


# --- the stub ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stub(tmp_path_factory):
    build = tmp_path_factory.mktemp("katib-build")
    (build / "index.html").write_text('<!doctype html><base href="/katib/"><title>katib</title>', "utf-8")
    (build / "main.js").write_text("console.log('katib')", "utf-8")
    app = katib.KatibApp()
    app.templates = katib.read_templates(TEMPLATES, "fixture")
    sample = SampleData.load(SAMPLE)
    server = StubServer(app.mounts(build), sample.view()).start()
    server.sample = sample
    yield server
    server.stop()


def test_experiment_list_views(stub):
    (view,) = get_json(stub, f"/katib/fetch_experiments/?namespace={OWNED}")
    assert view["name"] == "iris-tree-random" and view["namespace"] == OWNED and view["type"] == "hp"
    assert view["status"] == "Succeeded"
    assert view["trials"] == 12 and view["trialsSucceeded"] == 12 and "trialsFailed" not in view
    assert view["currentOptimalTrial"]["bestTrialName"] == "iris-tree-random-f5lw9bzt"
    assert view["currentOptimalTrial"]["parameterAssignments"] == [
        {"name": "max_depth", "value": "4"}, {"name": "criterion", "value": "gini"}]
    assert view["currentOptimalTrial"]["observation"]["metrics"][0]["latest"] == "0.9667"
    assert get_json(stub, "/katib/fetch_experiments/?namespace=team-vision") == []
    code, kind, body = call(stub, "/katib/fetch_experiments/")
    assert (code, body) == (400, b"no 'namespace' query parameter was provided\n")


def test_experiment_resource_and_its_conditions(stub):
    served = get_json(stub, f"/katib/fetch_experiment/?experimentName=iris-tree-random&namespace={OWNED}")
    assert served["kind"] == "Experiment" and served["spec"]["metricsCollectorSpec"] == {"collector": {"kind": "StdOut"}}
    assert served["spec"]["objective"]["metricStrategies"] == [{"name": "accuracy", "value": "max"}]
    conditions = served["status"]["conditions"]
    assert [(c["type"], c["status"]) for c in conditions] == [("Created", "True"), ("Running", "False"), ("Succeeded", "True")]
    assert conditions[-1]["reason"] == "ExperimentMaxTrialsReached"  # the goal 0.99 is never reached
    assert served["status"]["completionTime"] == experiment()["completed_at"]
    assert len(served["status"]["succeededTrialList"]) == 12
    code, _kind, body = call(stub, f"/katib/fetch_experiment/?experimentName=nope&namespace={OWNED}")
    assert code == 500 and b'"nope" not found' in body


def test_hp_job_info_is_the_trials_csv(stub):
    text = get_json(stub, f"/katib/fetch_hp_job_info/?experimentName=iris-tree-random&namespace={OWNED}")
    rows = [line.split(",") for line in text.splitlines()]
    assert rows[0] == ["Status", "trialName", "accuracy", "max_depth", "criterion"]
    assert len(rows) == 13 and all(len(row) == 5 for row in rows)
    best = next(row for row in rows if row[1] == "iris-tree-random-f5lw9bzt")
    assert best == ["Succeeded", "iris-tree-random-f5lw9bzt", "0.9667", "4", "gini"]


def test_a_trial_and_its_metric_log(stub):
    trial = get_json(stub, f"/katib/fetch_trial/?trialName=iris-tree-random-x7rp3kqs&namespace={OWNED}")
    assert trial["spec"]["parameterAssignments"] == [{"name": "max_depth", "value": "1"},
                                                     {"name": "criterion", "value": "entropy"}]
    assert trial["status"]["observation"]["metrics"][0]["latest"] == "0.6667"
    assert trial["status"]["conditions"][-1]["reason"] == "TrialSucceeded"
    log = get_json(stub, f"/katib/fetch_hp_job_trial_info/?trialName=iris-tree-random-x7rp3kqs&namespace={OWNED}")
    assert log.splitlines()[0] == "metricName,time,value" and log.splitlines()[1].endswith(",0.6667")


def test_trial_templates_and_namespaces(stub):
    templates = get_json(stub, "/katib/fetch_trial_templates/")
    assert templates == {"Data": [{"ConfigMapNamespace": "kubeflow", "ConfigMaps": [
        {"ConfigMapName": "trial-templates", "Templates": [
            {"Path": "alpha.yaml", "Yaml": "kind: Job"}, {"Path": "zeta.yaml", "Yaml": "kind: Job"}]}]}]}
    assert get_json(stub, "/katib/fetch_namespaces") == [OWNED, "team-vision"]


def test_files_and_every_other_path(stub):
    assert call(stub, "/katib/static/main.js")[2] == b"console.log('katib')"
    for path in ("/katib/", "/katib/new", "/katib/experiment/iris-tree-random"):
        code, kind, body = call(stub, path)
        assert code == 200 and kind.startswith("text/html") and b"<title>katib</title>" in body, path


def test_templates_problems_are_clear():
    with pytest.raises(Problem, match="x.yaml: no ConfigMap labelled katib.kubeflow.org/component: trial-templates"):
        katib.read_templates(b"kind: ConfigMap\nmetadata: {name: a}\n", "x.yaml")
    with pytest.raises(Problem, match="x.yaml: not YAML"):
        katib.read_templates(b"a: [\n", "x.yaml")


# --- the second source: the common library at the commit the front end names ------------------


def _repo(root, files: dict[str, str], tag: str | None = None) -> str:
    import subprocess

    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"], *([["tag", tag]] if tag else [])):
        subprocess.run(git + args, check=True, capture_output=True)
    return subprocess.run(git + ["rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()


def test_prepare_takes_the_library_at_the_named_commit_and_the_releases_templates(tmp_path):
    import argparse

    from screenkit.source import Source

    lib_commit = _repo(tmp_path / "kubeflow", {f"{katib.LIB_PATH}/package.json": '{"name": "lib"}'})
    _repo(tmp_path / "kubeflow", {f"{katib.LIB_PATH}/package.json": '{"name": "lib, a later commit"}'})
    _repo(tmp_path / "katib", {f"{katib.KatibApp.component}/COMMIT": lib_commit[:9] + "\n",
                               katib.OWN_TEMPLATES: TEMPLATES.decode()}, tag="v0.19.0")
    _repo(tmp_path / "dist", {katib.TEMPLATES: TEMPLATES.decode().replace("zeta.yaml", "release.yaml")}, tag="release-x")
    app = katib.KatibApp()
    source = Source.open(str(tmp_path / "katib"), "v0.19.0", tmp_path / "work")
    for lib_src in (str(tmp_path / "kubeflow"), (tmp_path / "kubeflow").as_uri()):  # a clone and a URL
        record = app.prepare(argparse.Namespace(config_src=str(tmp_path / "dist"), config_ref="release-x",
                                                lib_src=lib_src), source, tmp_path / f"work-{len(lib_src)}")
        assert record["common_lib"]["ref"] == lib_commit[:9] and record["common_lib"]["commit"] == lib_commit
        assert (app.lib_dir / "package.json").read_text() == '{"name": "lib"}'  # not the later commit
        assert [t["Path"] for t in katib.katib_routes(app.templates)[5].handler(None, {}, {})[1]["Data"][0]
                ["ConfigMaps"][0]["Templates"]] == ["alpha.yaml", "release.yaml"]
        assert record["trial_templates"]["path"] == katib.TEMPLATES
    record = app.prepare(argparse.Namespace(config_src="none", config_ref="-", lib_src=str(tmp_path / "kubeflow")),
                         source, tmp_path / "work-own")
    assert record["trial_templates"] == {"repository": "kubeflow/katib", "ref": "v0.19.0", "commit": source.commit,
                                         "path": katib.OWN_TEMPLATES}


def test_a_front_end_without_commit_file_is_a_clear_problem(tmp_path):
    import argparse

    from screenkit.source import Source

    _repo(tmp_path / "katib", {f"{katib.KatibApp.component}/README.md": "x"}, tag="v0.19.0")
    source = Source.open(str(tmp_path / "katib"), "v0.19.0", tmp_path / "work")
    with pytest.raises(Problem, match=f"has no {katib.KatibApp.component}/COMMIT"):
        katib.KatibApp().prepare(argparse.Namespace(config_src="none", config_ref="-", lib_src="x"), source, tmp_path)


# --- the actions the apps' shots added to the shot list -----------------------------------------


def test_new_actions_parse_and_bad_ones_name_the_line():
    from screenkit.shotlist import ScreensError, parse_screens

    good = """\
defaults: {viewport: {width: 800, height: 600}}
screens:
  - name: a
    path: /
    wait_for: load
    output: out/a.webp
    actions:
      - fill: {into: "input", text: mnist-lab}
      - scroll_to: "form"
      - scroll_top: "form"
      - advance_clock: 5000
"""
    (screen,) = parse_screens(good, "s.yml").screens
    assert screen.actions == (("fill", ("input", "mnist-lab")), ("scroll_to", "form"), ("scroll_top", "form"),
                              ("advance_clock", 5000))
    bad = good.replace('{into: "input", text: mnist-lab}', '"input"').replace("advance_clock: 5000", "advance_clock: 0")
    with pytest.raises(ScreensError) as info:
        parse_screens(bad, "s.yml")
    assert info.value.problems == [
        "s.yml:8: screen 'a': fill needs {into: SELECTOR, text: TEXT}, got 'input'",
        "s.yml:11: screen 'a': advance_clock must be a whole number 1-60000, got 0",
    ]


def test_advance_clock_moves_the_frozen_clock(browser):
    from datetime import datetime, timezone

    from screenkit import shots
    from screenkit.browser import Offline, Setup, new_context
    from screenkit.fonts import FontBook
    from screenkit.shotlist import parse_screens

    screen = parse_screens("""\
defaults: {viewport: {width: 400, height: 300}}
screens:
  - {name: a, path: /, wait_for: load, output: out/a.webp, actions: [{advance_clock: 5000}]}
""", "s.yml").screens[0]
    now = datetime(2026, 3, 20, 9, 30, tzinfo=timezone.utc)
    context = new_context(browser, Setup((400, 300), 1.0, now), Offline("http://127.0.0.1:9", FontBook(ROOT / "node_modules")))
    try:
        page = context.new_page()
        page.set_content("<p>clock</p>")
        before = page.evaluate("() => Date.now()")
        shots.perform(page, screen, 5000)
        after = page.evaluate("() => Date.now()")
        page.wait_for_timeout(200)
        assert before == int(now.timestamp() * 1000) and after - before == 5000
        assert page.evaluate("() => Date.now()") == after  # still frozen, at the later time
    finally:
        context.close()
