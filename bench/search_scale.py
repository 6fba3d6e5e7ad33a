"""How the Korean search augmentation grows with the index (issue 15, "Scale").

    .venv/bin/python bench/search_scale.py                 # 1,000 + 1,000 synthetic pages
    .venv/bin/python bench/search_scale.py --pages 100 --repeat 2    # smoke run

1. Writes bench/run.py's synthetic guide (``--pages`` Korean pages and as many English ones) and
   builds it once with the search hook present but ``KFGUIDE_SEARCH_KO=off``: the raw Material
   index of every page, both languages, without our forms.
2. Shuffles the entries once (fixed seed: each prefix then has the same mix of Korean and
   English pages, titles and sections), cuts growing prefixes (an eighth, a quarter, a half, all
   of it) and times
   ``kfguide.builders.search_ko.augment_index`` on each, ``--repeat`` times, every run in a fresh
   Python process (empty per-word caches, as in a fresh ``mkdocs build``), with the real glossary
   as the lexicon. Time is CPU time of the call alone (``time.process_time``), steady on a busy
   machine.
3. Prints per size the entries, the median and spread of the runs, the cost per entry, and the
   ratio of each size's median to the smallest size's median next to the ratio of their entry
   counts. Linear growth shows as a flat cost per entry; per-word caching can only make it fall.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as synthetic  # noqa: E402  (bench/run.py: the synthetic guide generator)

# One timed call in a fresh process: argv = index file, entry count.
_WORKER = """
import json, sys, time
sys.path.insert(0, {root!r})
import yaml
from kfguide.builders import search_ko
index = json.loads(open(sys.argv[1], encoding="utf-8").read())
index["docs"] = index["docs"][: int(sys.argv[2])]
lexicon = search_ko.glossary_lexicon(yaml.safe_load(open({glossary!r}, encoding="utf-8")))
started = time.process_time()
out, stats = search_ko.augment_index(index, lexicon)
print(json.dumps({{"seconds": time.process_time() - started, "entries": stats.entries, "forms": stats.forms}}))
"""


def raw_index(base: Path, pages: int) -> Path:
    """Build the synthetic guide without the Korean forms; return both languages' entries."""
    synthetic.generate(base, pages, per_kind=1)
    env = dict(os.environ, KFGUIDE_SEARCH_KO="off", KFGUIDE_REPORT="", NO_MKDOCS_2_WARNING="1")
    site = base / "site"
    built = synthetic.mkdocs_build(base / "mkdocs-search.yml", site, base, env)
    if built.returncode != 0:
        raise SystemExit(f"synthetic build failed ({built.returncode}):\n{built.stderr[-2000:]}")
    merged: dict = {}
    for path in sorted(site.glob("**/search/search_index.json")):
        part = json.loads(path.read_text(encoding="utf-8"))
        merged.setdefault("config", part.get("config", {}))
        merged.setdefault("docs", []).extend(part.get("docs", []))
    random.Random(0).shuffle(merged["docs"])
    out = base / "raw_index.json"
    out.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
    return out


def time_once(index: Path, entries: int) -> dict:
    code = _WORKER.format(root=str(ROOT), glossary=str(ROOT / "data" / "glossary.yml"))
    done = subprocess.run([sys.executable, "-c", code, str(index), str(entries)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"timing run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="synthetic Korean pages (as many English)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per size (median reported)")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kfguide-search-scale-") as tmp:
        base = (args.work or Path(tmp)) / "site-src"
        index = raw_index(base, args.pages)
        total = len(json.loads(index.read_text(encoding="utf-8"))["docs"])
        sizes = sorted({max(1, total // 8), max(1, total // 4), max(1, total // 2), total})
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"synthetic guide: {args.pages} ko + {args.pages} en pages, {total} index entries; "
              f"{args.repeat} fresh-process runs per size; load average {load}")
        print(f"{'entries':>8} {'median s':>9} {'min-max s':>15} {'us/entry':>9} {'x time':>7} {'x entries':>9} {'forms':>7}")
        first = None
        for size in sizes:
            runs = [time_once(index, size) for _ in range(args.repeat)]
            secs = [r["seconds"] for r in runs]
            median = statistics.median(secs)
            first = first or (size, median)
            print(f"{runs[0]['entries']:>8} {median:>9.3f} {min(secs):>7.3f}-{max(secs):<7.3f} "
                  f"{median / size * 1e6:>9.1f} {median / first[1]:>7.2f} {size / first[0]:>9.2f} {runs[0]['forms']:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
