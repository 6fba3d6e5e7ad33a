"""The bad-input survey of issue 13: 57 bad or unusual inputs, each run through the strict
build (all hooks) and ``python -m kfguide check``, each judged clean, traceback, silently
wrong or slow.

    .venv/bin/python bench/survey.py                    # this checkout
    .venv/bin/python bench/survey.py --repo /tmp/old    # another checkout (e.g. an old commit)
    .venv/bin/python bench/survey.py --only utf16-bom,refdef-drift --verbose

Every case starts from a copy of the checkout's guide (mkdocs.yml, hooks/, kfguide/, docs/,
snippets/, data/, overrides/) in a temporary folder, changes one thing, then runs

* ``mkdocs build --strict`` (every hook of mkdocs.yml), and
* ``python -m kfguide check --report R`` (or the command line the case names),

each with a time limit. The runners are black boxes: the survey reads their output only, so
it runs unchanged against an older checkout and the before/after figures are comparable.

Verdicts, worst first:

``traceback``  a Python traceback, or an exception MkDocs caught and printed instead of a
               finding ("Error reading page", "Aborted with a BuildError", ...)
``slow``       a runner needed more than ``--slow`` seconds over the unchanged tree's time
               (or hit ``--timeout``)
``wrong``      no crash, but silently wrong: an expected ``path:line: [check]`` finding is
               missing from a runner's output, a finding nobody expected appears, the exit
               status is wrong, or the case's own condition fails (a file was executed, a
               secret was published, a hint names a deleted page...)
``clean``      every runner reported exactly what the case expects

Expected lines come from the case text (the line holding a marker string), never from the
checks. Findings are read from the runners' ``path:line: [check-id]`` lines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent.parent
COPY = ("mkdocs.yml", "hooks", "kfguide", "docs", "snippets", "data", "overrides")
FINDING = re.compile(r"(?:^|\s)(?P<path>[^\s:]+):(?P<line>\d+): \[(?P<check>[a-z0-9-]+)\]")
CRASH = re.compile(
    r"Traceback \(most recent call last\)|Aborted with a BuildError|Error reading page|"
    r"Error building page|RecursionError|UnicodeDecodeError|SnippetMissingError|"
    r"^Error: (?!MkDocs encountered an error parsing the configuration file)", re.M)


@dataclass
class Ctx:
    root: Path  # the copied tree
    page: str = "docs/about.md"  # the page a case changes (repo-relative)

    def append(self, rel: str, text: str | bytes) -> None:
        path = self.root / rel
        old = path.read_bytes() if path.exists() else b""
        if old and not old.endswith(b"\n"):
            old += b"\n"
        add = text if isinstance(text, bytes) else text.encode("utf-8")
        path.write_bytes(old + b"\n" + add)

    def write(self, rel: str, data: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    def line_of(self, rel: str, marker: str) -> int:
        """1-based line of the first line holding ``marker`` (decoded leniently)."""
        raw = (self.root / rel).read_bytes()
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16", "replace")
        else:
            text = raw.decode("utf-8", "replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        for number, line in enumerate(text.split("\n"), 1):
            if marker in line:
                return number
        raise AssertionError(f"marker {marker!r} not in {rel}")


# An expectation: (path as printed, line or marker string, check-id prefix). A marker string is
# looked up in the file ``docs/<path>`` (or ``<path>`` for files outside docs/).
Expect = tuple[str, "int | str", str]


@dataclass
class Case:
    name: str
    about: str
    apply: Callable[[Ctx], None]
    expect: list[Expect] = field(default_factory=list)
    runners: tuple[str, ...] = ("build", "cli")
    cli_args: tuple[str, ...] = ()
    build_env: dict[str, str] = field(default_factory=dict)
    mkdocs_fails: bool = False  # MkDocs itself warns (nav, config): the build fails without us
    cli_fails: bool = False  # the CLI must fail with no finding (e.g. exit 2 on a bad --report)
    condition: Callable[[Ctx, dict], str | None] | None = None  # extra judgement
    #: findings with these check-id prefixes may come along (consequences, not the point)
    allow: tuple[str, ...] = ()
    #: "page": changes only its page or files of its own (many fit in one tree); "glossary" /
    #: "canonical": changes a shared file; "runner": about mkdocs.yml or how a runner is called
    scope: str = "page"


@dataclass
class Run:
    code: int | None
    output: str
    seconds: float
    findings: set[tuple[str, int, str]]


def _files(rel: str) -> str:
    return rel if rel.startswith(("snippets/", "data/", "mkdocs.yml", "hooks/", "overrides/")) else "docs/" + rel


def resolve(ctx: Ctx, expect: list[Expect]) -> set[tuple[str, int, str]]:
    out = set()
    for path, where, check in expect:
        if path == "@page":
            path = ctx.page[len("docs/"):]
        line = where if isinstance(where, int) else ctx.line_of(_files(path), where)
        out.add((path, line, check))
    return out


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Run:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, _ = proc.communicate()
        code = None
    text = out.decode("utf-8", "replace")
    found = {(m.group("path"), int(m.group("line")), m.group("check")) for m in FINDING.finditer(text)}
    return Run(code, text, time.perf_counter() - started, found)


def base_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KFGUIDE_", "GITHUB_"))}
    # KFGUIDE_STYLE=0: the Korean style check (issue 14) has its own tests and a model to load;
    # these cases are about the other checks (a checkout without it ignores the variable)
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1", KFGUIDE_STYLE="0")
    return env


def runners(case: Case, tree: Path, python: str, timeout: float) -> dict[str, Run]:
    env = base_env(tree)
    out = {}
    if "build" in case.runners:
        env_b = {**env, "KFGUIDE_REPORT": str(tree / "out" / "checks.json"), **case.build_env}
        out["build"] = run([python, "-m", "mkdocs", "build", "--strict", "-d", str(tree / "out" / "site")],
                           tree, env_b, timeout)
    if "cli" in case.runners:
        args = list(case.cli_args) or ["--report", str(tree / "out" / "cli.json")]
        out["cli"] = run([python, "-m", "kfguide", "check", *args], tree, env, timeout)
    return out


def _matches(found: tuple[str, int, str], expected: tuple[str, int, str]) -> bool:
    """Same file and line, and the check id starts with the expected prefix."""
    return found[:2] == expected[:2] and found[2].startswith(expected[2])


def judge(case: Case, ctx: Ctx, runs: dict[str, Run], baseline: dict[str, float], slow: float) -> tuple[str, list[str]]:
    notes: list[str] = []
    try:
        expected = resolve(ctx, case.expect)
    except AssertionError as exc:
        return "wrong", [f"case setup: {exc}"]
    verdict = "clean"
    order = ["clean", "wrong", "slow", "traceback"]

    def worse(v: str) -> None:
        nonlocal verdict
        if order.index(v) > order.index(verdict):
            verdict = v

    for name, r in runs.items():
        if CRASH.search(r.output):
            line = CRASH.search(r.output).group(0)
            worse("traceback")
            notes.append(f"{name}: crash ({line.strip()})")
        if r.code is None:
            worse("slow")
            notes.append(f"{name}: no answer within the time limit ({r.seconds:.0f} s)")
            continue
        if r.seconds > baseline.get(name, 0) + slow:
            worse("slow")
            notes.append(f"{name}: {r.seconds:.1f} s (unchanged tree: {baseline.get(name, 0):.1f} s)")
        missing = {e for e in expected if not any(_matches(f, e) for f in r.findings)}
        extra = {f for f in r.findings if not any(_matches(f, e) for e in expected)
                 and not (case.allow and f[2].startswith(case.allow))}
        if missing:
            worse("wrong")
            notes.append(f"{name}: missing " + ", ".join(f"{p}:{ln}: [{c}]" for p, ln, c in sorted(missing)))
        if extra:
            worse("wrong")
            notes.append(f"{name}: unexpected " + ", ".join(f"{p}:{ln}: [{c}]" for p, ln, c in sorted(extra)))
        should_fail = bool(expected) or (name == "build" and case.mkdocs_fails) or (name == "cli" and case.cli_fails)
        if (r.code != 0) != should_fail:
            worse("wrong")
            notes.append(f"{name}: exit {r.code}, expected {'failure' if should_fail else 'success'}")
    if case.condition is not None:
        problem = case.condition(ctx, runs)
        if problem:
            worse("wrong")
            notes.append(problem)
    return verdict, notes


# ---------------------------------------------------------------------------------------------
# The cases


def _append(text: str | bytes, rel: str | None = None):
    return lambda ctx: ctx.append(rel or ctx.page, text)


def _p(marker: str, check: str, path: str = "@page") -> Expect:
    return (path, marker, check)


def _no_file(name: str, what: str):
    def check(ctx: Ctx, runs) -> str | None:
        return f"{what}: {name} exists" if (ctx.root.parent / name).exists() or (ctx.root / name).exists() else None
    return check


def _symlink(rel: str, target: str):
    def apply(ctx: Ctx) -> None:
        path = ctx.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    return apply


def _steps(*steps):
    def apply(ctx: Ctx) -> None:
        for step in steps:
            step(ctx)
    return apply


def _yaml_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, levels):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    return "\n".join(lines) + "\n"


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _edit(rel: str, old: str, new: str):
    def apply(ctx: Ctx) -> None:
        path = ctx.root / rel
        text = path.read_text("utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
    return apply


def _published(rel: str, secret: str):
    def check(ctx: Ctx, runs) -> str | None:
        site = ctx.root / "out" / "site"
        for path in site.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".md", ".txt", "") and secret in path.read_text("utf-8", "replace"):
                return f"build published the outside file's content ({path.relative_to(site)})"
        return None
    return check


def _message(runner: str, check: str, pattern: str, present: bool, what: str):
    rx = re.compile(pattern)

    def test(ctx: Ctx, runs) -> str | None:
        lines = [ln for ln in runs[runner].output.splitlines() if f"[{check}]" in ln] if runner in runs else []
        hit = any(rx.search(ln) for ln in lines)
        return None if hit == present else what
    return test


SECRET = "SURVEY-SECRET-7f3a"


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    # -- bytes and encodings ---------------------------------------------------------------------
    add(Case("utf8-invalid", "a byte that is not UTF-8 in a page",
             _append(b"\xeb\xb0 broken-byte-line\n"), [_p("broken-byte-line", "page-encoding")], mkdocs_fails=True))
    add(Case("cp949", "a line saved as CP949 (EUC-KR)",
             _append("cp949-line 대시보드\n".encode("cp949")), [_p("cp949-line", "page-encoding")], mkdocs_fails=True))
    add(Case("utf16-bom", "a page saved as UTF-16 with a byte order mark",
             lambda ctx: ctx.write(ctx.page, (ctx.root / ctx.page).read_text("utf-8").encode("utf-16")),
             [("@page", 1, "page-encoding")], mkdocs_fails=True))
    add(Case("binary-page", "PNG bytes in a .md file",
             lambda ctx: ctx.write("docs/blob.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
             [("blob.md", 1, "page-binary")]))
    add(Case("utf8-bom", "a valid page with a UTF-8 byte order mark",
             lambda ctx: ctx.write(ctx.page, b"\xef\xbb\xbf" + (ctx.root / ctx.page).read_bytes() + b"\n[bom-link](nope-bom.md)\n"),
             [_p("nope-bom.md", "link-missing-page")]))
    add(Case("crlf", "Windows line endings, a broken link at a known line",
             lambda ctx: ctx.write(ctx.page, (ctx.root / ctx.page).read_bytes().replace(b"\n", b"\r\n") + b"\r\n[crlf](nope-crlf.md)\r\n"),
             [_p("nope-crlf.md", "link-missing-page")]))
    add(Case("cr-only", "old Mac line endings (CR only)",
             lambda ctx: ctx.write(ctx.page, (ctx.root / ctx.page).read_bytes().replace(b"\n", b"\r") + b"\r[cr](nope-cr.md)\r"),
             [_p("nope-cr.md", "link-missing-page")]))
    add(Case("nfd-link", "a link to a Hangul heading id written in NFD (as macOS may)",
             _append("## 정규화 시험\n\n[nfd](#" + unicodedata.normalize("NFD", "정규화-시험") + ") nfd-marker\n"),
             [_p("nfd-marker", "link-")]))
    # -- symlinks --------------------------------------------------------------------------------
    add(Case("symlink-dangling", "a page that is a symlink to nothing",
             _symlink("docs/ghost.md", "no-such-file.md"), [("ghost.md", 0, "symlink-")]))
    add(Case("symlink-loop", "two pages that are symlinks to each other",
             _steps(_symlink("docs/loop-a.md", "loop-b.md"), _symlink("docs/loop-b.md", "loop-a.md")),
             [("loop-a.md", 0, "symlink-"), ("loop-b.md", 0, "symlink-")]))
    add(Case("symlink-outside-file", "a page that is a symlink to a file outside the repository",
             _steps(lambda ctx: (ctx.root.parent / "secret.txt").write_text(f"# Secret\n\n{SECRET}\n"),
                    _symlink("docs/leak.md", "../../secret.txt")),
             [("leak.md", 0, "symlink-outside")], mkdocs_fails=True, condition=_published("leak.md", SECRET)))
    add(Case("symlink-folder", "a folder symlink inside docs/ whose page has a broken link",
             _steps(lambda ctx: ctx.write("docs/sub/page.md", "# Sub\n\n[x](nope-sub.md)\n"),
                    _symlink("docs/more", "sub")),
             [("sub/page.md", 3, "link-missing-page"), ("more/page.md", 3, "link-missing-page")], mkdocs_fails=True))
    add(Case("symlink-folder-outside", "a folder symlink to a folder outside the repository",
             _steps(lambda ctx: (ctx.root.parent / "outside").mkdir(),
                    lambda ctx: (ctx.root.parent / "outside" / "x.md").write_text(f"# X\n\n{SECRET}\n"),
                    _symlink("docs/ext", "../../outside")),
             [("ext", 0, "symlink-outside")], mkdocs_fails=True, condition=_published("ext", SECRET)))
    add(Case("symlink-file-inside", "a page that is a symlink to another page in docs/ (allowed)",
             _symlink("docs/copy.md", "about.md"), [], mkdocs_fails=True))
    # -- snippets --------------------------------------------------------------------------------
    add(Case("snippet-missing-fence", "a missing snippet included in a code block",
             _append('```bash\n--8<-- "nope.sh"\n```\n'), [_p('"nope.sh"', "snippet-missing")]))
    add(Case("snippet-missing-prose", "a missing snippet included in prose",
             _append('--8<-- "nope-prose.md"\n'), [_p('"nope-prose.md"', "snippet-missing")]))
    add(Case("snippet-parent-path", "a snippet path that leaves snippets/ (../mkdocs.yml)",
             _append('```yaml\n--8<-- "../mkdocs.yml"\n```\n'), [_p('"../mkdocs.yml"', "snippet-")]))
    add(Case("snippet-block-missing", "the block form of a snippet include naming a missing file",
             _append('```bash\n--8<--\nnope-block.sh\n--8<--\n```\n'), [_p("nope-block.sh", "snippet-missing")]))
    add(Case("snippet-md-link", "an included Markdown snippet holding a broken link",
             _steps(lambda ctx: ctx.write("snippets/part.md", "Part text.\n\n[x](nope-snip.md)\n"),
                    _append('--8<-- "part.md"\n')),
             [_p('"part.md"', "link-missing-page")]))
    add(Case("snippet-valid", "the canonical kfui alias included in a bash block (valid)",
             _append('```bash\n--8<-- "kfui-alias.sh"\n```\n'), []))
    # -- front matter ----------------------------------------------------------------------------
    add(Case("fm-deep", "front matter nested a thousand levels deep",
             lambda ctx: ctx.write(ctx.page, f"---\ndeep: {_deep(1000)}\n---\n" + (ctx.root / ctx.page).read_text("utf-8").split("---\n", 2)[2]),
             [("@page", 2, "front-matter-")], mkdocs_fails=True))
    add(Case("fm-unclosed", "front matter that is never closed",
             lambda ctx: ctx.write(ctx.page, "---\ntitle: 열린 머리말\n\n" + (ctx.root / ctx.page).read_text("utf-8").split("---\n", 2)[2]),
             [("@page", 1, "front-matter-")]))
    add(Case("fm-invalid", "front matter that is not valid YAML",
             lambda ctx: ctx.write(ctx.page, "---\ntitle: [unclosed\n---\n" + (ctx.root / ctx.page).read_text("utf-8").split("---\n", 2)[2]),
             [("@page", 2, "front-matter-")]))
    add(Case("fm-list", "front matter that is a list, not a mapping",
             lambda ctx: ctx.write(ctx.page, "---\n- a\n- b\n---\n" + (ctx.root / ctx.page).read_text("utf-8").split("---\n", 2)[2]),
             [("@page", 2, "front-matter-")]))
    add(Case("fm-alias-bomb", "a YAML alias bomb in front matter",
             lambda ctx: ctx.write(ctx.page, "---\n" + _yaml_bomb(9) + "---\n" + (ctx.root / ctx.page).read_text("utf-8").split("---\n", 2)[2]),
             [("@page", 3, "front-matter-")]))
    # -- the glossary data -----------------------------------------------------------------------
    add(Case("glossary-deep", "data/glossary.yml nested a thousand levels deep",
             _append(f"deep: {_deep(1000)}\n", "data/glossary.yml"), [("data/glossary.yml", "deep: [[[", "glossary")], scope="glossary"))
    add(Case("glossary-syntax", "a YAML syntax error in the glossary",
             _edit("data/glossary.yml", "\n  - ko: ", "\n  - ko: [unclosed-glossary\n  - ko: "),
             [("data/glossary.yml", "[unclosed-glossary", "glossary")], scope="glossary"))
    add(Case("glossary-alias-bomb", "a 9-line YAML alias bomb in the glossary",
             _append(_yaml_bomb(9), "data/glossary.yml"), [("data/glossary.yml", "a1: &a1", "glossary")], scope="glossary"))
    add(Case("glossary-utf8", "a byte that is not UTF-8 in the glossary",
             _append(b"# \xeb\xb0 glossary-bad-byte\n", "data/glossary.yml"),
             [("data/glossary.yml", "glossary-bad-byte", "glossary")], scope="glossary"))
    add(Case("glossary-missing", "no data/glossary.yml",
             lambda ctx: (ctx.root / "data" / "glossary.yml").unlink(), [("data/glossary.yml", 0, "glossary")], scope="glossary"))
    add(Case("term-variant", "a page whose only problem is a disallowed spelling (대쉬보드를)",
             _append("이 줄은 대쉬보드를 씁니다. term-marker\n"), [_p("term-marker", "term")]))
    # -- mkdocs.yml and the command line ---------------------------------------------------------
    add(Case("config-yaml", "mkdocs.yml that is not valid YAML",
             _edit("mkdocs.yml", "docs_dir: docs\n", "docs_dir: [docs\n"),
             [("mkdocs.yml", "docs_dir: [docs", "config-")], runners=("cli",), scope="runner"))
    add(Case("config-i18n-shape", "static-i18n languages given as a mapping, not a list",
             _edit("mkdocs.yml", "      languages:\n        - locale: ko", "      languages:\n        ko:\n          x: 1\n        zz:\n        - locale: ko"),
             [("mkdocs.yml", "languages:", "config-")], runners=("cli",), scope="runner"))
    add(Case("config-i18n-locale", "a static-i18n language without a locale",
             _edit("mkdocs.yml", "        - locale: en\n", "        - name_only: en\n"),
             [("mkdocs.yml", "name_only: en", "config-")], runners=("cli",), scope="runner"))
    add(Case("cli-report-unwritable", "python -m kfguide check --report into a path that cannot be written",
             lambda ctx: (ctx.root / "blocker").write_text("a file, not a folder"), [], runners=("cli",),
             cli_args=("--report", "blocker/checks.json"), cli_fails=True,
             condition=lambda ctx, runs: None if runs["cli"].code == 2 and "blocker/checks.json" in runs["cli"].output else "cli: no clear error for the report path", scope="runner"))
    add(Case("build-report-unwritable", "KFGUIDE_REPORT pointing into a path that cannot be written",
             lambda ctx: (ctx.root / "blocker").write_text("a file, not a folder"), [], runners=("build",),
             build_env={"KFGUIDE_REPORT": "blocker/checks.json"}, mkdocs_fails=True,
             condition=lambda ctx, runs: None if "blocker/checks.json" in runs["build"].output else "build: no clear error for the report path", scope="runner"))
    # -- Markdown structure ----------------------------------------------------------------------
    add(Case("refdef-drift", "a reference definition above a finding (the issue's example)",
             _append("[r]: index.md\n\ntext\n\n[t](nope-drift.md)\n"), [_p("nope-drift.md", "link-missing-page")]))
    add(Case("refdef-many", "several reference definitions above several findings",
             _append("[a]: index.md\n[b]: about.md\n[c]: katib.md\n\n[x](nope-1.md)\n\n[d]: index.md\n\n[y](nope-2.md)\n\n[z](nope-3.md)\n"),
             [_p("nope-1.md", "link-missing-page"), _p("nope-2.md", "link-missing-page"), _p("nope-3.md", "link-missing-page")]))
    add(Case("unclosed-fence", "a code fence never closed, a broken link after it",
             _append("```bash\necho open\n\n[after](nope-after.md)\n"),
             [_p("```bash", "markdown-unclosed-fence"), _p("nope-after.md", "link-missing-page")],
             condition=_message("cli", "markdown-unclosed-fence", r"renders as code", False, "message says the rest renders as code")))
    add(Case("pre-block", "a Markdown-looking link inside raw <pre> (not a link)",
             _append("<pre>\n[not a link](nope-pre.md)\n</pre>\n"), []))
    add(Case("script-block", "a Markdown-looking link inside <script> (not a link)",
             _append("<script>\nvar s = '[x](nope-script.md)';\n</script>\n"), []))
    add(Case("raw-div", "a Markdown-looking link inside a raw <div> without markdown (not a link)",
             _append("<div>\n[x](nope-div.md)\n</div>\n"), []))
    add(Case("div-markdown", "a broken link inside <div markdown>",
             _append('<div markdown="1">\n\n[x](nope-mdiv.md)\n\n</div>\n'), [_p("nope-mdiv.md", "link-missing-page")]))
    add(Case("ref-label-spaces", "[t][ r7 ] with a definition [r7] (Python-Markdown: plain text)",
             _append("[t][ r7 ] spaced-label\n\n[r7]: nope-r7.md\n"), [_p("spaced-label", "link-undefined-ref")]))
    add(Case("refdef-angle-space", "[r]: <a b.md> (not a definition for Python-Markdown)",
             _append("[t][rr] angle-use\n\n[rr]: <a b.md>\n"), [_p("angle-use", "link-undefined-ref")]))
    add(Case("escaped-target", "a backslash escape in a link target ([x](kubeflow\\-ui.md) is kubeflow-ui.md)",
             _append("[x](kubeflow\\-ui.md)\n"), []))
    add(Case("emoji-heading", "a heading with an emoji shortcode, linked by its real id",
             _append("## :smile: 웃는 얼굴\n\n[x](#웃는-얼굴)\n"), []))
    add(Case("image-heading", "a heading that starts with an image, linked by its real id",
             _append("## ![아이콘](images/home-reading-path.svg) 그림 제목\n\n[x](#그림-제목)\n"), []))
    add(Case("deleted-page-hint", "a link to a deleted page whose translation still exists",
             _steps(lambda ctx: ctx.write("docs/gone.en.md", "# Gone\n\nLeft behind.\n"),
                    _append("[gone](gone.md) gone-link\n")),
             [_p("gone-link", "link-missing-page"), ("gone.en.md", 0, "file-missing-default")], mkdocs_fails=True,
             condition=_message("cli", "link-missing-page", r"did you mean \(gone(\.en)?\.md\)", False, "hint suggests the deleted page itself")))
    add(Case("kfui-page-subst", "a page's kfui alias with $(...) in it",
             _append('```bash\nalias kfui="kubectl port-forward svc/istio-ingressgateway -n $(touch PWNED-PAGE) 8080:80"\n```\n'),
             [_p("PWNED-PAGE", "kfui-alias-mismatch")], condition=_no_file("PWNED-PAGE", "a page's alias was executed")))
    add(Case("kfui-canonical-subst", "the canonical alias file with $(...) in it",
             lambda ctx: ctx.write("snippets/kfui-alias.sh",
                                   'alias kfui="kubectl port-forward svc/istio-ingressgateway -n $(touch${IFS}PWNED-CANON)istio-system 8080:80"\n'),
             [("snippets/kfui-alias.sh", 1, "kfui-canonical")], allow=("kfui-",),
             condition=_no_file("PWNED-CANON", "the canonical file's $(...) was executed"), scope="canonical"))
    add(Case("page-too-large", "a 1.2 MB page",
             _append(("큰 페이지의 한 줄입니다. " * 20 + "\n") * 2200), [("@page", 1, "page-too-large")], mkdocs_fails=True))
    # -- hostile input (Python-Markdown renders each in well under a second; pages that are slow
    # in Python-Markdown itself, e.g. 20,000 unmatched "[", are a limit of the renderer: README)
    add(Case("comment-bomb", "an unclosed <!-- repeated on one line (240 KB)",
             _append("<!--" * 60000 + "\n"), [_p("<!--<!--", "markdown-unclosed-comment")]))
    add(Case("fence-comment-bomb", "<!-- repeated inside a code block (the spelling scan's comment pattern)",
             _append("```text\n" + "<!--" * 60000 + "\n```\n"), []))
    add(Case("fence-del-bomb", "<del> repeated inside a code block (the spelling scan's <del> pattern)",
             _append("```text\n" + "<del>" * 48000 + "\n```\n"), []))
    add(Case("backtick-bomb", "a long line of unmatched backtick runs of growing length",
             _append(" ".join("`" * (i % 50 + 1) + "x" for i in range(20000)) + "\n"), []))
    add(Case("particle-bomb", "a disallowed spelling followed by 40 particle-like syllables (one line)",
             _append("대쉬보드" + "이나" * 40 + "뷁 particle-marker\n"), []))
    return c


# ---------------------------------------------------------------------------------------------


def copy_tree(repo: Path, dest: Path) -> None:
    for name in COPY:
        src = repo / name
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    (dest / "out").mkdir()


def run_case(case: Case, repo: Path, python: str, timeout: float, baseline: dict[str, float], slow: float):
    with tempfile.TemporaryDirectory(prefix=f"survey-{case.name}-") as tmp:
        holder = Path(tmp)
        tree = holder / "repo"
        tree.mkdir()
        copy_tree(repo, tree)
        ctx = Ctx(tree)
        case.apply(ctx)
        runs = runners(case, tree, python, timeout)
        verdict, notes = judge(case, ctx, runs, baseline, slow)
        return case, verdict, notes, runs


def combinable() -> list[Case]:
    """The cases that fit in one tree: every page case (a broken glossary would hide the
    [term] findings, a broken canonical alias the kfui ones: those run alone)."""
    return [c for c in cases() if c.scope == "page"]


def combine(tree: Path, chosen: list[Case]) -> tuple[list[Ctx], set[tuple[str, int, str]], list]:
    """Apply ``chosen`` to one tree, each page case on a page of its own (a copy of about.md
    named ``case-<name>.md``); return the contexts, every expected finding and the conditions."""
    contexts: list[Ctx] = []
    expected: set[tuple[str, int, str]] = set()
    conditions = []
    about = (tree / "docs" / "about.md").read_bytes()
    for case in chosen:
        ctx = Ctx(tree, f"docs/case-{case.name}.md" if case.scope == "page" else "docs/about.md")
        if case.scope == "page":
            (tree / ctx.page).write_bytes(about)
        case.apply(ctx)
        contexts.append(ctx)
        expected |= resolve(ctx, case.expect)
        if case.condition is not None:
            conditions.append((case, ctx))
    return contexts, expected, conditions


def run_combined(repo: Path, python: str, timeout: float) -> tuple[dict[str, Run], set, list[str]]:
    """One tree with every combinable case: runs of both runners, what was expected, and what
    went wrong (empty when each runner reported exactly one finding per expectation)."""
    with tempfile.TemporaryDirectory(prefix="survey-combined-") as tmp:
        tree = Path(tmp) / "repo"
        tree.mkdir()
        copy_tree(repo, tree)
        contexts, expected, conditions = combine(tree, combinable())
        probe = Case("combined", "every case at once", lambda ctx: None)
        runs = runners(probe, tree, python, timeout)
        problems: list[str] = []
        for name, r in runs.items():
            if CRASH.search(r.output):
                problems.append(f"{name}: crash ({CRASH.search(r.output).group(0).strip()})")
            if r.code is None:
                problems.append(f"{name}: no answer within {timeout:.0f} s")
            missing = {e for e in expected if not any(_matches(f, e) for f in r.findings)}
            extra = {f for f in r.findings if not any(_matches(f, e) for e in expected)}
            problems += [f"{name}: missing {p}:{ln}: [{c}]" for p, ln, c in sorted(missing)]
            problems += [f"{name}: unexpected {p}:{ln}: [{c}]" for p, ln, c in sorted(extra)]
        for case, ctx in conditions:
            problem = case.condition(ctx, runs)
            if problem:
                problems.append(f"{case.name}: {problem}")
        return runs, expected, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=HERE, help="checkout to survey (default: this one)")
    parser.add_argument("--python", default=sys.executable, help="interpreter with the site's requirements")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a runner counts as stuck")
    parser.add_argument("--slow", type=float, default=30.0,
                        help="seconds over the unchanged tree's time that count as slow")
    parser.add_argument("--only", help="comma-separated case names")
    parser.add_argument("--verbose", action="store_true", help="print each runner's output for wrong cases")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--combined", action="store_true",
                        help="instead: one tree with every case that fits in one, built once")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    if args.combined:
        runs, expected, problems = run_combined(repo, args.python, args.timeout)
        for name, r in runs.items():
            print(f"{name}: {r.seconds:.1f} s, exit {r.code}, {len(r.findings)} findings")
        print(f"{len(expected)} expected findings from {len(combinable())} cases; "
              + ("every runner reported exactly those, no traceback" if not problems else f"{len(problems)} problems:"))
        for problem in problems:
            print("  - " + problem)
        return 1 if problems else 0
    chosen = cases()
    if args.only:
        names = set(args.only.split(","))
        chosen = [c for c in chosen if c.name in names]
    # the unchanged tree: its runs must be clean and give the time baseline
    _, verdict, notes, runs = run_case(Case("unchanged", "the guide as it is", lambda ctx: None), repo,
                                       args.python, args.timeout, {}, 1e9)
    baseline = {name: r.seconds for name, r in runs.items()}
    print(f"unchanged tree: {verdict} (build {baseline['build']:.1f} s, cli {baseline['cli']:.1f} s)"
          + ("".join("\n  " + n for n in notes)), flush=True)
    results = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_case, case, repo, args.python, args.timeout, baseline, args.slow) for case in chosen]
        for future in futures:
            case, verdict, notes, runs = future.result()
            times = ", ".join(f"{name} {r.seconds:.1f} s" for name, r in runs.items())
            print(f"{verdict:9} {case.name:24} {case.about} ({times})", flush=True)
            for note in notes:
                print(f"          - {note}", flush=True)
            if args.verbose and verdict != "clean":
                for name, r in runs.items():
                    tail = "\n".join(r.output.splitlines()[-15:])
                    print(f"          [{name} exit {r.code}]\n" + "\n".join("            " + ln for ln in tail.splitlines()))
            results.append({"case": case.name, "about": case.about, "verdict": verdict, "notes": notes,
                            "seconds": {name: round(r.seconds, 2) for name, r in runs.items()}})
    counts = {v: sum(1 for r in results if r["verdict"] == v) for v in ("clean", "traceback", "wrong", "slow")}
    print(f"\n{len(results)} inputs: {counts['clean']} clean, {counts['traceback']} traceback, "
          f"{counts['wrong']} silently wrong, {counts['slow']} slow")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"repo": str(repo), "counts": counts, "results": results,
                                         "baseline": baseline}, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
