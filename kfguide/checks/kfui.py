"""``kfui`` snippet checks: every shell block of every page agrees with the canonical alias.

``snippets/kfui-alias.sh`` holds the one definition (parsed by :mod:`kfguide.model.kfui`). Pages
include it with ``--8<-- "kfui-alias.sh"``; the checks expand such includes first, so the
include always passes. In every ``bash``/``sh``/``shell``/``console``/``zsh`` code block:

``kfui-alias-mismatch``  an ``alias kfui=...`` that runs something else than the canonical
                         command (other command, service name typo, other namespace or ports)
``kfui-quoting``         an ``alias kfui=...`` the shell cannot parse (unbalanced quotes, e.g.
                         the seed's stray quote) or whose quoting changes what the alias is
                         (missing quotes: ``alias kfui=kubectl port-forward ...`` defines
                         ``kfui=kubectl``; extra quotes: ``alias kfui="'kubectl ...'"`` makes
                         the whole line one command name)
``kfui-output``          the lines after a ``$ kfui`` prompt are not exactly what kfui prints in
                         the Kubeflow release the block shows (data/kfui.yml: the guide's
                         release, ``Forwarding from 127.0.0.1:8080 -> 8080`` for 26.03.x, or the
                         release of a ``<!-- example: release=1.0 -->`` marker above the fence)
``kfui-grep-output``     the lines after ``$ alias | grep kfui`` (or ``$ alias kfui``) are neither
                         bash's ``alias kfui='...'`` nor zsh's ``kfui='...'`` listing
``kfui-port``            ``http://localhost:PORT`` / ``127.0.0.1:PORT`` / ``[::1]:PORT`` in a page
                         that uses ``kfui`` (prose or code), with a port other than the alias's
                         local port (ports of other ``kubectl port-forward`` commands on the same
                         page are allowed)
``kfui-canonical``       the canonical file itself is broken, or running it in a real ``bash``
                         does not call ``kubectl port-forward`` as parsed

Decisions (tested in tests/test_kfui.py):

* **Equal means equal shell meaning.** A definition passes when the shell defines the same alias
  as the canonical line: the same words after ``shlex`` parsing. ``alias kfui='kubectl ...'``
  (single quotes) or extra blanks inside the quotes are therefore accepted: every build compares
  such a copy with the canonical file, so it cannot drift silently. Quotes are reported only
  when they change the meaning (missing, extra, unbalanced).
* In ``console`` blocks, and in shell blocks that use ``$``/``%`` prompts, only prompt lines
  are commands; the other lines are output (``alias kfui='...'`` printed by
  ``alias | grep kfui`` is output, not a definition). Without prompts every line is a command.
  Definitions inside a quoted word (``echo 'alias kfui="..."' >> ~/.bashrc``) are checked too.
* A ``$ kfui`` prompt with no output after it (the block shows only the command) is fine; once
  output is shown it must be the complete canonical output. Later ``Handling connection for
  PORT`` lines (what kubectl prints per connection) and ``^C`` are allowed.
* Lines already reported by ``kfui-output``/``kfui-grep-output`` are not reported again by
  ``kfui-port``.
* Pages show the session by including ``--8<-- "kfui-session-26.03.x.txt"`` (written from
  the alias and data/kfui.yml by ``python -m kfguide.model.kfui``; a stale or missing file is a
  ``kfui-canonical`` finding); a literal copy in a page is checked against the same source.

``check_kfui(pages, canonical=None, root=..., site=..., resolver=..., execute=True)`` is pure apart
from reading page sources (for prose) and, once per alias text, running the canonical file in
``bash`` (:func:`run_alias_in_bash`, skipped with ``execute=False`` or when bash is missing).
"""

from __future__ import annotations

import functools
import hashlib
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from kfguide import ROOT
from kfguide.model import kfui
from kfguide.model.findings import ERROR, Finding
from kfguide.model.markdown import CodeBlock, Document, expand_snippets
from kfguide.model.site import page_source
from kfguide.model import examples

SHELL_LANGS = frozenset({
    "bash", "sh", "shell", "console", "zsh", "ksh", "shell-session", "shellsession",
    "sh-session", "bash-session", "terminal",
})
#: Blocks whose non-prompt lines are output even without prompts.
SESSION_LANGS = frozenset({"console", "shell-session", "shellsession", "sh-session", "bash-session", "terminal"})

