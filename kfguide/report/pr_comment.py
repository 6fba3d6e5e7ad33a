"""Turn the checks' JSON report into Markdown: the pull-request comment and the job summary.

    python -m kfguide.report.pr_comment REPORT [--preview-url URL] [--run-url URL]
                                 [--conclusion success|failure|...] [--max N]
                                 [--summary] [--missing-ok] [--held]
                                 [--refused too-big|content [--refused-detail FILE]]

The report (``reports/checks.json``, written by ``kfguide.report.printer.Report.to_json``) comes out of
a pull request's build, so it is **untrusted data**: a contributor controls every string in it
(file names, messages, hints, check ids). This module therefore

* validates the report's shape and reports every problem at once (``file: message``, exit 2,
  never a traceback);
* escapes every string before it reaches Markdown: HTML (``<script>``), table pipes, links and
  images (``![x](http://...)``), code spans, emphasis, autolinks, ``@mentions`` and newlines;
* bounds the output: at most ``--max`` findings (the rest are counted), at most
  ``MAX_CHECK_ROWS`` check ids, every cell cut to ``MAX_CELL`` characters, so a hostile
  report cannot produce a comment over GitHub's 65,536-character limit;
* never fails on a hostile report: nesting past ``MAX_DEPTH``, integers longer than
  ``MAX_INT_DIGITS`` digits (Python refuses over 4,300) or anything else unexpected makes a
  short "the report could not be read" comment with ``--missing-ok``, never a traceback or
  no comment at all; Unicode bidi controls (which can reorder what a reviewer reads) are
  replaced by U+FFFD.

``--held`` says a fork's preview waits for a maintainer (the ``preview`` label); ``--refused``
says the preview was refused (``too-big``: over the size cap, ``content``: a symlink, device or
``.git*`` name), with the publishing script's reason read from ``--refused-detail``.

Korean comes first, English below. The comment starts with the hidden marker
``<!-- kfguide-preview -->`` so the preview workflow can find and update its one comment.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

MARKER = "<!-- kfguide-preview -->"
MAX_CELL = 200
MAX_CHECK_ROWS = 30
MAX_REPORT_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 32               # Report.to_json() nests 5 deep
MAX_INT_DIGITS = 18
PREVIEW_LABEL = "preview"    # .github/scripts/preview.sh LABEL
COMMENT_BUDGET = 60_000      # GitHub rejects comment bodies over 65,536 characters
SUMMARY_BUDGET = 900_000     # and job summaries over 1 MiB
SEVERITIES = ("error", "warning")

# Conclusions GitHub reports for a workflow run (github.event.workflow_run.conclusion).
CONCLUSIONS = {
    "success": ("✅ 통과", "✅ passed"),
    "failure": ("❌ 실패", "❌ failed"),
    "cancelled": ("⚪ 취소됨", "⚪ cancelled"),
    "timed_out": ("⏱️ 시간 초과", "⏱️ timed out"),
    "skipped": ("⚪ 건너뜀", "⚪ skipped"),
    "neutral": ("⚪ 중립", "⚪ neutral"),
    "action_required": ("⚠️ 승인 필요", "⚠️ action required"),
    "stale": ("⚪ 오래됨", "⚪ stale"),
    "startup_failure": ("❌ 시작 실패", "❌ startup failure"),
}

# Preview and run links are built by our own workflows; still refuse anything odd.
_URL = re.compile(r"^https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/%+-]*)?$")


class ReportError(ValueError):
    """The report file is missing, unreadable or not shaped like ``Report.to_json()``."""


# --- escaping -----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
# Bidi embeddings, overrides, isolates and marks: "Trojan Source" text that displays in another
# order than it reads. Replaced by U+FFFD so a reviewer sees that something was there.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# ASCII punctuation that means something in (GitHub-flavoured) Markdown. Every one may be
# backslash-escaped (CommonMark 2.4). ':' and '.' break autolinks (http://x, www.x).
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:\"'$])")


def md_text(value: object, limit: int = MAX_CELL) -> str:
    """Any untrusted value as inert Markdown text that is safe inside a table cell."""
    text = value if isinstance(value, str) else _short_repr(value)
    text = _BIDI.sub("\ufffd", _CONTROL.sub(" ", text)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCT.sub(r"\\\1", text)
    # GitHub links @user and @org/team in rendered text, escaped or not: a word joiner after
    # the @ keeps the text readable and stops the mention (and its notification).
    return text.replace("@", "@\u2060")


def _short_repr(value: object) -> str:
    """A scalar as text; a container by its type only (its repr could nest without bound)."""
    if isinstance(value, str):
        return repr(value[:40])
    if value is None or isinstance(value, (bool, int, float)):
        return str(value) if not isinstance(value, int) or abs(value) < 10 ** MAX_INT_DIGITS else "(number)"
    return f"({type(value).__name__})"


def _url(value: str | None, what: str) -> str | None:
    if value in (None, ""):
        return None
    if not _URL.match(value):
        raise ValueError(f"{what}: not a plain https URL: {value!r}")
    return value


# --- validation ---------------------------------------------------------------------------------

def load_report(path: Path, *, require_findings: bool = True) -> dict:
    """Read and validate a report file; ``ReportError`` lists every problem found.

    ``require_findings=False`` accepts a summaries-only report such as
    ``reports/translations.json`` (``{"version": 1, "summaries": {"translations": {...}}}``).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReportError(f"{path}: cannot read the report ({exc.strerror or exc})") from None
    if size > MAX_REPORT_BYTES:
        raise ReportError(f"{path}: report is {size} bytes, more than {MAX_REPORT_BYTES}")
    try:
        data = json.loads(path.read_text("utf-8"), parse_int=_parse_int)
    except UnicodeDecodeError:
        raise ReportError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except _NumberTooLong as exc:
        raise ReportError(f"{path}: a number with {exc.args[0]} digits; at most {MAX_INT_DIGITS} are accepted") from None
    except RecursionError:
        raise ReportError(f"{path}: nested too deeply (at most {MAX_DEPTH} levels)") from None
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path}: cannot read the report ({type(exc).__name__})") from None
    if _depth(data) > MAX_DEPTH:
        raise ReportError(f"{path}: nested too deeply (at most {MAX_DEPTH} levels)")
    if not require_findings and isinstance(data, dict):
        data.setdefault("findings", [])
    problems = validate_report(data)
    if problems:
        shown = problems[:20]
        more = f"\n{path}: ... and {len(problems) - 20} more problems" if len(problems) > 20 else ""
        raise ReportError("\n".join(f"{path}: {p}" for p in shown) + more)
    return data


