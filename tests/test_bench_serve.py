"""bench/serve.py's split of a save into phases, from the server's stamped log lines.
(The figures come from `make bench-serve`, not from this test.)"""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT

spec = importlib.util.spec_from_file_location("bench_serve", ROOT / "bench" / "serve.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["bench_serve"] = bench
spec.loader.exec_module(bench)


class FakeLog(bench.ServerLog):
    def __init__(self, stamps):  # no process: the lines as the reader thread would stamp them
        import threading

        self.lock = threading.Lock()
        self.stamps = stamps
        self.lines = [line for _, line in stamps]


SERVER = [
    (99.0, "INFO    -  [10:00:00] Reloading browsers\n"),  # an earlier save's rebuild
    (100.02, "INFO    -  [10:00:01] Detected file changes\n"),
    (100.08, "INFO    -  Building documentation...\n"),
    (100.50, "INFO    -  Documentation built in 0.40 seconds\n"),
    (100.60, "INFO    -  [10:00:01] Reloading browsers\n"),
]


def test_phases_split_save_to_visible_at_the_server_log_lines():
    split = bench.phases(FakeLog(SERVER), saved=100.0, shown=101.0)
    assert list(split) == list(bench.PHASES)
    expected = {"notice": 0.02, "quiet": 0.06, "build": 0.52, "reload": 0.40}
    assert all(abs(split[k] - v) < 1e-9 for k, v in expected.items()), split
    assert abs(sum(split.values()) - 1.0) < 1e-9  # the phases add up to save -> visible
    assert FakeLog(SERVER).builds() == [0.40]


def test_phases_unknown_when_a_line_is_missing_or_the_page_came_from_an_earlier_build():
    no_reload = [s for s in SERVER if "Reloading" not in s[1] or s[0] < 100]
    assert bench.phases(FakeLog(no_reload), saved=100.0, shown=101.0) is None
    # shown before the rebuild finished: the page the browser shows is not this save's build
    assert bench.phases(FakeLog(SERVER), saved=100.0, shown=100.55) is None