INCLUDE_HINT = f'include the canonical definition instead: --8<-- "{Path(kfui.ALIAS_FILE).name}"'

_PROMPT = re.compile(r"^\s*(?:\([^)\s]*\)\s*)?(?:[\w.@:~/-]*)?[$%]\s(?P<cmd>.*)$")
_DEF_START = re.compile(r"^\s*alias\s+kfui\s*=")
_DEF_ANYWHERE = re.compile(r"alias\s+kfui\s*=")
_KFUI_RUN = re.compile(r"^kfui\s*(?:#.*)?$")
_GREP = re.compile(r"^(?:alias\s*\|\s*grep\s+(?:-\w+\s+)*(?P<q>['\"]?)kfui(?P=q)|alias\s+kfui)\s*(?:#.*)?$")
_HANDLING = re.compile(r"^Handling connection for (\d+)$")
_LOCAL_URL = re.compile(r"(?:(?<![\w.])localhost|(?<![\w.])127\.0\.0\.1|\[::1\]):(\d{1,6})(?!\d)")
_USES_KFUI = re.compile(r"(?<![\w-])kfui(?![\w-])")
_PORT_FORWARD = re.compile(r"port-forward\b[^\n`]{0,200}?\s(\d{1,5}):(\d{1,5})\b")  # bounded: linear on any line


@dataclass(frozen=True)
class _Line:
    line: int
    text: str
    command: bool  # a command line (prompt stripped) or an output line


def _default_resolver(root: Path) -> Callable[[str], str | None]:
    base = root / "snippets"

    def resolve(name: str) -> str | None:
        path = base / name
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return resolve


def _lines_of(block: CodeBlock, resolver: Callable[[str], str | None]) -> list[_Line]:
    body = expand_snippets(block.body, resolver)
    prompts = any(_PROMPT.match(text) for _, text in body)
    session = block.lang in SESSION_LANGS or prompts
    out: list[_Line] = []
    for number, text in body:
        if session:
            m = _PROMPT.match(text)
            out.append(_Line(number, m.group("cmd").strip() if m else text.rstrip(), m is not None))
        else:
            out.append(_Line(number, text.strip(), True))
    return out


# ---------------------------------------------------------------------------------------------
# alias kfui=...


def _definition_words(command: str) -> Iterable[str]:
    """The ``alias kfui=...`` definitions in one command line (plain or inside a quoted word)."""
    if _DEF_START.match(command):
        yield command
        return
    if not _DEF_ANYWHERE.search(command):
        return
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return  # the outer line itself is broken; a plain definition would have matched above
    for word in words:
        if _DEF_START.match(word):
            yield word


def check_definition(text: str, alias: kfui.KfuiAlias) -> tuple[str, str, str] | None:
    """``(check, message, hint)`` when the definition ``text`` differs from ``alias``, else None."""
    try:
        words = shlex.split(text, comments=True)
    except ValueError as exc:
        return ("kfui-quoting", f"unbalanced quoting in the kfui alias ({exc}): the shell waits for "
                "the closing quote instead of defining the alias", INCLUDE_HINT)
    if not words or words[0] != "alias":
        return None
    if len(words) >= 2 and words[1] == "kfui" and len(words) >= 3 and words[2].startswith("="):
        return ("kfui-quoting", "blank around '=' in `alias kfui =...`: the shell reads two names, "
                "not a definition", INCLUDE_HINT)
    defs = words[1:]
    command = defs[0][len("kfui="):] if defs and defs[0].startswith("kfui=") else None
    if command is None:
        return None
    if len(defs) > 1:
        return ("kfui-quoting", f"missing quotes: the shell defines kfui as {command!r} only and reads "
                f"{' '.join(defs[1:])!r} as other alias names; quote the whole command", INCLUDE_HINT)
    try:
        argv = tuple(shlex.split(command))
    except ValueError as exc:
        return ("kfui-quoting", f"unbalanced quoting inside the alias text ({exc})", INCLUDE_HINT)
    if argv == alias.argv:
        return None
    if len(argv) == 1 and " " in argv[0]:
        return ("kfui-quoting", f"extra quotes: the alias runs one command named {argv[0]!r} "
                "(the shell does not split it into words)", INCLUDE_HINT)
    return ("kfui-alias-mismatch", f"the kfui alias runs `{command}`, not the canonical "
            f"`{alias.command}`{_difference(argv, alias)}", INCLUDE_HINT)


