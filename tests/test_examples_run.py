"""The pages' code, run and compiled with the SDK versions the guide names (offline).

* ``<!-- example: run -->`` console blocks: each command runs in bash in a sandbox folder that
  holds the page's titled files (``train.py``, ``iris_pipeline.py`` ...), with this
  environment's ``python`` first on PATH and pip kept offline; what it prints (stdout and stderr,
  as a terminal shows them) must be the output the page shows. A line ``...`` on the page stands
  for any number of printed lines (the page says so where it uses it); every other line must
  match exactly (trailing blanks aside).
* Every Python block that defines a KFP pipeline compiles with the kfp SDK installed here
  (requirements-test.txt pins the SDK the guide names).
* Every call into the kfp SDK in the pages' Python (``kfp.Client(...)`` and its methods,
  ``local.init``, ``compiler.Compiler().compile``, ``dsl.component(...)`` ...) binds to the
  installed SDK's signature: an unknown keyword, a missing argument or a missing method fails
  with the page and line.
* Every ``package==version`` on the pages is the version installed here (or, for the Katib SDK,
  which stays out of this environment because it needs protobuf < 5, the Katib tag the CRD
  schemas come from).

Katib's ``iris_katib_sdk.py`` is compiled and checked by the build (needs-cluster), not imported:
its calls are bound to the Katib SDK's signatures recorded in data/sdk/katib.json.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT
from kfguide.model import examples as ex

DOCS = ROOT / "docs"
#: Modules the pages import that this environment deliberately lacks, with the reason.
NOT_INSTALLED = {"kubeflow": "the Katib SDK needs protobuf < 5, kfp 2.16 needs >= 6.31 (see katib.md)"}


def all_examples() -> dict[str, list[ex.Example]]:
    return {p.name: ex.page_examples(p.name, p.read_text("utf-8")) for p in sorted(DOCS.glob("*.md"))}


EXAMPLES = all_examples()
RUN_BLOCKS = [(path, item) for path, items in EXAMPLES.items() for item in items if "run" in item.marks]
PYTHON_BLOCKS = [(path, item) for path, items in EXAMPLES.items() for item in items
                 if item.kind == "python" and not item.is_fragment]


def page_files(path: str) -> dict[str, str]:
    """The titled blocks of a page: file name -> text (``~/.bashrc`` and the like left out)."""
    return {item.title: item.block.text + "\n" for item in EXAMPLES[path]
            if item.title and "/" not in item.title and not item.title.startswith("~")}


def files_for(path: str, commands: list[str]) -> dict[str, str]:
    """The page's files the commands use: the ones they name, and the page's Python modules
    those import (so two pages with the same program share one run)."""
    files = page_files(path)
    text = "\n".join(commands)
    wanted = {name for name in files if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text)}
    todo = [n for n in wanted if n.endswith(".py")]
    while todo:
        try:
            tree = ast.parse(files[todo.pop()])
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for module in modules:
                name = module.split(".")[0] + ".py"
                if name in files and name not in wanted:
                    wanted.add(name)
                    todo.append(name)
    return {name: files[name] for name in sorted(wanted)}


def language_files(path: str) -> dict[str, str]:
    """The titled Python files of every page in the language of ``path``."""
    lang = ex.language_of(path)
    out: dict[str, str] = {}
    for other in EXAMPLES:
        if ex.language_of(other) == lang:
            out.update({k: v for k, v in page_files(other).items() if k.endswith(".py")})
    return out


# ---------------------------------------------------------------------------------------------
# Output with `...`


def match_output(shown: list[str], printed: list[str]) -> tuple[bool, str]:
    """Whether ``printed`` is what ``shown`` shows (``...`` = any number of lines). Returns
    ``(ok, first difference)``."""
    shown = [s.rstrip() for s in shown]
    printed = [p.rstrip() for p in printed]
    while shown and not shown[-1]:
        shown.pop()
    while printed and not printed[-1]:
        printed.pop()
    # table[i][j]: shown[i:] matches printed[j:]
    n, m = len(shown), len(printed)
    table = [[False] * (m + 1) for _ in range(n + 1)]
    table[n][m] = True
    for i in range(n - 1, -1, -1):
        for j in range(m, -1, -1):
            if shown[i] == "...":
                table[i][j] = table[i + 1][j] or (j < m and table[i][j + 1])
            else:
                table[i][j] = j < m and shown[i] == printed[j] and table[i + 1][j + 1]
    if table[0][0]:
        return True, ""
    # the first shown line that cannot be matched, for the message
    j = 0
    for i, line in enumerate(shown):
        if line == "...":
            continue
        if line in printed[j:]:
            j = printed.index(line, j) + 1
        else:
            return False, f"the page shows {line!r}, which the program does not print there"
    return False, f"the program prints lines the page does not show (e.g. {printed[-1]!r} at the end)"


def test_match_output_elision():
    assert match_output(["a", "...", "z"], ["a", "b", "c", "z"])[0]
    assert match_output(["...", "z"], ["z"])[0]
    assert match_output(["a", "b"], ["a", "b", ""])[0]
    assert not match_output(["a", "z"], ["a", "b", "z"])[0]  # no `...`: every line shown
    assert not match_output(["...", "accuracy: 0.97"], ["log", "accuracy: 0.95"])[0]
    ok, why = match_output(["...", "accuracy: 0.97"], ["log", "accuracy: 0.95"])
    assert "accuracy: 0.97" in why


# ---------------------------------------------------------------------------------------------
# Running `run` blocks


@dataclass(frozen=True)
class Ran:
    outputs: tuple[tuple[str, ...], ...]  # per command: printed lines
    codes: tuple[int, ...]


_RUNS: dict[tuple, Ran] = {}


def run_session(files: dict[str, str], commands: list[str], tmp: Path) -> Ran:
    key = (tuple(sorted(files.items())), tuple(commands))
    if key in _RUNS:
        return _RUNS[key]
    tmp.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (tmp / name).write_text(text, "utf-8")
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp),
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PIP_NO_INDEX": "1",  # kfp.local runs `pip install` of packages_to_install: never download
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    outputs, codes = [], []
    for command in commands:
        proc = subprocess.run(["bash", "-c", command], cwd=tmp, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=600)
        outputs.append(tuple(proc.stdout.splitlines()))
        codes.append(proc.returncode)
    ran = Ran(tuple(outputs), tuple(codes))
    _RUNS[key] = ran
    return ran


@pytest.mark.parametrize("path,item", RUN_BLOCKS, ids=[f"{p}:{i.line}" for p, i in RUN_BLOCKS])
def test_run_block_prints_what_the_page_shows(path, item, tmp_path):
    steps = [s for s in ex.steps_of(item.lang, item.block.body) if s.lines]
    assert steps, f"{path}:{item.line}: a run block without `$ ` commands"
    ran = run_session(files_for(path, [s.command for s in steps]), [s.command for s in steps], tmp_path)
    problems = []
    for step, printed, code in zip(steps, ran.outputs, ran.codes):
        if code != 0:
            problems.append(f"{path}:{step.line}: `{step.command}` exited with {code}:\n" + "\n".join(printed[-20:]))
            continue
        ok, why = match_output([t for _, t in step.output], list(printed))
        if not ok:
            where = step.output[0][0] if step.output else step.line
            problems.append(f"{path}:{where}: output of `{step.command}` differs: {why}\nprinted:\n"
                            + "\n".join(printed[-20:]))
    assert not problems, "\n\n".join(problems)


def test_every_page_with_stated_results_runs_them():
    """The blocks whose printed output the pages state are `run` blocks (and so tested above)."""
    marked = {(p, i.line) for p, i in RUN_BLOCKS}
    shown_output = set()
    for path, items in EXAMPLES.items():
        for item in items:
            if item.kind != "shell" or item.block.body and "--8<--" in item.block.body[0][1]:
                continue  # the kfui session snippet is checked by the kfui check
            steps = ex.steps_of(item.lang, item.block.body)
            if any(s.lines and s.output and s.command.strip() not in ("alias | grep kfui",) for s in steps):
                shown_output.add((path, item.line))
    assert shown_output <= marked, f"blocks that show output but are not run: {sorted(shown_output - marked)}"


# ---------------------------------------------------------------------------------------------
# Compiling pipelines


def _defines_pipeline(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(target, ast.Attribute) and target.attr == "pipeline":
                    return True
    return False


PIPELINE_BLOCKS = [(p, i) for p, i in PYTHON_BLOCKS if _defines_pipeline(ast.parse(i.block.text))]

_COMPILE = textwrap.dedent('''
    import json, sys, types
    from kfp import compiler
    from kfp.dsl.base_component import BaseComponent
    import yaml
    source, out = sys.argv[1], sys.argv[2]
    module = types.ModuleType("example")
    exec(compile(open(source, encoding="utf-8").read(), source, "exec"), module.__dict__)
    names = []
    for name, value in vars(module).items():
        if isinstance(value, BaseComponent) and type(value).__name__ == "GraphComponent":
            compiler.Compiler().compile(value, package_path=f"{out}/{name}.yaml")
            spec = yaml.safe_load(open(f"{out}/{name}.yaml", encoding="utf-8"))
            names.append(spec["pipelineInfo"]["name"])
    print(json.dumps(names))
''')


@pytest.mark.parametrize("path,item", PIPELINE_BLOCKS, ids=[f"{p}:{i.line}" for p, i in PIPELINE_BLOCKS])
def test_pipeline_compiles_with_the_pinned_sdk(path, item, tmp_path):
    for name, text in language_files(path).items():
        (tmp_path / name).write_text(text, "utf-8")
    block = tmp_path / "_block.py"
    block.write_text(item.block.text + "\n", "utf-8")
    proc = subprocess.run([sys.executable, "-c", _COMPILE, str(block), str(tmp_path)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert proc.returncode == 0, f"{path}:{item.line}: the pipeline does not compile:\n{proc.stderr[-3000:]}"
    compiled = json.loads(proc.stdout.strip().splitlines()[-1])
    assert compiled, f"{path}:{item.line}: no pipeline found to compile"


# ---------------------------------------------------------------------------------------------
# Calls into the SDK


@dataclass(frozen=True)
class Instance:
    cls: type


def _resolve(node: ast.AST, env: dict):
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, env)
        if base is None:
            return None
        owner = base.cls if isinstance(base, Instance) else base
        if not _from_kfp(owner):
            return None
        if not hasattr(owner, node.attr):
            return ("missing", owner, node.attr)
        value = getattr(owner, node.attr)
        return ("method", value) if isinstance(base, Instance) else value
    if isinstance(node, ast.Call):
        func = _resolve(node.func, env)
        if inspect.isclass(func) and _from_kfp(func):
            return Instance(func)
    return None


def _from_kfp(obj) -> bool:
    name = getattr(obj, "__module__", None) or getattr(obj, "__name__", "")
    if inspect.ismodule(obj):
        name = obj.__name__
    return str(name).split(".")[0] == "kfp"


def bind_problem(signature: inspect.Signature, nargs: int, keywords: list[str]) -> str | None:
    """Why a call with ``nargs`` positional arguments and ``keywords`` does not fit, or None."""
    params = signature.parameters.values()
    if not any(p.kind == p.VAR_KEYWORD for p in params):
        accepted = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        unknown = [k for k in keywords if k not in accepted]
        if unknown:
            return f"unknown keyword {', '.join(unknown)} (accepted: {', '.join(sorted(accepted))})"
    try:
        signature.bind(*[object()] * nargs, **{k: object() for k in keywords})
    except TypeError as exc:
        return str(exc)
    return None


def sdk_call_problems(source: str, where: str, first_line: int = 1) -> list[str]:
    """Calls into kfp in ``source`` that do not bind to the installed SDK."""
    tree = ast.parse(source)
    env: dict = {}
    problems: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "kfp":
                    env[alias.asname or "kfp"] = importlib.import_module(alias.name if alias.asname else "kfp")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kfp":
            module = importlib.import_module(node.module)
            for alias in node.names:
                try:
                    env[alias.asname or alias.name] = getattr(module, alias.name)
                except AttributeError:
                    try:
                        env[alias.asname or alias.name] = importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        problems.append(f"{where}:{first_line + node.lineno - 1}: {node.module} has no {alias.name}")
    for node in ast.walk(tree):  # assignments after imports: client = kfp.Client()
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _resolve(node.value, env)
            if value is not None:
                env[node.targets[0].id] = value
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        line = first_line + node.lineno - 1
        func = _resolve(node.func, env)
        if func is None:
            continue
        if isinstance(func, tuple) and func[0] == "missing":
            problems.append(f"{where}:{line}: {getattr(func[1], '__name__', func[1])} has no `{func[2]}` in kfp "
                            f"{importlib.metadata.version('kfp')}")
            continue
        bound_method = isinstance(func, tuple) and func[0] == "method"
        target = func[1] if bound_method else func
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            continue  # *args / **kwargs: nothing to bind statically
        try:
            signature = inspect.signature(target)
        except (TypeError, ValueError):
            continue
        why = bind_problem(signature, len(node.args) + bound_method, [k.arg for k in node.keywords])
        if why:
            name = getattr(target, "__qualname__", getattr(target, "__name__", "?"))
            problems.append(f"{where}:{line}: {name}: {why} (kfp {importlib.metadata.version('kfp')})")
    return problems


# The Katib SDK is not installed (protobuf): its signatures come from data/sdk/katib.json, read from
# the SDK's source at the tag the guide names by tools/update_sdk_signatures.py.
KATIB = json.loads((ROOT / "data" / "sdk" / "katib.json").read_text("utf-8"))


def _katib_signature(params: list[dict]) -> inspect.Signature:
    return inspect.Signature([inspect.Parameter(p["name"], getattr(inspect.Parameter, p["kind"]),
                                                default=None if p["default"] else inspect.Parameter.empty)
                              for p in params])


def katib_call_problems(source: str, where: str, first_line: int = 1) -> list[str]:
    """Calls into ``kubeflow.katib`` that do not bind to the recorded 0.19.0 signatures."""
    tree = ast.parse(source)
    env: dict[str, tuple] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "kubeflow.katib" and alias.asname:
                    env[alias.asname] = ("root",)
        elif isinstance(node, ast.ImportFrom) and node.module in ("kubeflow", "kubeflow.katib"):
            for alias in node.names:
                if node.module == "kubeflow" and alias.name == "katib":
                    env[alias.asname or "katib"] = ("root",)
                elif node.module == "kubeflow.katib" and alias.name in KATIB["attributes"]:
                    env[alias.asname or alias.name] = ("attr", alias.name)

    def resolve(node):
        if isinstance(node, ast.Name):
            return env.get(node.id)
        if isinstance(node, ast.Attribute):
            base = resolve(node.value)
            if base == ("root",):
                return ("attr", node.attr) if node.attr in KATIB["attributes"] else None
            if base and base[0] in ("attr", "instance"):
                info = KATIB["attributes"][base[1]]
                if base[0] == "attr" and info["class"]:
                    return None  # a class attribute: not recorded
                functions = info["functions"]
                if node.attr not in functions:
                    return ("missing", base[1], node.attr)
                return ("call", functions[node.attr], base[0] == "instance", f"{base[1]}.{node.attr}")
        if isinstance(node, ast.Call):
            func = resolve(node.func)
            if func and func[0] == "attr" and KATIB["attributes"][func[1]]["class"]:
                return ("instance", func[1])
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = resolve(node.value)
            if value and value[0] == "instance":
                env[node.targets[0].id] = value
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        line = first_line + node.lineno - 1
        func = resolve(node.func)
        if func is None:
            continue
        if func[0] == "missing":
            problems.append(f"{where}:{line}: {func[1]} has no `{func[2]}` in kubeflow-katib {KATIB['source']['tag']}")
            continue
        if func[0] == "attr" and KATIB["attributes"][func[1]]["class"]:
            func = ("call", KATIB["attributes"][func[1]]["functions"]["__init__"], True, f"{func[1]}()")
        if func[0] != "call":
            continue
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            continue
        why = bind_problem(_katib_signature(func[1]), len(node.args) + func[2], [k.arg for k in node.keywords])
        if why:
            problems.append(f"{where}:{line}: {func[3]}: {why} (kubeflow-katib {KATIB['source']['tag']})")
    return problems


def test_katib_call_check_fails_on_a_wrong_keyword_and_a_missing_method():
    bad = textwrap.dedent('''\
        import kubeflow.katib as katib

        client = katib.KatibClient(namespace="x")
        client.tune(name="a", objective=print, parameters={"d": katib.search.int(min=1, maximum=8)})
        client.wait_for_experiment(name="a")
        client.tune(nme="a")
    ''')
    problems = katib_call_problems(bad, "bad.md", 10)
    assert any(p.startswith("bad.md:13:") and "maximum" in p for p in problems), problems
    assert any(p.startswith("bad.md:14:") and "wait_for_experiment" in p for p in problems), problems
    assert any(p.startswith("bad.md:15:") and "nme" in p for p in problems), problems
    good = bad.replace("maximum", "max").replace("wait_for_experiment(", "wait_for_experiment_condition(").replace("nme", "name")
    assert katib_call_problems(good, "good.md") == []


@pytest.mark.skipif(not (Path("/work/.mirror") / "kubeflow+katib" / "repo").is_dir(), reason="no Katib mirror here")
def test_katib_signatures_match_the_source_in_the_mirror():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import update_sdk_signatures
    finally:
        sys.path.pop(0)
    assert update_sdk_signatures.read(Path("/work/.mirror")) == KATIB, "rerun tools/update_sdk_signatures.py"


@pytest.mark.parametrize("path,item", PYTHON_BLOCKS, ids=[f"{p}:{i.line}" for p, i in PYTHON_BLOCKS])
def test_sdk_calls_bind_to_the_pinned_signatures(path, item):
    tree = ast.parse(item.block.text)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "level", 0):
            for name in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]):
                top = name.split(".")[0]
                if top in NOT_INSTALLED or f"{top}.py" in language_files(path):
                    continue
                assert importlib.util.find_spec(top) is not None, \
                    f"{path}:{item.line + node.lineno}: `{name}` is not importable with requirements-test.txt"
    problems = sdk_call_problems(item.block.text, path, item.line + 1)
    problems += katib_call_problems(item.block.text, path, item.line + 1)
    assert not problems, "\n".join(problems)


def test_sdk_call_check_fails_on_a_wrong_keyword_and_a_missing_method():
    bad = textwrap.dedent('''\
        import kfp
        from kfp import local

        client = kfp.Client()
        client.create_run_from_pipeline_package("p.yaml", arguments={}, namespce="x")
        client.create_run_from_pipline_package("p.yaml")
        local.init(runner=local.SubprocessRunner(use_virtualenv=False))
    ''')
    problems = sdk_call_problems(bad, "bad.md", 10)
    assert any(p.startswith("bad.md:14:") and "namespce" in p for p in problems), problems
    assert any(p.startswith("bad.md:15:") and "create_run_from_pipline_package" in p for p in problems), problems
    assert any(p.startswith("bad.md:16:") and "use_virtualenv" in p for p in problems), problems
    good = bad.replace("namespce", "namespace").replace("pipline", "pipeline").replace("use_virtualenv", "use_venv")
    assert sdk_call_problems(good, "good.md") == []


# ---------------------------------------------------------------------------------------------
# Versions the pages name


_PIN = re.compile(r"(?<![\w.-])([A-Za-z][\w.-]*)==(\d[\w.]*)")


def test_versions_on_the_pages_are_the_ones_tested():
    katib_tag = json.loads((ROOT / "data" / "crds" / "experiment.json").read_text("utf-8"))["source"]["tag"]
    problems = []
    seen = set()
    for path, items in EXAMPLES.items():
        for item in items:
            if item.kind not in ("python", "shell"):
                continue  # a Dockerfile's pins belong to the image it builds, not to this environment
            for number, text in item.block.body:
                for name, version in _PIN.findall(text):
                    seen.add(name.lower())
                    if name.lower() == "kubeflow-katib":
                        expected = katib_tag.lstrip("v")
                    else:
                        try:
                            expected = importlib.metadata.version(name)
                        except importlib.metadata.PackageNotFoundError:
                            problems.append(f"{path}:{number}: {name}=={version} is not installed by the tests")
                            continue
                    if version != expected:
                        problems.append(f"{path}:{number}: {name}=={version}, but the tests use {expected}")
    assert {"kfp", "scikit-learn", "pandas"} <= seen
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Figures the prose states


#: The sentences after Katib's run block, with the figures left as fields: each is filled in
#: from the real run of train.py and from iris-katib.yaml, and must then be on the page.
KATIB_CLAIMS = {
    "katib.md": ("깊이 {best}에서 정확도 {best_acc}로 가장 높고, 깊이 {worst}에서는 {worst_acc}입니다.",
                 "목푯값 {goal}에는 이르지 못하므로 이 실험은 {trials}개 트라이얼을 모두 돌리고 끝납니다."),
    "katib.en.md": ("Depth {best} scores best with an accuracy of {best_acc}, and depth {worst} scores {worst_acc}.",
                    "The goal of {goal} is out of reach, so this experiment runs all {trials} trials before it ends."),
}


@pytest.mark.parametrize("path", sorted(KATIB_CLAIMS))
def test_katib_prose_figures_come_from_the_run(path, tmp_path):
    import yaml

    (item,) = [i for p, i in RUN_BLOCKS if p == path]
    (step,) = [s for s in ex.steps_of(item.lang, item.block.body) if s.lines]
    depths = [int(d) for d in re.search(r"for depth in ([\d ]+);", step.command).group(1).split()]
    ran = run_session(files_for(path, [step.command]), [step.command], tmp_path)
    accuracies = [float(line.split("=", 1)[1]) for line in ran.outputs[0] if line.startswith("accuracy=")]
    assert len(accuracies) == len(depths)
    experiment = yaml.safe_load(page_files(path)["iris-katib.yaml"])
    goal = experiment["spec"]["objective"]["goal"]
    best = depths[accuracies.index(max(accuracies))]
    worst = depths[accuracies.index(min(accuracies))]
    assert max(accuracies) < goal  # so no trial reaches the goal and all maxTrialCount run
    fields = {"best": best, "best_acc": f"{max(accuracies):.4f}", "worst": worst,
              "worst_acc": f"{min(accuracies):.4f}", "goal": goal, "trials": experiment["spec"]["maxTrialCount"]}
    source = (DOCS / path).read_text("utf-8")
    for sentence in KATIB_CLAIMS[path]:
        assert sentence.format(**fields) in source, f"{path}: expected the sentence {sentence.format(**fields)!r}"
