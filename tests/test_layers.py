"""The package's layers: imports run one way, model -> checks -> runners and reporting.

kfguide/model/   the sources as data (site inventory, i18n resolution, Markdown scanner, terms)
kfguide/checks/  pure functions from the model to findings
kfguide/builders/ what the hooks add to the site (figures, glossary page, search, notices)
kfguide/report/  the printer, the CLI, the PR comment: the only layer that may use all others

Every import counts, also the ones inside functions and the checks that
kfguide/checks/__init__.py loads by name from its registry.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "kfguide"

#: layer -> the layers it may import (besides itself and the package root, kfguide/__init__.py)
ALLOWED = {
    "model": set(),
    "checks": {"model"},
    "builders": {"model"},
    "report": {"model", "checks", "builders"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "kfguide":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else ""


def imports_of(path: Path) -> set[str]:
    """Every kfguide module ``path`` imports (absolute or relative, top level or in a function)."""
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    out: set[str] = set()
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.add(module)
            # "from kfguide.checks import links" imports the module kfguide.checks.links
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                if _exists(candidate):
                    out.add(candidate)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.add(arg.value)
    return {m for m in out if m == "kfguide" or m.startswith("kfguide.")}


def _exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    edges = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}
    # the registry loads each check by name ("links:check_links"): count those as imports too
    from kfguide.checks import REGISTRY

    edges["kfguide.checks"] |= {f"kfguide.checks.{c.target.partition(':')[0]}" for c in REGISTRY}
    return edges


def test_every_module_sits_in_a_layer():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        assert len(rel.parts) == 1 and rel.name in ("__init__.py", "__main__.py") or rel.parts[0] in ALLOWED, (
            f"kfguide/{rel.as_posix()} is outside the layer folders {sorted(ALLOWED)}")


def test_imports_run_one_way():
    wrong = []
    for module, imported in graph().items():
        src = layer_of(module)
        for target in imported:
            dst = layer_of(target)
            if dst in ("", None) or dst == src or module in ("kfguide.__main__",):
                continue  # the package root (ROOT) is for everyone; __main__ starts the CLI
            if src == "" or dst not in ALLOWED[src]:
                wrong.append(f"{module} ({src or 'root'}) imports {target} ({dst})")
    assert wrong == []


def test_the_package_root_imports_no_layer():
    assert imports_of(PACKAGE / "__init__.py") == set()


def test_no_import_cycles_between_modules():
    edges = graph()
    # a package's __init__ importing its own modules is how Python packages work, not a cycle
    # of two modules: leave the edges from a package to its children out.
    cut = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in edges.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(cut.get(node, ())):
            if nxt not in cut:
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(cut):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_rule_catches_a_wrong_import(tmp_path, monkeypatch):
    """The checker itself: an upward import from the model is reported."""
    fake_root = tmp_path
    (fake_root / "kfguide" / "model").mkdir(parents=True)
    (fake_root / "kfguide" / "checks").mkdir()
    (fake_root / "kfguide" / "__init__.py").write_text("")
    (fake_root / "kfguide" / "checks" / "__init__.py").write_text("")
    (fake_root / "kfguide" / "checks" / "links.py").write_text("")
    bad = fake_root / "kfguide" / "model" / "site.py"
    bad.write_text("def f():\n    from kfguide.checks import links\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    found = imports_of(bad)
    assert "kfguide.checks.links" in found
    assert layer_of("kfguide.checks.links") not in ALLOWED[layer_of(module_name(bad))]