class _NumberTooLong(Exception):
    """An integer literal longer than MAX_INT_DIGITS (args: its digit count)."""


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:  # also keeps int() away from its 4,300-digit ValueError
        raise _NumberTooLong(digits)
    return int(text)


def _depth(data: object) -> int:
    """How deeply ``data`` nests (iterative, so any depth the decoder accepted is measured)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            stack.extend((child, level + 1) for child in node)
    return deepest


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_report(data: object) -> list[str]:
    """Every way ``data`` differs from the shape of ``Report.to_json()`` (empty: valid)."""
    if not isinstance(data, dict):
        return [f"expected a JSON object at the top, found {type(data).__name__}"]
    problems: list[str] = []
    if data.get("version") != 1:
        problems.append(f"version: expected 1, found {_short_repr(data.get('version'))[:40]}")
    findings = data.get("findings")
    if not isinstance(findings, list):
        problems.append("findings: expected a list")
        findings = []
    for i, item in enumerate(findings):
        where = f"findings[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object")
            continue
        for key in ("path", "check", "message"):
            if not isinstance(item.get(key), str):
                problems.append(f"{where}.{key}: expected a string")
        for key in ("hint", "file"):
            if key in item and not isinstance(item[key], str):
                problems.append(f"{where}.{key}: expected a string")
        line = item.get("line")
        if not _is_int(line) or line < 0:
            problems.append(f"{where}.line: expected a whole number >= 0")
        if item.get("severity", "error") not in SEVERITIES:
            problems.append(f"{where}.severity: expected 'error' or 'warning'")
    for key in ("total", "errors", "warnings"):
        if key in data and not (_is_int(data[key]) and data[key] >= 0):
            problems.append(f"{key}: expected a whole number >= 0")
    if "counts" in data and not isinstance(data["counts"], dict):
        problems.append("counts: expected an object")
    summaries = data.get("summaries", {})
    if not isinstance(summaries, dict):
        problems.append("summaries: expected an object")
    else:
        for name, fields in (("translations", ("pages", "translated", "stale", "missing")),
                             ("checks", ("pages",))):
            block = summaries.get(name)
            if block is None:
                continue
            if not isinstance(block, dict):
                problems.append(f"summaries.{name}: expected an object")
                continue
            for key in fields:
                if key in block and not (_is_int(block[key]) and block[key] >= 0):
                    problems.append(f"summaries.{name}.{key}: expected a whole number >= 0")
    return problems


# --- rendering ----------------------------------------------------------------------------------

def merge_reports(reports: list[dict]) -> dict:
    """One report from several: findings concatenated, summaries merged (later files win)."""
    merged: dict = {"version": 1, "findings": [], "summaries": {}}
    for report in reports:
        merged["findings"].extend(report.get("findings", []))
        merged["summaries"].update(report.get("summaries", {}))
    return merged


def _findings(report: dict) -> list[dict]:
    """Findings in report order, errors first (the report is sorted by file and line)."""
    items = list(report.get("findings", []))
    return sorted(items, key=lambda f: f.get("severity", "error") != "error")


def _counts(findings: list[dict]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["check"]] = counts.get(f["check"], 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _location(f: dict) -> str:
    where = f.get("file") or f["path"]
    return f"{where}:{f['line']}" if f["line"] else where


def _translations(report: dict) -> tuple[str, str] | None:
    block = report.get("summaries", {}).get("translations")
    if not isinstance(block, dict) or not _is_int(block.get("pages")):
        return None
    pages = block["pages"]
    done = block.get("translated", 0)
    stale = block.get("stale", 0)
    missing = block.get("missing", 0)
    ko = f"{pages}쪽 중 {done}쪽 번역됨 (오래된 번역 {stale}쪽, 번역 없음 {missing}쪽)"
    en = f"{done} of {pages} pages translated ({stale} stale, {missing} missing)"
    return ko, en


def _outdated_pages(report: dict, limit: int = 20) -> tuple[list[str], int]:
    """Korean pages whose English translation is stale, unrecorded or missing (escaped)."""
    block = report.get("summaries", {}).get("translations")
    details = block.get("details") if isinstance(block, dict) else None
    if not isinstance(details, list):
        return [], 0
    names = []
    for d in details:
        if isinstance(d, dict) and d.get("state") in ("stale", "unrecorded", "missing"):
            names.append(f"{md_text(d.get('page', '?'), 80)} ({md_text(d['state'], 20)})")
    return names[:limit], max(0, len(names) - limit)


def _pages(report: dict) -> int | None:
    block = report.get("summaries", {}).get("checks")
    if isinstance(block, dict) and _is_int(block.get("pages")):
        return block["pages"]
    return None


REFUSALS = {
    "too-big": ("크기 제한을 넘어 미리보기를 게시하지 않았습니다",
                "the preview was not published: the site is over the size cap"),
    "content": ("심볼릭 링크, 장치 파일 또는 `.git`으로 시작하는 이름이 있어 미리보기를 게시하지 않았습니다",
                "the preview was not published: the site holds a symlink, a device or a name starting with .git"),
}


def _notices(held: bool, refused: str | None, detail: str | None) -> tuple[list[str], list[str]]:
    """Korean bullet lines and English sentences for a held or refused preview (fixed text)."""
    ko: list[str] = []
    en: list[str] = []
    if held:
        ko.append(f"- **미리보기:** ⏸️ 포크에서 온 풀 리퀘스트입니다. 관리자가 코드를 확인하고 "
                  f"`{PREVIEW_LABEL}` 라벨을 붙이면 게시합니다 (새 커밋마다 다시 확인합니다).")
        en.append(f"Preview: ⏸️ held; a pull request from a fork is published after a maintainer "
                  f"reviews it and applies the `{PREVIEW_LABEL}` label (again after every new commit).")
    if refused:
        ko_text, en_text = REFUSALS.get(refused, ("미리보기를 게시하지 않았습니다", "the preview was not published"))
        ko.append(f"- **미리보기:** ⛔ {ko_text}." + (f" ({md_text(detail, 300)})" if detail else ""))
        en.append(f"Preview: ⛔ {en_text}.")
    return ko, en


def _rows(findings: list[dict], limit: int, budget: int) -> list[str]:
    """Table rows for at most ``limit`` findings whose text fits in ``budget`` characters."""
    rows: list[str] = []
    used = 0
    for f in findings[:limit]:
        icon = "❌" if f.get("severity", "error") == "error" else "⚠️"
        row = (f"| {icon} {md_text(_location(f))} | {md_text(f['check'], 60)} "
               f"| {md_text(f['message'])} | {md_text(f.get('hint', ''))} |")
        if used + len(row) + 1 > budget:
            break
        rows.append(row)
        used += len(row) + 1
    return rows


def _render(report: dict, *, preview_url: str | None, max_findings: int, run_url: str | None,
            conclusion: str | None, marker: bool, title: str, budget: int, held: bool = False,
            refused: str | None = None, refused_detail: str | None = None) -> str:
    preview_url = _url(preview_url, "preview URL")
    run_url = _url(run_url, "run URL")
    max_findings = max(0, int(max_findings))
    findings = _findings(report)
    errors = sum(1 for f in findings if f.get("severity", "error") == "error")
    warnings = len(findings) - errors
    pages = _pages(report)
    translations = _translations(report)
    # Every row is bounded (MAX_CELL per cell), but a hostile report could still fill a long
    # table with characters that escape to several: keep the whole text under ``budget``.
    rows = _rows(findings, max_findings, budget - 15_000)
    shown = len(rows)
    rest = len(findings) - shown
    state = CONCLUSIONS.get(conclusion or "")
    if conclusion and state is None:
        state = (md_text(conclusion, 40), md_text(conclusion, 40))

    out: list[str] = [MARKER] if marker else []
    out += [f"### {title}", ""]
    notice_ko, notice_en = _notices(held, refused, refused_detail)

    # Korean first.
    ko: list[str] = list(notice_ko)
    if preview_url:
        ko.append(f"- **미리보기:** <{preview_url}>")
    if state:
        run = f" ([실행 기록]({run_url}))" if run_url else ""
        ko.append(f"- **빌드와 검사 워크플로:** {state[0]}{run}")
    if findings:
        ko.append(f"- **검사 결과:** 오류 {errors}건, 경고 {warnings}건")
    else:
        ko.append("- **검사 결과:** ✅ 문제 없음")
    if pages is not None:
        ko.append(f"- **페이지:** {pages}쪽")
    if translations:
        ko.append(f"- **번역 현황:** {translations[0]}")
        outdated, more = _outdated_pages(report) if not marker else ([], 0)
        if outdated:
            ko.append("  - 손볼 번역 (translations to update): " + ", ".join(outdated)
                      + (f" 외 {more}쪽 ({more} more)" if more else ""))
    out += ko + [""]

    if findings:
        out += ["| 검사 (Check) | 건수 (Count) |", "|---|---:|"]
        counts = _counts(findings)
        for check, n in counts[:MAX_CHECK_ROWS]:
            out.append(f"| {md_text(check, 60)} | {n} |")
        if len(counts) > MAX_CHECK_ROWS:
            out.append(f"| 외 {len(counts) - MAX_CHECK_ROWS}종 ({len(counts) - MAX_CHECK_ROWS} more checks) | |")
        out.append("")
        if shown:
            out += ["| 위치 (Location) | 검사 (Check) | 내용 (Message) | 힌트 (Hint) |",
                    "|---|---|---|---|", *rows, ""]
        if rest:
            out += [f"외 {rest}건 더 있습니다. 전체 목록은 워크플로의 요약(Job summary)과 "
                    f"`checks.json` 아티팩트에 있습니다.", ""]

    # English below.
    en: list[str] = list(notice_en)
    if preview_url:
        en.append(f"Preview: <{preview_url}>.")
    if state:
        en.append(f"Build and checks workflow: {state[1]}" + (f" ([run]({run_url}))." if run_url else "."))
    if findings:
        en.append(f"Checks: {errors} errors, {warnings} warnings"
                  + (f"; the table lists {shown}, {rest} more in the job summary." if rest else "."))
    else:
        en.append("Checks: ✅ No problems found.")
    if pages is not None:
        en.append(f"Pages: {pages}.")
    if translations:
        en.append(f"Translations: {translations[1]}.")
    out += ["---", "", "*" + " ".join(en) + "*", ""]
    return "\n".join(out)


def render_comment(report: dict, *, preview_url: str | None, max_findings: int = 20,
                   run_url: str | None = None, conclusion: str | None = None, held: bool = False,
                   refused: str | None = None, refused_detail: str | None = None) -> str:
    """The PR comment: marker, preview link, counts by check, at most ``max_findings`` rows."""
    return _render(report, preview_url=preview_url, max_findings=max_findings, run_url=run_url,
                   conclusion=conclusion, marker=True, title="📖 미리보기와 검사 결과 (Preview and checks)",
                   budget=COMMENT_BUDGET, held=held, refused=refused, refused_detail=refused_detail)


def render_summary(report: dict, *, preview_url: str | None = None, max_findings: int = 100) -> str:
    """The job summary ($GITHUB_STEP_SUMMARY) of the PR workflow: same content, longer table."""
    return _render(report, preview_url=preview_url, max_findings=max_findings, run_url=None,
                   conclusion=None, marker=False, title="문서 검사 결과 (Documentation checks)",
                   budget=SUMMARY_BUDGET)


def render_missing(reason: str, *, preview_url: str | None = None, run_url: str | None = None,
                   conclusion: str | None = None, summary: bool = False, held: bool = False,
                   refused: str | None = None, refused_detail: str | None = None) -> str:
    """What to post when the build left no usable report (it failed before the checks ran, or
    the report is hostile): short, and with only our own text besides the escaped reason."""
    preview_url = _url(preview_url, "preview URL")
    run_url = _url(run_url, "run URL")
    state = CONCLUSIONS.get(conclusion or "")
    notice_ko, notice_en = _notices(held, refused, refused_detail)
    out = [] if summary else [MARKER]
    out += ["### 📖 미리보기와 검사 결과 (Preview and checks)", "", *notice_ko]
    if preview_url:
        out.append(f"- **미리보기:** <{preview_url}>")
    if state:
        out.append(f"- **빌드와 검사 워크플로:** {state[0]}"
                   + (f" ([실행 기록]({run_url}))" if run_url else ""))
    out += ["- **검사 결과:** ⚠️ 검사 보고서가 없거나 읽을 수 없습니다. 워크플로 기록을 확인하세요.",
            f"  ({md_text(reason, 300)})", "", "---", "",
            "*" + " ".join([*notice_en, "No usable check report: the build failed before the checks "
                            "ran, or the report could not be read. See the workflow run."]) + "*", ""]
    return "\n".join(out)


# --- command line -------------------------------------------------------------------------------

def _read_detail(name: str | None) -> str | None:
    """The first line of the publishing script's refusal reason (at most 2,000 bytes read)."""
    if not name:
        return None
    try:
        with open(name, "rb") as handle:
            raw = handle.read(2000)
    except OSError:
        return None
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else None


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m kfguide.report.pr_comment",
                                     description="Render the checks' JSON report as Markdown.")
    parser.add_argument("report", help="JSON report of the checks (reports/checks.json)")
    parser.add_argument("extra", nargs="*",
                        help="more reports whose summaries to add (reports/translations.json)")
    parser.add_argument("--preview-url", help="https URL of the PR preview")
    parser.add_argument("--run-url", help="https URL of the workflow run that built the PR")
    parser.add_argument("--conclusion", help="that run's conclusion (success, failure, ...)")
    parser.add_argument("--max", type=int, default=None, help="findings listed (default 20, summary 100)")
    parser.add_argument("--summary", action="store_true", help="job summary instead of the PR comment")
    parser.add_argument("--missing-ok", action="store_true",
                        help="when the report is missing, invalid or hostile, print a short notice "
                             "instead of failing")
    parser.add_argument("--held", action="store_true",
                        help=f"a fork's preview waits for a maintainer's `{PREVIEW_LABEL}` label")
    parser.add_argument("--refused", choices=sorted(REFUSALS),
                        help="the preview was refused: over the size cap, or unsafe content")
    parser.add_argument("--refused-detail", metavar="FILE",
                        help="file whose first line is the publishing script's reason")
    args = parser.parse_args(argv)
    if args.max is not None and args.max < 0:
        print("--max: must be 0 or more", file=err)
        return 2
    notices = {"held": args.held, "refused": args.refused,
               "refused_detail": _read_detail(args.refused_detail)}
    try:
        _url(args.preview_url, "preview URL")
        _url(args.run_url, "run URL")
    except ValueError as exc:  # our own workflow's arguments: a bug there, not a bad report
        print(exc, file=err)
        return 2

    def missing(reason: str) -> str:
        return render_missing(reason, preview_url=args.preview_url, run_url=args.run_url,
                              conclusion=args.conclusion, summary=args.summary, **notices)

    try:
        extras = []
        for name in args.extra:
            if not Path(name).exists():
                print(f"{name}: no such report; its summaries are left out", file=err)
                continue
            extras.append(load_report(Path(name), require_findings=False))
        report = merge_reports([load_report(Path(args.report))] + extras)
        if args.summary:
            text = render_summary(report, preview_url=args.preview_url,
                                  max_findings=100 if args.max is None else args.max)
        else:
            text = render_comment(report, preview_url=args.preview_url,
                                  max_findings=20 if args.max is None else args.max,
                                  run_url=args.run_url, conclusion=args.conclusion, **notices)
    except ReportError as exc:
        print(exc, file=err)
        if not args.missing_ok:
            return 2
        text = missing(str(exc).splitlines()[0])
    except Exception as exc:  # noqa: BLE001 - a report we failed to foresee: still one comment
        print(f"{args.report}: the report could not be rendered ({type(exc).__name__})", file=err)
        if not args.missing_ok:
            return 2
        text = missing(f"{args.report}: the report could not be rendered ({type(exc).__name__})")
    out.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
