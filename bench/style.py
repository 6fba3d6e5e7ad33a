"""What the Korean style check costs on the real guide (make bench-style).

Prints, each the median of ``--repeat`` runs in fresh processes:

* ``build``: ``mkdocs build --strict`` of the guide (the checks hook included, no style check);
* ``style cold``: the style check with no analysis cache (Kiwi loads its model and analyses
  every sentence), in a fresh process;
* ``style warm``: the same with the cache a previous run left (no model load);
* each as a fraction of the build, plus the per-rule finding counts of the last run.

Nothing is asserted: the figures are for README "문체 검사" and the lead's notes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_STYLE_RUN = r"""
import json, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from kfguide.checks import style
from kfguide.model.site import SiteConfig, load_site
root = Path(sys.argv[1])
config, _ = SiteConfig.from_mkdocs_yml(root / "mkdocs.yml")
site = load_site(root / "docs", config, root=root)
found = style.check_style(site, root=root)
counts = {}
for f in found:
    counts[f.check] = counts.get(f.check, 0) + 1
print(json.dumps({"seconds": time.perf_counter() - started, "counts": counts,
                  "run": {k: v for k, v in style.LAST_RUN.items() if k != "unknown_words"}}))
"""


def _style_once(root: Path, cold: bool) -> dict:
    cache = root / ".cache/kfguide/style-morphemes.json"
    if cold and cache.exists():
        cache.unlink()
    out = subprocess.run([sys.executable, "-c", _STYLE_RUN, str(root)], capture_output=True, text=True,
                         check=True, cwd=root)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _build_once(root: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", KFGUIDE_REPORT="")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=root, env=env,
                   capture_output=True, check=False)
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        # a copy of the repository's sources, so the real .cache is left alone
        root = Path(tmp) / "guide"
        shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".venv", "node_modules", "site", ".cache",
                                                                   "reports", ".git", "__pycache__"))
        builds = [_build_once(root, Path(tmp) / f"site{i}") for i in range(args.repeat)]
        cold = [_style_once(root, cold=True) for _ in range(args.repeat)]
        warm = [_style_once(root, cold=False) for _ in range(args.repeat)]
    build = statistics.median(builds)
    cold_s = statistics.median(r["seconds"] for r in cold)
    warm_s = statistics.median(r["seconds"] for r in warm)
    print(f"guide: {cold[-1]['run'].get('pages')} Korean pages, {cold[-1]['run'].get('misses')} sentences analysed cold")
    print(f"build (mkdocs build --strict):  {build:6.2f} s")
    print(f"style check, cold (no cache):   {cold_s:6.2f} s  = {cold_s / build:5.1%} of the build"
          f"  (model load {statistics.median(r['run']['load_seconds'] for r in cold):.2f} s,"
          f" analysis {statistics.median(r['run']['analyse_seconds'] for r in cold):.2f} s)")
    print(f"style check, warm (cache):      {warm_s:6.2f} s  = {warm_s / build:5.1%} of the build")
    print("findings per rule:", json.dumps(warm[-1]["counts"], ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
