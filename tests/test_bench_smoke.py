"""bench/run.py at a tiny size: the generator records its planted defects correctly, and the
checks hook finds every one of them at its file and line with nothing else reported.
(Speed figures come from `make bench`, not from this test.)"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

from conftest import ROOT

spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["bench_run"] = bench  # dataclasses look their module up there
spec.loader.exec_module(bench)


def test_generator_records_each_defect_at_its_line(tmp_path):
    defects = bench.generate(tmp_path / "site", 28, 7)
    assert len(defects) == 14 and {d.kind for d in defects} == set(bench.KINDS)
    assert len({d.path for d in defects}) == len(defects)  # one defect per page
    for d in defects:
        line = (tmp_path / "site" / "docs" / d.path).read_text("utf-8").splitlines()[d.line - 1]
        if d.token:
            assert d.token in line, (d, line)
        else:
            assert line.startswith("![]("), (d, line)
    plain = (tmp_path / "site" / "mkdocs-plain.yml").read_text("utf-8")
    checks = (tmp_path / "site" / "mkdocs-checks.yml").read_text("utf-8")
    assert "hooks/checks.py" not in plain and f"- {ROOT / 'hooks' / 'checks.py'}" in checks
    assert "\nnav:" not in plain and "i18n:" in plain and "pymdownx.snippets" in plain


def test_tiny_benchmark_run_finds_every_planted_defect(tmp_path):
    out = tmp_path / "results.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--pages", "14", "--sizes", "14",
                             "--repeat", "1", "--no-real", "--json", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    ours = data["defects"]["ours (hooks/checks.py)"]
    assert (ours["found"], ours["planted"], ours["extra"]) == (7, 7, 0)
    assert data["defects"]["MkDocs validation"]["found"] < 7  # blind to raw HTML paths and alt text
    assert data["sizes"][0]["checks_s"] > 0 and data["sizes"][0]["plain_s"] > 0
    assert "Planted defects found" in result.stdout and "ratio" in result.stdout


def test_search_scale_times_growing_samples_of_one_index():
    """bench/search_scale.py at a tiny size: four growing prefixes of the same shuffled index,
    the last one the whole index, each augmented (Korean forms found) in its own process."""
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "search_scale.py"), "--pages", "14",
                             "--repeat", "1"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    total = int(result.stdout.split(" index entries")[0].rsplit(" ", 1)[-1])
    rows = [line.split() for line in result.stdout.splitlines() if line.split() and line.split()[0].isdigit()]
    entries = [int(row[0]) for row in rows]
    assert len(rows) == 4 and entries == sorted(set(entries)) and entries[-1] == total, result.stdout
    assert int(rows[-1][-1]) > 0, result.stdout  # the whole index gets Korean forms