def _difference(argv: tuple[str, ...], alias: kfui.KfuiAlias) -> str:
    """A short phrase naming what differs (service, namespace, ports, command)."""
    try:
        other = kfui._from_argv("", " ".join(argv), argv, "")
    except kfui.AliasError:
        if argv[:2] != alias.argv[:2]:
            return f": it must run `{' '.join(alias.argv[:2])}`"
        return ""
    parts = []
    if other.service != alias.service:
        parts.append(f"service {other.service!r} instead of {alias.service!r}")
    if other.namespace != alias.namespace:
        parts.append(f"namespace {other.namespace!r} instead of {alias.namespace!r}")
    if (other.local_port, other.remote_port) != (alias.local_port, alias.remote_port):
        parts.append(f"ports {other.local_port}:{other.remote_port} instead of "
                     f"{alias.local_port}:{alias.remote_port}")
    if not parts:
        parts.append("arguments in another order or form")
    return ": " + ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# One page


def check_page(
    path: str,
    doc: Document,
    alias: kfui.KfuiAlias,
    resolver: Callable[[str], str | None],
    source: str | None = None,
    releases: Mapping[str, kfui.KfuiAlias] | None = None,
) -> list[Finding]:
    """Every kfui finding for one page (``source`` adds the prose port check and the
    ``<!-- example: release=... -->`` markers; ``releases`` maps release names to the alias
    with that release's target port)."""
    out: list[Finding] = []
    source_lines = source.replace("\r\n", "\n").split("\n") if source is not None else []
    reported_lines: set[int] = set()
    uses_kfui = False
    allowed_ports = {alias.local_port}
    code_texts: list[_Line] = []
    for block in doc.code_blocks:
        if block.lang not in SHELL_LANGS or block.broken_include:
            continue
        lines = _lines_of(block, resolver)
        code_texts.extend(lines)
        end_line = block.end_line
        block_alias, release_problem = _alias_for_block(block, source_lines, alias, releases)
        if release_problem:
            out.append(Finding(path, examples.marker_above(source_lines, block.start_line)[0], "kfui-output", release_problem,
                               f"releases in {kfui.FACTS_FILE}: {', '.join(sorted(releases or {}))}"))
        i = 0
        while i < len(lines):
            item = lines[i]
            if not item.command:
                i += 1
                continue
            if _USES_KFUI.search(item.text):
                uses_kfui = True
            for definition in _definition_words(item.text):
                problem = check_definition(definition, alias)
                if problem:
                    check, message, hint = problem
                    out.append(Finding(path, item.line, check, message, hint))
            output = []
            j = i + 1
            while j < len(lines) and not lines[j].command:
                output.append(lines[j])
                j += 1
            next_line = lines[j].line if j < len(lines) else end_line
            if _KFUI_RUN.match(item.text) and output:
                found = _check_forward_output(path, output, block_alias, next_line)
                out.extend(found)
                reported_lines.update(f.line for f in found)
            elif _GREP.match(item.text) and output:
                found = _check_grep_output(path, output, alias)
                out.extend(found)
                reported_lines.update(f.line for f in found)
            i = j
    if source is not None:
        uses_kfui = uses_kfui or bool(_USES_KFUI.search(source))
        texts = [(n, t) for n, t in enumerate(source.replace("\r\n", "\n").split("\n"), start=1)]
    else:
        uses_kfui = uses_kfui or any(_USES_KFUI.search(link.text or "") for link in doc.links)
        texts = [(item.line, item.text) for item in code_texts]
        texts += [(link.line, link.target) for link in doc.links]
    if not uses_kfui:
        return out
    for _, text in texts:
        for m in _PORT_FORWARD.finditer(text):
            if "kfui" not in text and "istio-ingressgateway" not in text:
                allowed_ports.add(int(m.group(1)))
    seen: set[tuple[int, int]] = set()
    for number, text in texts:
        if number in reported_lines:
            continue
        for m in _LOCAL_URL.finditer(text):
            port = int(m.group(1))
            if port in allowed_ports or (number, m.start()) in seen:
                continue
            seen.add((number, m.start()))
            out.append(Finding(
                path, number, "kfui-port",
                f"{m.group(0)} uses port {port}, but the kfui alias forwards local port {alias.local_port}",
                f"write {m.group(0)[: -len(m.group(1))]}{alias.local_port}",
            ))
    return out


