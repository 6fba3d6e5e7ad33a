"""tools/capture_screens.py against a local fixture site on 127.0.0.1 (no cluster, no network).

The fixture site (tests/fixtures/screens/site/) stands in for the dashboard: a page whose
content appears by script, a page with the app in an iframe, a page behind a Dex-like login,
all with a ``prefers-color-scheme: dark`` style. tests/fixtures/screens/screens.yml lists them
with short timeouts.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from conftest import CHROMIUM, ROOT, serve_directory

sys.path.insert(0, str(ROOT / "tools"))
import capture_screens as cs  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "screens"
TOOL = ROOT / "tools" / "capture_screens.py"
SCREENS = FIXTURES / "screens.yml"
BAD = FIXTURES / "bad-screens.yml"


def run_tool(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOL), *args],
        cwd=ROOT,
        env={**os.environ, "KFGUIDE_CHROMIUM": CHROMIUM, **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
    )


def png_mean(path: Path) -> float:
    """Mean of the R, G and B channels of an 8-bit, non-interlaced RGB(A) PNG (stdlib only)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, color, _c, _f, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    channels = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    previous, total = bytearray(stride), 0
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        total += sum(v for i, v in enumerate(line) if i % channels < 3)
        previous = line
    return total / (width * height * 3)


@pytest.fixture(scope="module")
def fixture_server():
    server, served = serve_directory(FIXTURES / "site")
    yield served.url.rstrip("/")
    server.shutdown()


# --- capturing -----------------------------------------------------------------------------


