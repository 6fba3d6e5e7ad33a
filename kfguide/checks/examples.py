"""Examples that prove themselves: every code block on every page is parsed, compiled or
schema-checked on each build; the test suite runs the ones marked ``run``.

What a block gets depends on its language and its marker (:mod:`kfguide.model.examples`):

``example-marker``     a marker the check cannot read, or one that does not fit the block
                       (``run`` on a block without prompts, ``of=`` without ``fragment``)
``example-shell``      a shell block ``bash -n`` rejects. Console blocks (and blocks with
                       ``$`` prompts): only the commands after the prompts are parsed, the other
                       lines are output; a script block is parsed whole. Also the ``RUN``
                       commands of a Dockerfile.
``example-names``      a ``kubectl`` command names a Kubeflow object (Deployment, Service,
                       ConfigMap ... in a namespace data/kubeflow-names.yml records) that the
                       release the block shows does not have (``centraldashboard`` in 26.03.1),
                       or a resource type kubectl does not know there
``example-files``      ``kubectl apply -f FILE`` or ``python FILE.py`` where no block on the page
                       is titled ``FILE`` (the reader has nothing to save under that name)
``example-yaml``       YAML that does not parse; a manifest that breaks its kind's schema
                       (data/crds/: wrong type, unknown field, missing required field), each at
                       its line; a block that is no manifest and not marked ``fragment``
``example-python``     a Python block that does not compile, or is not a complete program
                       (a name used but never defined or imported: mark such a block
                       ``fragment``), or imports a name the page's module (a block titled
                       ``iris_pipeline.py`` in the same language) does not define
``example-namespace``  ``create_run_from_pipeline_package``/``_func`` without ``namespace=``
                       (a multi-user API server rejects the empty namespace)
``example-dockerfile`` an unknown instruction, no ``FROM`` first, or a base image without a
                       pinned tag
``example-language``   a block in a language no rule reads (mark it ``fragment``)

Only blocks marked ``fragment`` are skipped (a ``fragment of=Kind`` YAML block is still checked
against that kind's schema, without the required fields); ``text`` blocks hold no program.
``needs-cluster`` Python is compiled and checked like any other, never run.

Cost: the Python and YAML parsers run in process; all shell blocks of the site go to **one**
``bash -n`` process (each block wrapped in its own function), and only when that reports an
error is each block parsed alone to find every broken one with its line. Results are cached
by content, so ``mkdocs serve`` rebuilds re-run nothing for unchanged blocks.
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

import yaml

from kfguide import ROOT
from kfguide.model import examples as ex
from kfguide.model import k8s_schema
from kfguide.model import kubeflow_names as kn
from kfguide.model.findings import ERROR, Finding
from kfguide.model.markdown import Document, expand_snippets
from kfguide.model.site import page_source

#: Calls that must name the namespace in a multi-user install.
NAMESPACED_CALLS = frozenset({"create_run_from_pipeline_package", "create_run_from_pipeline_func"})

DOCKERFILE_INSTRUCTIONS = frozenset({
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
    "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
})

_MODULE_GLOBALS = frozenset({"__file__", "__name__", "__doc__", "__spec__", "__loader__",
                             "__package__", "__builtins__", "__annotations__"})
_SHELL_OPERATORS = frozenset({";", "&&", "||", "|", "&", "(", ")", ";;", "|&", "{", "}"})
_SHELL_KEYWORDS = frozenset({"do", "then", "else", "elif", "if", "while", "until", "!", "time"})
_PYTHON_FILE = re.compile(r"^(?:[\w.~/-]*/)?python(?:3(?:\.\d+)?)?$")


# ---------------------------------------------------------------------------------------------
# The whole site


def check_examples(
    pages: Mapping[str, Document | str],
    *,
    root: Path | str | None = None,
    site=None,
    sources: Mapping[str, str] | None = None,
    resolver: Callable[[str], str | None] | None = None,
) -> list[Finding]:
    """Example findings for every page (``pages``: docs-relative path -> scanned document or
    source text; sources for documents come from ``sources`` or ``site.docs_dir``)."""
    root = Path(root) if root is not None else ROOT
    resolver = resolver or _snippet_resolver(root)
    out: list[Finding] = []
    try:
        # a site without its own facts file (a test fixture, the benchmark's synthetic site)
        # is checked against the guide's
        names = kn.load(root if (root / kn.NAMES_FILE).is_file() else ROOT)
    except kn.NamesError as exc:
        names = None
        out.append(Finding(kn.NAMES_FILE, 0, "example-names", str(exc)))
    docs_dir = getattr(site, "docs_dir", None)
    page_examples: dict[str, list[ex.Example]] = {}
    for path in sorted(pages):
        source, doc = page_source(path, pages[path], sources, docs_dir)
        page_examples[path] = ex.page_examples(path, source or "", doc)
    modules = _page_modules(page_examples)
    shell_jobs: list[tuple[str, list[tuple[int, str]]]] = []
    for path, items in page_examples.items():
        page = _Page(path, {e.title for e in items if e.title}, modules.get(ex.language_of(path), {}),
                     _manifest_objects(items))
        for item in items:
            out.extend(Finding(path, line, "example-marker", message) for line, message in item.problems)
            if not item.block.fenced or (not item.block.body and item.problems):
                continue
            out.extend(_check_block(page, item, names, resolver, shell_jobs))
    out.extend(_check_shell_syntax(shell_jobs))
    return sorted(set(out))


def _snippet_resolver(root: Path) -> Callable[[str], str | None]:
    def resolve(name: str) -> str | None:
        try:
            return (root / "snippets" / name).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
    return resolve


def _page_modules(page_examples: Mapping[str, list[ex.Example]]) -> dict[str, dict[str, set[str] | None]]:
    """language -> module name -> top-level names of the Python blocks titled ``NAME.py``
    (None when the block does not parse)."""
    out: dict[str, dict[str, set[str] | None]] = {}
    for path, items in page_examples.items():
        lang = ex.language_of(path)
        for item in items:
            if item.kind == "python" and item.title and item.title.endswith(".py"):
                out.setdefault(lang, {})[item.title[:-3]] = module_names(item.block.text)
    return out


@dataclass(frozen=True)
class _Page:
    path: str
    titles: set[str]  # the titles of the page's blocks (file names)
    modules: Mapping[str, set[str] | None]  # Python modules of the page's language
    objects: dict[str, set[str]]  # kind -> names the page's manifests define


def _manifest_objects(items: list[ex.Example]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for item in items:
        if item.kind == "yaml" and not item.is_fragment:
            for kind, name in manifest_names(item.block.text):
                out.setdefault(kind, set()).add(name)
    return out


@functools.lru_cache(maxsize=512)
def manifest_names(text: str) -> tuple[tuple[str, str], ...]:
    """``(kind, metadata.name)`` of the manifests in one YAML text."""
    try:
        docs = list(yaml.compose_all(text, Loader=k8s_schema.LOADER))
    except yaml.YAMLError:
        return ()
    out = []
    for doc in docs:
        if not isinstance(doc, yaml.MappingNode):
            continue
        fields = {k.value: v for k, v in doc.value if isinstance(k, yaml.ScalarNode)}
        meta = fields.get("metadata")
        kind = fields.get("kind")
        if isinstance(kind, yaml.ScalarNode) and isinstance(meta, yaml.MappingNode):
            for k, v in meta.value:
                if isinstance(k, yaml.ScalarNode) and k.value == "name" and isinstance(v, yaml.ScalarNode):
                    out.append((kind.value, v.value))
    return tuple(out)


def _check_block(page: _Page, item: ex.Example, names, resolver, shell_jobs) -> list[Finding]:
    if item.block.broken_include:
        return []  # an include failed: its snippet-* finding says so; the text is not the example
    path = page.path
    out: list[Finding] = []
    kind = item.kind
    marks = item.marks
    line0 = item.mark_line or item.line
    if "of" in marks and ("fragment" not in marks or kind != "yaml"):
        out.append(Finding(path, line0, "example-marker", "`of=KIND` belongs to a YAML block marked `fragment`",
                           "write `<!-- example: fragment of=Experiment -->` above a YAML fragment"))
    if "run" in marks and kind != "shell":
        out.append(Finding(path, line0, "example-marker", "`run` marks a console session (```console with "
                           "`$ ` prompts) that the test suite runs; this block is " + (item.lang or "unlabelled")))
    if "needs-cluster" in marks and kind not in ("python", "shell"):
        out.append(Finding(path, line0, "example-marker", "`needs-cluster` marks a Python program or shell "
                           "commands that talk to a cluster; this block is " + (item.lang or "unlabelled")))
    if kind == "shell":
        body = expand_snippets(item.block.body, resolver)
        steps = ex.steps_of(item.lang, body)
        if "run" in marks and not ex.is_session(item.lang, body):
            out.append(Finding(path, line0, "example-marker", "a `run` block shows a session: `$ ` before "
                               "each command, its output below"))
        if ex.is_session(item.lang, body):
            # each prompt is typed on its own: parse each command alone (every error is found)
            shell_jobs.extend((path, step.lines, SESSION_HINT) for step in steps if step.lines)
        elif steps:
            shell_jobs.append((path, steps[0].lines, ""))
        out.extend(_check_commands(page, item, steps, names))
        return out
    if item.is_fragment:
        if kind == "yaml":
            out.extend(_check_yaml(path, item, marks.get("of")))
        return out
    if kind == "yaml":
        out.extend(_check_yaml(path, item, None))
    elif kind == "python":
        out.extend(_check_python(path, item, page.modules))
    elif kind == "dockerfile":
        out.extend(_check_dockerfile(path, item, shell_jobs))
    elif item.lang.lower() not in ex.NOT_CODE:
        out.append(Finding(path, item.line, "example-language",
                           f"no check reads `{item.lang}` blocks, so this example proves nothing",
                           "use python, yaml, console/bash or dockerfile, or mark it `<!-- example: fragment -->`"))
    return out


def _page_line(item: ex.Example, index: int) -> int:
    """Page line of the 0-based line ``index`` of the block's text."""
    body = item.block.body
    if not body:
        return item.line
    return body[min(max(index, 0), len(body) - 1)][0]