def _alias_for_block(block: CodeBlock, source_lines: list[str], alias: kfui.KfuiAlias,
                     releases: Mapping[str, kfui.KfuiAlias] | None) -> tuple[kfui.KfuiAlias, str | None]:
    """The alias for the release the block shows: a ``release=`` marker above it, else ``alias``."""
    found = examples.marker_above(source_lines, block.start_line)
    if found is None:
        return alias, None
    marks, _problems = examples.parse_marks(found[1])
    release = marks.get("release")
    if release is None:
        return alias, None
    found = (releases or {}).get(release)
    if found is None:
        return alias, f"unknown Kubeflow release {release!r} in the example marker"
    return found, None


def _check_forward_output(path: str, output: list[_Line], alias: kfui.KfuiAlias, next_line: int) -> list[Finding]:
    expected = alias.forward_output()
    release = f" in Kubeflow {alias.release}" if alias.release else ""
    out: list[Finding] = []
    got = [item for item in output if item.text.strip()]
    for k, want in enumerate(expected):
        if k >= len(got):
            where = got[-1].line + 1 if got else next_line
            out.append(Finding(path, where, "kfui-output", f"missing output line `{want}` after `$ kfui`",
                               f"kfui prints{release}: {' / '.join(expected)}"))
            continue
        if got[k].text.strip() != want:
            out.append(Finding(path, got[k].line, "kfui-output",
                               f"`{got[k].text.strip()}` is not what kfui prints{release}; expected `{want}`",
                               f"the alias forwards local port {alias.local_port} to service port {alias.remote_port}, "
                               f"whose target port{release} is {alias.printed_port} ({kfui.FACTS_FILE}); "
                               f'include --8<-- "{kfui.SESSION_SNIPPET.format(release=alias.release or "RELEASE")}"'))
    for item in got[len(expected):]:
        text = item.text.strip()
        m = _HANDLING.match(text)
        if text == "^C" or (m and int(m.group(1)) == alias.local_port):
            continue
        out.append(Finding(path, item.line, "kfui-output", f"unexpected output line `{text}` after `$ kfui`",
                           f"kfui prints{release}: {' / '.join(expected)}"))
    return out


def _check_grep_output(path: str, output: list[_Line], alias: kfui.KfuiAlias) -> list[Finding]:
    allowed = {alias.bash_alias_listing(), alias.zsh_alias_listing()}
    out: list[Finding] = []
    for item in output:
        text = item.text.strip()
        if not text or text in allowed:
            continue
        out.append(Finding(
            path, item.line, "kfui-grep-output",
            f"`{text}` is not what `alias | grep kfui` prints for the canonical alias",
            f"bash prints {alias.bash_alias_listing()} ; zsh prints {alias.zsh_alias_listing()}",
        ))
    return out


# ---------------------------------------------------------------------------------------------
# The canonical file in a real bash


@dataclass(frozen=True)
class BashRun:
    argv: tuple[str, ...]  # what the stand-in kubectl received, program name first
    listing: str  # `alias | grep kfui` output
    returncode: int
    stderr: str


_KUBECTL_STUB = """#!/bin/sh
# stand-in kubectl: record the call (NUL-separated argv) and exit
{ printf '%s\\0' "$0"; for a in "$@"; do printf '%s\\0' "$a"; done; } > "$KFGUIDE_ARGV_FILE"
"""

_SCRIPT = """shopt -s expand_aliases
{definition}
alias | grep kfui > "$KFGUIDE_LISTING_FILE"
kfui
"""


#: What a canonical alias may hold: words of plain characters and the quotes around the
#: command. No $, backquote, backslash, ;, &, |, <, >, parentheses, braces, globs or newlines,
#: so what bash runs is exactly what shlex parsed (nothing is expanded or substituted).
_LITERAL_DEFINITION = re.compile(r"""^alias [A-Za-z0-9_-]+=(?:"[A-Za-z0-9_./:=@%+, -]*"|'[A-Za-z0-9_./:=@%+, -]*')$""")


