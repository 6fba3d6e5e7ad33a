"""Numbered steps with visible progress and times; a failing step is named with its reason.

Every piece of the tool runs inside ``Progress.step(name)``. A step prints ``[3/9] name ...``
when it starts and ``      ok 12.3 s`` when it ends. Anything a step raises becomes one
``StepFailed(step, reason)``: the command line prints ``FAILED at step 'name': reason`` and
exits 1, never a traceback. ``run_command`` runs an external command with its output in a log
file and turns a non-zero exit into a reason that quotes the log's last lines.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

LOG_TAIL_LINES = 12


class StepFailed(Exception):
    """A step of the run failed; ``step`` names it, ``reason`` says why (one paragraph)."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"step {step!r}: {reason}")
        self.step = step
        self.reason = reason


class Problem(Exception):
    """Raised inside a step for an expected failure; the step adds its own name."""


class Progress:
    """Prints each step with its number and time; keeps the timings for the record."""

    def __init__(self, total: int | None = None, out: TextIO | None = None):
        self.total = total
        self.out = out or sys.stdout
        self.count = 0
        self.timings: list[tuple[str, float]] = []

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.count += 1
        number = f"{self.count}/{self.total}" if self.total else str(self.count)
        self.say(f"[{number}] {name} ...")
        start = time.monotonic()
        try:
            yield
        except StepFailed:
            raise
        except Problem as exc:
            raise StepFailed(name, str(exc)) from None
        except KeyboardInterrupt:
            raise StepFailed(name, "interrupted") from None
        except Exception as exc:  # noqa: BLE001 - any surprise still names the step, no traceback
            raise StepFailed(name, f"{type(exc).__name__}: {exc}") from None
        seconds = time.monotonic() - start
        self.timings.append((name, round(seconds, 1)))
        self.say(f"      ok {seconds:.1f} s")

    def summary(self) -> str:
        total = sum(seconds for _name, seconds in self.timings)
        rows = [f"  {seconds:7.1f} s  {name}" for name, seconds in self.timings]
        return "\n".join(["time per step:", *rows, f"  {total:7.1f} s  total"])


def log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = log.read_text("utf-8", errors="replace")
    except OSError:
        return ""
    tail = [line for line in text.splitlines() if line.strip()][-lines:]
    return "\n".join(f"    | {line}" for line in tail)


def run_command(
    argv: list[str],
    *,
    cwd: Path,
    log: Path,
    env: dict[str, str] | None = None,
    timeout: float = 1800,
    nice: bool = True,
) -> None:
    """Run ``argv`` in ``cwd`` (under ``nice`` by default), output appended to ``log``.

    Raises Problem with the exit status and the log's last lines when it fails, or when the
    program is missing or runs past ``timeout`` seconds.
    """
    full_env = {**os.environ, **(env or {})}
    command = (["nice", "-n", "10"] if nice else []) + list(argv)
    log.parent.mkdir(parents=True, exist_ok=True)
    shown = " ".join(shlex.quote(part) for part in argv)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"$ {shown}\n")
        handle.flush()
        try:
            result = subprocess.run(
                command, cwd=cwd, env=full_env, stdout=handle, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, timeout=timeout, check=False,
            )
        except FileNotFoundError:
            raise Problem(f"`{argv[0]}` is not installed (needed to run: {shown})") from None
        except subprocess.TimeoutExpired:
            raise Problem(f"`{shown}` ran longer than {timeout:.0f} s; see {log}") from None
    if result.returncode == 127:
        raise Problem(f"`{argv[0]}` is not installed (needed to run: {shown}); see {log}")
    if result.returncode != 0:
        tail = log_tail(log)
        raise Problem(f"`{shown}` exited with status {result.returncode}; last lines of {log}:\n{tail}")