def test_captures_light_and_dark_and_reports_failures(fixture_server, tmp_path):
    result = run_tool(
        "--screens", str(SCREENS), "--base-url", fixture_server, "--out-dir", str(tmp_path),
        "--only", "home", "--only", "missing", "--only", "framed", "--only", "not-found",
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["framed-dark.png", "framed.png", "home-dark.png", "home.png"]
    for name in ("home", "framed"):
        light, dark = png_mean(tmp_path / f"{name}.png"), png_mean(tmp_path / f"{name}-dark.png")
        assert light > 200 and dark < 60, (name, light, dark)
    # Each failure names the screen and its URL; the screens after it still ran.
    assert f"missing: {fixture_server}/index.html: '#never-there' did not appear" in result.stderr
    assert "Timeout 1500ms exceeded" in result.stderr
    assert f"not-found: {fixture_server}/no-such-page.html: HTTP 404" in result.stderr
    assert "2 of 4 screens captured" in result.stdout
    # {ns} in the path was filled from the file's namespace.
    assert "home (light) ->" in result.stdout


def test_all_screens_succeed_exit_zero(fixture_server, tmp_path):
    result = run_tool(
        "--screens", str(SCREENS), "--base-url", fixture_server + "/", "--out-dir", str(tmp_path),
        "--only", "home",
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home-dark.png", "home.png"]


def test_login_page_is_detected_and_storage_state_fixes_it(fixture_server, tmp_path):
    out = tmp_path / "out"
    first = run_tool("--screens", str(SCREENS), "--base-url", fixture_server, "--out-dir", str(out), "--only", "private")
    assert first.returncode == 1
    assert "private: " in first.stderr and "redirected to the login page" in first.stderr

    state = tmp_path / "auth.json"
    wrong = run_tool(
        "--base-url", fixture_server + "/private.html", "--save-storage-state", str(state),
        "--timeout-ms", "2000", env={cs.PASSWORD_ENV: "wrong"},
    )
    assert wrong.returncode == 1 and "wrong user or password" in wrong.stderr
    assert not state.exists()

    login = run_tool(
        "--base-url", fixture_server + "/private.html", "--save-storage-state", str(state),
        "--timeout-ms", "5000", env={cs.PASSWORD_ENV: "fixture-password"},
    )
    assert login.returncode == 0, login.stderr
    assert '"session"' in state.read_text(encoding="utf-8")

    second = run_tool(
        "--screens", str(SCREENS), "--base-url", fixture_server, "--out-dir", str(out),
        "--only", "private", "--storage-state", str(state),
    )
    assert second.returncode == 0, second.stderr
    assert (out / "private.png").exists() and (out / "private-dark.png").exists()


# --- the screens file ----------------------------------------------------------------------


def test_bad_screens_file_gives_file_line_errors_and_exit_2():
    result = run_tool("--screens", str(BAD), "--check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    where = "tests/fixtures/screens/bad-screens.yml"
    assert result.stderr.splitlines() == [
        f"{where}:11: duplicate screen name 'ok' (first on line 6)",
        f"{where}:16: screen 'no-wait': missing wait_for",
        f"{where}:23: screen 'tiny': viewport width must be a whole number 320-3840, got 10",
        f"{where}:29: screen 'localized': output 'out/localized.en.png' ends in a language-like "
        "suffix; static-i18n would treat it as a translation (use a hyphen: name-en.png)",
    ]


def test_invalid_yaml_syntax_gives_a_line(tmp_path):
    bad = tmp_path / "screens.yml"
    bad.write_text("screens:\n  - name: a\n    path: [/, \n", encoding="utf-8")
    result = run_tool("--screens", str(bad), "--check")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{bad}:3: invalid YAML:")


def test_the_real_screens_file_is_valid():
    result = run_tool("--check")
    assert result.returncode == 0, result.stderr
    screens = cs.load_screens(ROOT / "data" / "screens.yml")
    names = {screen.name for screen in screens.screens}
    assert {"home", "notebooks", "notebook-new", "pipelines", "runs", "katib-experiments",
            "artifacts", "executions"} <= names
    for screen in screens.screens:
        assert screen.alt.keys() == {"ko", "en"}, screen.name
        for _scheme, path in screen.outputs(None):
            assert not cs.LOCALE_SUFFIX_RE.search(path.stem), path


GOOD = """\
namespace: ns
defaults: {viewport: {width: 800, height: 600}}
screens:
  - {name: a, path: "/x?ns={ns}", wait_for: load, output: out/a.png}
"""


def test_good_file_parses():
    parsed = cs.parse_screens(GOOD, "s.yml")
    (screen,) = parsed.screens
    assert screen.url("http://localhost:8080/", parsed.namespace) == "http://localhost:8080/x?ns=ns"
    assert [(scheme, p.name) for scheme, p in screen.outputs(Path("/o"))] == [
        ("light", "a.png"), ("dark", "a-dark.png"),
    ]
    assert screen.viewport == (800, 600) and screen.timeout_ms == 30_000


@pytest.mark.parametrize(
    "change, message",
    [
        (("wait_for: load, ", ""), "s.yml:4: screen 'a': missing wait_for"),
        (("namespace: ns\n", ""), "s.yml:3: screen 'a': path uses {ns} but the file sets no `namespace`"),
        (("defaults: {viewport: {width: 800, height: 600}}\n", ""), "s.yml:3: screen 'a': missing viewport"),
        (("height: 600", "height: big"), "s.yml:2: defaults: viewport height must be a whole number"),
        (("out/a.png", "out/a-dark.png"), "s.yml:4: screen 'a': output must not end in -dark.png"),
        (("out/a.png", "/tmp/a.png"), "s.yml:4: screen 'a': output must be a relative path"),
        (("out/a.png", "out/a.pt_BR.png"), "ends in a language-like suffix"),
        (("name: a", "name: A b"), "s.yml:4: screen 'A b': name must be lowercase letters"),
        (('path: "/x?ns={ns}"', "path: x"), "s.yml:4: screen 'a': path must start with /"),
        (("output: out/a.png}", "output: out/a.png, zoom: 2}"), "s.yml:4: unknown key 'zoom' in a screen"),
        (("screens:\n", "screen:\n"), "s.yml:3: unknown key 'screen' in the file"),
        (("output: out/a.png}", "output: out/a.png, lang: English}"), "lang must look like en or en-US"),
        (("output: out/a.png}", "output: out/a.png, alt: [x]}"), "alt must be a string or a mapping"),
        (("output: out/a.png}", "output: out/a.png, full_page: maybe}"), "full_page must be true or false"),
        (("output: out/a.png}\n", "output: out/a.png}\n  - {}\n"), "s.yml:5: empty screen entry"),
    ],
)
def test_each_validation_rejects_its_bad_input(change, message):
    old, new = change
    assert old in GOOD
    with pytest.raises(cs.ScreensError) as caught:
        cs.parse_screens(GOOD.replace(old, new), "s.yml")
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_two_screens_writing_the_same_file_are_refused():
    text = GOOD + '  - {name: b, path: /y, wait_for: load, output: out/a.png}\n'
    with pytest.raises(cs.ScreensError) as caught:
        cs.parse_screens(text, "s.yml")
    assert caught.value.problems == [
        "s.yml:5: screen 'b': output out/a.png is also written by screen 'a' (line 4)",
        "s.yml:5: screen 'b': output out/a-dark.png is also written by screen 'a' (line 4)",
    ]


def test_bad_options_exit_2_without_a_browser(tmp_path):
    result = run_tool(
        "--base-url", "localhost:8080", "--only", "nope", "--storage-state", str(tmp_path / "none.json"),
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--base-url must be an http(s) address" in result.stderr
    assert "--only nope: no such screen" in result.stderr
    assert "none.json: no such file" in result.stderr