def literal_problem(alias: kfui.KfuiAlias) -> str | None:
    """Why the canonical definition must not be run in a shell (None when it is a plain
    ``alias kfui="kubectl ..."`` line)."""
    if _LITERAL_DEFINITION.match(alias.definition.strip()):
        return None
    odd = sorted({ch for ch in alias.definition if not re.match(r"[A-Za-z0-9_./:=@%+, '\"-]", ch)})
    shown = " ".join(repr(ch) for ch in odd) or "its quoting"
    return (f"the canonical alias holds shell syntax ({shown}); it must be one plain "
            "`alias kfui=\"kubectl port-forward ...\"` line, and the checks do not run it")


def run_alias_in_bash(alias_file: Path | str, bash: str | None = None, timeout: float = 20) -> BashRun:
    """Define the canonical alias in a non-interactive bash with ``expand_aliases`` and run
    ``kfui``. Only the file's one definition line is run, and only when it is a plain literal
    (:func:`literal_problem`); nothing else of the file is executed.

    A stand-in ``kubectl`` (first on PATH) records the argv it receives; no cluster is touched.
    Raises FileNotFoundError when bash is not installed, ValueError when the definition is not
    a plain literal.
    """
    lines = [ln.strip() for ln in Path(alias_file).read_text("utf-8", errors="replace").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    definition = lines[0] if len(lines) == 1 else ""
    if not _LITERAL_DEFINITION.match(definition):
        raise ValueError(f"{Path(alias_file).name}: not one plain `alias NAME=\"...\"` line; not run")
    bash = bash or shutil.which("bash")
    if not bash:
        raise FileNotFoundError("bash")
    with tempfile.TemporaryDirectory(prefix="kfguide-bash-") as tmp:
        tmpdir = Path(tmp)
        stub = tmpdir / "bin" / "kubectl"
        stub.parent.mkdir()
        stub.write_text(_KUBECTL_STUB, encoding="utf-8")
        stub.chmod(0o755)
        script = tmpdir / "run.sh"
        script.write_text(_SCRIPT.format(definition=definition), encoding="utf-8")
        argv_file, listing_file = tmpdir / "argv", tmpdir / "listing"
        env = {
            "PATH": f"{stub.parent}:/usr/bin:/bin",
            "HOME": str(tmpdir),
            "LC_ALL": "C.UTF-8",
            "KFGUIDE_ARGV_FILE": str(argv_file),
            "KFGUIDE_LISTING_FILE": str(listing_file),
        }
        proc = subprocess.run([bash, "--noprofile", "--norc", str(script)], env=env, cwd=tmpdir,
                              capture_output=True, text=True, timeout=timeout)
        raw = argv_file.read_bytes() if argv_file.exists() else b""
        argv = tuple(part.decode("utf-8", "replace") for part in raw.split(b"\0")[:-1])
        if argv:
            argv = (Path(argv[0]).name,) + argv[1:]
        listing = listing_file.read_text("utf-8", "replace").strip() if listing_file.exists() else ""
        return BashRun(argv, listing, proc.returncode, proc.stderr.strip())


def verify_in_bash(alias: kfui.KfuiAlias, alias_file: Path | str, where: str = kfui.ALIAS_FILE) -> list[Finding]:
    """``kfui-canonical`` findings when running the canonical file in bash disagrees with ``alias``."""
    problem = literal_problem(alias)
    if problem:
        return [Finding(where, alias.line, "kfui-canonical", problem, "write the command out literally")]
    try:
        run = run_alias_in_bash(alias_file)
    except FileNotFoundError:
        return []  # no bash on this machine: the source checks still ran
    except (ValueError, OSError) as exc:
        return [Finding(where, 0, "kfui-canonical", f"the canonical alias was not run: {exc}")]
    except subprocess.TimeoutExpired:
        return [Finding(where, 0, "kfui-canonical", "running the canonical alias in bash timed out", "")]
    return _judge_run(run, alias, where)


def _judge_run(run: BashRun, alias: kfui.KfuiAlias, where: str) -> list[Finding]:
    out: list[Finding] = []
    if not run.argv:
        out.append(Finding(where, 0, "kfui-canonical",
                           "sourcing the canonical file in bash and running `kfui` did not call kubectl"
                           + (f" (bash said: {run.stderr.splitlines()[-1]})" if run.stderr else ""),
                           "the file must define the alias with `alias kfui=\"kubectl ...\"`"))
        return out
    try:
        recorded = kfui._from_argv("", shlex.join(run.argv), run.argv, where)
    except kfui.AliasError as exc:
        out.append(Finding(where, 0, "kfui-canonical", f"bash ran a malformed call: {shlex.join(run.argv)} ({exc})"))
        return out
    if run.argv != alias.argv or recorded.local_port != alias.local_port:
        out.append(Finding(where, 0, "kfui-canonical",
                           f"bash ran `{shlex.join(run.argv)}`, the checks parsed `{shlex.join(alias.argv)}`"))
    if run.listing != alias.bash_alias_listing():
        out.append(Finding(where, 0, "kfui-canonical",
                           f"bash lists the alias as {run.listing!r}, expected {alias.bash_alias_listing()!r}"))
    return out


@functools.lru_cache(maxsize=8)
def _verify_cached(definition_key: str, alias: kfui.KfuiAlias, alias_file: str) -> tuple[Finding, ...]:
    return tuple(verify_in_bash(alias, alias_file))


# ---------------------------------------------------------------------------------------------
# All pages


def check_kfui(
    pages: Mapping[str, Document | str],
    canonical: kfui.KfuiAlias | None = None,
    *,
    root: Path | str | None = None,
    site=None,
    resolver: Callable[[str], str | None] | None = None,
    sources: Mapping[str, str] | None = None,
    execute: bool = True,
) -> list[Finding]:
    """kfui findings for every page. ``pages`` maps docs-relative paths to scanned documents or
    to source text. ``root`` is the repository root (canonical file and ``snippets/``); page
    sources for the prose check come from ``sources``, the text itself, or ``site.docs_dir``.
    ``canonical`` overrides the alias read from ``root`` (it is deliberately not named
    ``alias``: kfguide.checks.call_check would load it itself and crash on a broken file, while
    this function reports a broken file as a ``kfui-canonical`` finding).
    """
    root = Path(root) if root is not None else ROOT
    alias_file = root / kfui.ALIAS_FILE
    alias = canonical
    if alias is None:
        try:
            alias = kfui.load(root)
        except kfui.AliasError as exc:
            return [_canonical_finding(str(exc))]
    resolver = resolver or _default_resolver(root)
    releases = _release_aliases(root, alias)
    docs_dir = getattr(site, "docs_dir", None)
    out: list[Finding] = []
    for path in sorted(pages):
        source, doc = page_source(path, pages[path], sources, docs_dir)
        out.extend(check_page(path, doc, alias, resolver, source, releases))
    try:
        for where, problem in kfui.stale_sessions(root):
            out.append(Finding(where, 0, "kfui-canonical", f"{where} {problem}",
                               "regenerate with: python -m kfguide.model.kfui"))
    except kfui.AliasError:
        pass  # already reported above as the broken canonical file
    problem = literal_problem(alias)
    if problem:  # compared above; never run
        out.append(Finding(kfui.ALIAS_FILE, alias.line, "kfui-canonical", problem, "write the command out literally"))
    elif execute and alias_file.is_file():
        key = hashlib.sha256(alias_file.read_bytes()).hexdigest()
        out.extend(_verify_cached(key, alias, str(alias_file)))
    return sorted(set(out))


def _release_aliases(root: Path, alias: kfui.KfuiAlias) -> dict[str, kfui.KfuiAlias]:
    """Every release of data/kfui.yml with its alias (empty when the facts file is unreadable;
    the canonical alias is then the only one, and ``release=`` markers are reported unknown)."""
    try:
        facts = kfui.load_facts(root)
    except kfui.AliasError:
        return {alias.release: alias} if alias.release else {}
    out = {}
    for name in facts.releases:
        try:
            out[name] = kfui.load(root, name)
        except kfui.AliasError:
            continue
    return out


def _canonical_finding(message: str) -> Finding:
    """Turn an AliasError message ``snippets/kfui-alias.sh:N: text`` into a finding."""
    m = re.match(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<text>.*)$", message, re.S)
    if m:
        return Finding(m.group("path"), int(m.group("line")), "kfui-canonical", m.group("text"),
                       "every page's kfui checks depend on this file", ERROR)
    return Finding(kfui.ALIAS_FILE, 0, "kfui-canonical", message, "", ERROR)


__all__ = [
    "check_kfui", "check_page", "check_definition", "run_alias_in_bash", "verify_in_bash",
    "BashRun", "SHELL_LANGS",
]