# ---------------------------------------------------------------------------------------------
# YAML


def _check_yaml(path: str, item: ex.Example, fragment_of: str | None) -> list[Finding]:
    problems = yaml_problems(item.block.text, fragment_of, item.is_fragment)
    return [Finding(path, item.line if index < 0 else _page_line(item, index), "example-yaml", message, hint)
            for index, message, hint in problems]


@functools.lru_cache(maxsize=512)
def yaml_problems(text: str, fragment_of: str | None, fragment: bool) -> tuple[tuple[int, str, str], ...]:
    """``(0-based line or -1 for the fence, message, hint)`` for one YAML block (cached by text)."""
    if fragment and not fragment_of:
        return tuple((p.line, p.message, "") for p in _yaml_syntax(text))
    problems, manifests = k8s_schema.validate_yaml(text, fragment_of=fragment_of)
    out = [(p.line, p.message, "") for p in problems]
    if not manifests and not problems:
        out.append((-1, "this YAML is no Kubernetes manifest (no apiVersion and kind), so no schema checks it",
                    "complete the manifest, or mark a part of one `<!-- example: fragment of=KIND -->`"))
    return tuple(out)


def _yaml_syntax(text: str) -> list[k8s_schema.Problem]:
    try:
        list(yaml.compose_all(text, Loader=k8s_schema.LOADER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [k8s_schema.Problem(mark.line if mark else 0, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")]
    return []


# ---------------------------------------------------------------------------------------------
# Python


def _check_python(path: str, item: ex.Example, modules: Mapping[str, set[str] | None]) -> list[Finding]:
    imported = _imported_page_modules(item.block.text, modules)
    return [Finding(path, _page_line(item, index), check, message, hint)
            for index, check, message, hint in python_problems(item.block.text, imported)]


def _imported_page_modules(text: str, modules: Mapping[str, set[str] | None]) -> tuple:
    """``((module, names or None), ...)`` of the page modules ``text`` may import (cache key)."""
    return tuple(sorted((name, frozenset(defined) if defined is not None else None)
                        for name, defined in modules.items() if name in text))


@functools.lru_cache(maxsize=512)
def python_problems(text: str, modules: tuple = ()) -> tuple[tuple[int, str, str, str], ...]:
    """``(0-based line, check, message, hint)`` for one Python block (cached by text)."""
    page_modules = dict(modules)
    try:
        tree = ast.parse(text)
        compile(tree, "<example>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return (((exc.lineno or 1) - 1, "example-python", f"does not compile: {exc.msg}", ""),)
    out: list[tuple[int, str, str, str]] = []
    for name, lineno in undefined_names(tree):
        out.append((lineno - 1, "example-python",
                    f"`{name}` is used but never defined or imported: this block is not a complete program",
                    "define or import it, or mark the block `<!-- example: fragment -->`"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module in page_modules:
            defined = page_modules[node.module]
            if defined is None:
                continue  # that block's own syntax error is reported there
            for alias in node.names:
                if alias.name != "*" and alias.name not in defined:
                    out.append((node.lineno - 1, "example-python",
                                f"`{node.module}.py` on the guide's pages defines no `{alias.name}`", ""))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in NAMESPACED_CALLS:
            if not any(k.arg == "namespace" or k.arg is None for k in node.keywords):
                out.append((node.lineno - 1, "example-namespace",
                            f"`{node.func.attr}` without `namespace=`: in a multi-user install the API "
                            "server rejects the empty namespace",
                            'pass the reader\'s profile namespace, e.g. namespace="kubeflow-user-example-com"'))
    return tuple(out)


@functools.lru_cache(maxsize=256)
def module_names(text: str) -> frozenset[str] | None:
    """The names a module defines at its top level (None when it does not parse)."""
    try:
        return frozenset(_top_level_names(ast.parse(text)))
    except SyntaxError:
        return None


def _top_level_names(tree: ast.Module) -> set[str]:
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                out.add(alias.asname or alias.name.split(".")[0])
        else:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    out.add(sub.id)
    return out


def undefined_names(tree: ast.AST) -> list[tuple[str, int]]:
    """``(name, line)`` of names read but bound nowhere in the block (imports, assignments,
    definitions, parameters, loop and ``with``/``except`` targets) and not builtins. One
    finding per name, at its first use. A star import turns the rule off."""
    bound: set[str] = set(dir(builtins)) | _MODULE_GLOBALS
    loads: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return []
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loads.append((node.id, node.lineno))
            else:
                bound.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
    seen: set[str] = set()
    out = []
    for name, line in sorted(loads, key=lambda x: x[1]):
        if name not in bound and name not in seen:
            seen.add(name)
            out.append((name, line))
    return out


# ---------------------------------------------------------------------------------------------
# Dockerfile


def _check_dockerfile(path: str, item: ex.Example, shell_jobs: list) -> list[Finding]:
    out: list[Finding] = []
    instructions: list[tuple[int, str, list[tuple[int, str]]]] = []  # (line, INSTR, argument lines)
    current: list | None = None
    for number, text in item.block.body:
        stripped = text.strip()
        if current is None:
            if not stripped or stripped.startswith("#"):
                continue
            word, _, rest = stripped.partition(" ")
            current = [number, word, [(number, rest)]]
        else:
            if stripped.startswith("#"):
                continue
            current[2].append((number, text))
        last = current[2][-1][1].rstrip()
        if last.endswith("\\"):
            continue
        instructions.append(tuple(current))
        current = None
    if current is not None:
        instructions.append(tuple(current))
        out.append(Finding(path, current[0], "example-dockerfile", "the last instruction ends with `\\`"))
    seen_from = False
    for number, word, args in instructions:
        upper = word.upper()
        if upper not in DOCKERFILE_INSTRUCTIONS:
            out.append(Finding(path, number, "example-dockerfile", f"`{word}` is no Dockerfile instruction"))
            continue
        if not seen_from and upper not in ("FROM", "ARG"):
            out.append(Finding(path, number, "example-dockerfile", f"`{upper}` before `FROM`"))
        if upper == "FROM":
            seen_from = True
            image = next((w for w in args[0][1].split() if not w.startswith("--")), "")
            tail = image.rsplit("/", 1)[-1]
            if "$" not in image and "@sha256:" not in image and (":" not in tail or tail.endswith(":latest")):
                out.append(Finding(path, number, "example-dockerfile",
                                   f"the base image `{image}` has no pinned tag: the example changes under the reader",
                                   "name a release tag, e.g. :v1.11.0"))
        if upper == "RUN" and not args[0][1].lstrip().startswith("["):
            shell_jobs.append((path, [(n, t) for n, t in args], ""))
    if not seen_from:
        out.append(Finding(path, item.line, "example-dockerfile", "no `FROM` instruction"))
    return out


# ---------------------------------------------------------------------------------------------
# Shell: object names and files


def _release_of(item: ex.Example, names: kn.Names) -> str:
    if item.tab and names.members(item.tab) is not None:
        return item.tab
    return item.marks.get("release") or names.guide_release


def _check_commands(page: _Page, item: ex.Example, steps: list[ex.Step], names: kn.Names | None) -> list[Finding]:
    out: list[Finding] = []
    for step in steps:
        if not step.lines:
            continue
        text = " ".join(t[:-1] if t.rstrip().endswith("\\") else t for _, t in step.lines)
        for argv in simple_commands(text):
            argv = list(argv)
            out.extend(_check_files(page.path, step.line, argv, page.titles))
            if names is None:
                continue
            for ref in kn.kubectl_refs(argv):
                out.extend(_check_ref(page, step.line, item, ref, names))
    return out


@functools.lru_cache(maxsize=1024)
def simple_commands(text: str) -> tuple[tuple[str, ...], ...]:
    """:func:`_simple_commands` as a tuple, cached by text (shlex reads character by character)."""
    return tuple(tuple(argv) for argv in _simple_commands(text))


def _simple_commands(text: str) -> Iterable[list[str]]:
    """The simple commands of one command line, split at ``;``, ``&&``, ``|`` ...; the text of
    ``alias x='...'`` definitions is read as a command too."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:
        return  # bash -n reports the broken quoting
    current: list[str] = []
    for token in tokens + [";"]:
        if token in _SHELL_OPERATORS:
            if current:
                while current and current[0] in _SHELL_KEYWORDS:
                    current = current[1:]
                if current:
                    yield current
                    if current[0] == "alias":
                        for word in current[1:]:
                            _name, eq, value = word.partition("=")
                            if eq:
                                yield from _simple_commands(value)
            current = []
        else:
            current.append(token)


def _check_files(path: str, line: int, argv: list[str], titles: set[str]) -> list[Finding]:
    wanted = []
    if argv[0] == "kubectl" and "apply" in argv:
        for i, word in enumerate(argv):
            if word in ("-f", "--filename") and i + 1 < len(argv):
                wanted.append(argv[i + 1])
            elif word.startswith("--filename="):
                wanted.append(word.split("=", 1)[1])
    elif _PYTHON_FILE.match(argv[0]) and len(argv) > 1 and argv[1].endswith(".py"):
        wanted.append(argv[1])
    out = []
    for name in wanted:
        if "://" in name or name == "-":
            continue
        if name not in titles:
            out.append(Finding(path, line, "example-files",
                               f"`{name}` is not on this page: no block is titled `{name}`",
                               f'title the block that holds it: ```{_fence_lang(name)} title="{name}"'))
    return out


def _fence_lang(name: str) -> str:
    return {".py": "python", ".sh": "bash", ".json": "json"}.get(Path(name).suffix, "yaml")


def _check_ref(page: _Page, line: int, item: ex.Example, ref: kn.ObjectRef, names: kn.Names) -> list[Finding]:
    path = page.path
    release = _release_of(item, names)
    members = names.members(release)
    if members is None:
        return [Finding(path, line, "example-names",
                        f"no object names recorded for Kubeflow {release} in {kn.NAMES_FILE}",
                        f"releases there: {', '.join(sorted(set(names.releases) | set(names.groups)))}")]
    out: list[Finding] = []
    missing_in: list[str] = []
    unknown_type: list[str] = []
    for member in members:
        rel = names.releases[member]
        kind = names.kind_of(ref.resource, member)
        if kind is None:
            unknown_type.append(member)
            continue
        if ref.name is None or ref.namespace is None:
            continue
        if ref.namespace in rel.profile_namespaces:
            if ref.name not in set(rel.profile.get(kind, {})) | page.objects.get(kind, set()):
                missing_in.append(member)
        elif ref.namespace in names.namespaces(member):
            if not names.installed(member, kind, ref.name, ref.namespace):
                missing_in.append(member)
        # any other namespace: not one Kubeflow installs, nothing to compare with
    if unknown_type:
        out.append(Finding(path, line, "example-names",
                           f"kubectl knows no resource type `{ref.resource}` in Kubeflow {' and '.join(unknown_type)}",
                           f"Kubeflow's resource types per release: {kn.NAMES_FILE}"))
    if missing_in and ref.name:
        found_in = [m for m in members if m not in missing_in]
        rel = names.releases[missing_in[0]]
        kind = names.kind_of(ref.resource, missing_in[0])
        known = [n for n in names.names_in(missing_in[0], kind, ref.namespace)
                 if _similar(n, ref.name)] if ref.namespace not in rel.profile_namespaces else []
        where = f"Kubeflow {' and '.join(missing_in)}"
        verb = "has" if len(missing_in) == 1 else "have"
        hint = f"{where} {verb} {', '.join('`' + k + '`' for k in known)} there" if known else ""
        if found_in:
            hint = (hint + "; " if hint else "") + (f"it exists in {', '.join(found_in)}: put the command in a "
                                                    f'=== "{found_in[0]}" tab or mark the block release={found_in[0]}')
        if ref.namespace in rel.profile_namespaces:
            hint = hint or ("a profile namespace holds what Kubeflow creates there and what this page's "
                            "manifests create")
        out.append(Finding(path, line, "example-names",
                           f"no {kind} `{ref.name}` in namespace `{ref.namespace}` in {where}",
                           hint or f"what each release installs: {kn.OBJECTS_FILE}"))
    return out


# ---------------------------------------------------------------------------------------------
# bash -n


SESSION_HINT = "in a console block write `$ ` before each command; lines without it are output"


def _similar(a: str, b: str) -> bool:
    """Names worth suggesting: one contains the other, or they are close (dashboard-config for
    centraldashboard-config)."""
    import difflib

    short, long_ = sorted((a, b), key=len)
    if short in long_ and len(short) >= 8 and len(short) * 2 > len(long_):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def _check_shell_syntax(jobs: list[tuple[str, list[tuple[int, str]], str]]) -> list[Finding]:
    if not jobs:
        return []
    results = bash_syntax("\n".join(t for _, t in lines) for _, lines, _hint in jobs)
    out = []
    for (path, lines, hint), result in zip(jobs, results):
        if result is None:
            continue
        index, message = result
        number = lines[min(max(index - 1, 0), len(lines) - 1)][0]
        out.append(Finding(path, number, "example-shell", f"bash cannot parse this: {message}", hint))
    return out


_SYNTAX_CACHE: dict[str, tuple[int, str] | None] = {}
#: Text that may leave a quote, here-document or substitution open at its end, so that it could
#: swallow the next text in a combined run: such a text is always parsed alone.
_MAY_LEAK = re.compile(r"<<|\$\(|\$\{|`|\\\s*$")


def bash_syntax(texts: Iterable[str], bash: str | None = None) -> tuple[tuple[int, str] | None, ...]:
    """``bash -n`` over every text: for each, None or ``(line, message)`` (1-based line in
    that text).

    Texts whose quotes balance (``shlex``, stricter than bash: ``#`` does not hide a quote) and
    that hold no here-document or substitution cannot leak into the next one, so they are
    parsed together by one bash process, each wrapped in its own function; only when that
    fails is each parsed alone. Other texts are always parsed alone. Results are cached by text.
    """
    texts = tuple(texts)
    bash = bash or shutil.which("bash")
    if not bash:
        return tuple(None for _ in texts)
    todo = [t for t in dict.fromkeys(texts) if t not in _SYNTAX_CACHE]
    batch = [t for t in todo if _sealed(t)]
    alone = [t for t in todo if t not in batch]
    if batch:
        wrapped = "".join(f"__kfguide_example_{k}() {{\n:\n{text}\n}}\n" for k, text in enumerate(batch))
        if _bash_n(bash, wrapped) is None:
            _SYNTAX_CACHE.update((t, None) for t in batch)
        else:
            alone.extend(batch)
    for text in alone:
        _SYNTAX_CACHE[text] = _bash_n(bash, text)
    result = tuple(_SYNTAX_CACHE[t] for t in texts)
    if len(_SYNTAX_CACHE) > 4096:
        _SYNTAX_CACHE.clear()
    return result


def _sealed(text: str) -> bool:
    if _MAY_LEAK.search(text):
        return False
    try:
        shlex.split(text, comments=False, posix=True)
    except ValueError:
        return False
    return True


_BASH_ERROR = re.compile(r"line (\d+): (.*)$")


def _bash_n(bash: str, text: str) -> tuple[int, str] | None:
    with tempfile.NamedTemporaryFile("w", suffix=".sh", encoding="utf-8", delete=True) as handle:
        handle.write(text + "\n")
        handle.flush()
        proc = subprocess.run([bash, "-n", handle.name], capture_output=True, text=True, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"})
    messages = [m for m in (_BASH_ERROR.search(line) for line in proc.stderr.splitlines()) if m]
    if proc.returncode == 0 and not any("warning" in m.group(2) for m in messages):
        return None
    if not messages:
        return (1, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit status {proc.returncode}")
    first = messages[0]
    detail = first.group(2)
    # bash prints the offending line itself as a second message: keep the reason only
    return (int(first.group(1)), detail)
