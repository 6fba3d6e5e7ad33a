"""Capture Kubeflow Central Dashboard screenshots listed in data/screens.yml, light and dark.

For authors who have a Kubeflow cluster. The guide itself uses labelled diagrams, because the
project's machines have no cluster; this tool is how real screenshots would be (re)made.

Usage (from the repository root, with `kfui` running in another terminal)::

    python tools/capture_screens.py [--base-url http://localhost:8080] [--only NAME ...]
        [--out-dir DIR] [--screens data/screens.yml] [--storage-state FILE]
        [--namespace NS] [--timeout-ms N] [--scale N] [--check]

For every screen the tool opens ``base-url + path`` in Debian's Chromium (headless, through
Playwright; it never downloads a browser), waits for the screen's condition and writes two
PNGs: ``NAME.png`` with the color scheme emulated as light and ``NAME-dark.png`` as dark
(``prefers-color-scheme``). Names never end in a two-letter ``.xx.png`` suffix, which
static-i18n would take for a language variant. ``--out-dir`` puts the files in one folder
instead of each screen's ``output`` path (relative to the repository root).

Logging in (Dex). The Kubeflow 1.9+ manifests put the dashboard behind oauth2-proxy and Dex, so
a fresh browser lands on the login form. Log in once and keep the session as a Playwright
storage state (cookies) file, then pass it to every capture::

    KFGUIDE_DASHBOARD_PASSWORD=... python tools/capture_screens.py \\
        --save-storage-state .cache/dashboard-auth.json [--user user@example.com]
    python tools/capture_screens.py --storage-state .cache/dashboard-auth.json

``--save-storage-state`` opens the base URL, fills the Dex form (``login``/``password`` fields)
if it appears, waits to be back on the dashboard and saves the state. The file holds a session
cookie: keep it out of git (``.cache/`` is ignored). A capture that lands on the login page
fails with a hint to use ``--storage-state``.

Exit status: 0 every screen captured; 1 some screens failed (each is reported with its name
and URL, and the others still run); 2 the screens file or the options are wrong (every
problem is reported as ``data/screens.yml:LINE: message``, without a traceback).
``--check`` only validates the screens file.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCREENS = ROOT / "data" / "screens.yml"
DEFAULT_BASE_URL = "http://localhost:8080"
CHROMIUM = os.environ.get("KFGUIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCHEMES = (("light", ""), ("dark", "-dark"))
LOAD_STATES = ("load", "networkidle")
PASSWORD_ENV = "KFGUIDE_DASHBOARD_PASSWORD"

TOP_KEYS = {"namespace", "defaults", "screens"}
DEFAULT_KEYS = {"viewport", "timeout_ms"}
SCREEN_KEYS = {
    "name", "path", "wait_for", "frame", "viewport", "output", "full_page", "timeout_ms", "lang", "alt",
}
REQUIRED = ("name", "path", "wait_for", "output")
VIEWPORT_RANGE = {"width": (320, 3840), "height": (240, 2160)}
TIMEOUT_RANGE = (100, 600_000)
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# what static-i18n would read as a language suffix: page.en.png, page.pt_BR.png, page.ko-KR.png
LOCALE_SUFFIX_RE = re.compile(r"\.[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")
PLACEHOLDER_RE = re.compile(r"\{([^}]*)\}")


# --- the screens file ----------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    name: str
    path: str
    wait_for: str
    output: str
    viewport: tuple[int, int]
    timeout_ms: int
    line: int
    frame: str | None = None
    full_page: bool = False
    lang: str | None = None
    alt: dict[str, str] = field(default_factory=dict)

    def url(self, base_url: str, namespace: str | None) -> str:
        path = self.path.replace("{ns}", namespace or "")
        return base_url.rstrip("/") + path

    def outputs(self, out_dir: Path | None, root: Path = ROOT) -> list[tuple[str, Path]]:
        """[(scheme, file)] for light and dark: NAME.png and NAME-dark.png."""
        light = Path(self.output) if out_dir is None else Path(PurePosixPath(self.output).name)
        base = (root / light) if out_dir is None else (out_dir / light)
        return [(scheme, base.with_name(f"{base.stem}{suffix}.png")) for scheme, suffix in SCHEMES]


@dataclass
class ScreensFile:
    namespace: str | None
    screens: list[Screen]


class ScreensError(Exception):
    """The screens file has problems; ``problems`` are formatted ``file:line: message``."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _display(path: Path) -> str:
    """``data/screens.yml`` when under the current folder, else the absolute path."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(absolute)


class _Reader:
    """Walk the YAML node tree, building values and collecting every problem with its line."""

    def __init__(self, text: str, where: str):
        self.where = where
        self.found: list[tuple[int, str]] = []
        self.loader = yaml.SafeLoader(text)

    def problem(self, node_or_line, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.start_mark.line + 1
        self.found.append((line, message))

    @property
    def problems(self) -> list[str]:
        """Every problem as ``file:line: message``, in line order."""
        ordered = sorted(enumerate(self.found), key=lambda item: (item[1][0], item[0]))
        return [f"{self.where}:{line}: {message}" for _index, (line, message) in ordered]

    def value(self, node):
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node, what: str, allowed: set[str]) -> dict[str, tuple[object, yaml.Node]]:
        """{key: (value, value node)}; reports non-mappings, duplicate and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping (key: value)")
            return {}
        result: dict[str, tuple[object, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in result:
                self.problem(key_node, f"duplicate key {key!r} in {what}")
                continue
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.problem(key_node, f"unknown key {key!r} in {what} (known: {known})")
                continue
            try:
                result[key] = (self.value(value_node), value_node)
            except yaml.YAMLError as exc:
                self.problem(value_node, f"{key}: {exc}")
        return result


def _string(reader: _Reader, entry: dict, key: str, what: str) -> str | None:
    if key not in entry:
        return None
    value, node = entry[key]
    if not isinstance(value, str) or not value.strip():
        reader.problem(node, f"{what}: `{key}` must be a non-empty string, got {value!r}")
        return None
    return value


def _viewport(reader: _Reader, value, node, what: str) -> tuple[int, int] | None:
    if not isinstance(value, dict) or set(value) != {"width", "height"}:
        reader.problem(node, f"{what}: viewport must be {{width: N, height: N}}, got {value!r}")
        return None
    sizes = []
    for key in ("width", "height"):
        low, high = VIEWPORT_RANGE[key]
        size = value[key]
        if isinstance(size, bool) or not isinstance(size, int) or not low <= size <= high:
            reader.problem(node, f"{what}: viewport {key} must be a whole number {low}-{high}, got {size!r}")
            return None
        sizes.append(size)
    return sizes[0], sizes[1]


def _timeout(reader: _Reader, value, node, what: str) -> int | None:
    low, high = TIMEOUT_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        reader.problem(node, f"{what}: timeout_ms must be a whole number {low}-{high}, got {value!r}")
        return None
    return value


def _check_output(reader: _Reader, output: str, node, what: str) -> bool:
    path = PurePosixPath(output)
    ok = True
    if path.is_absolute() or ".." in path.parts or "\\" in output:
        reader.problem(node, f"{what}: output must be a relative path inside the repository, got {output!r}")
        ok = False
    if path.suffix != ".png":
        reader.problem(node, f"{what}: output must end in .png, got {output!r}")
        return False
    stem = path.stem
    if LOCALE_SUFFIX_RE.search(stem):
        reader.problem(
            node,
            f"{what}: output {output!r} ends in a language-like suffix; static-i18n would treat it "
            "as a translation (use a hyphen: name-en.png)",
        )
        ok = False
    if stem.endswith("-dark"):
        reader.problem(node, f"{what}: output must not end in -dark.png: the dark variant gets that name")
        ok = False
    return ok


@dataclass
class _Context:
    """What screens share while the file is read: defaults, and names/outputs seen so far."""

    namespace: str | None
    viewport: tuple[int, int] | None
    has_viewport: bool  # defaults.viewport is set, even if invalid (reported once, not per screen)
    timeout_ms: int
    names: dict[str, int] = field(default_factory=dict)  # name -> line
    outputs: dict[str, tuple[int, str]] = field(default_factory=dict)  # file -> (line, screen)


def _check_name(reader: _Reader, name: str, node, line: int, ctx: _Context) -> None:
    label = f"screen {name!r}"
    if not NAME_RE.match(name):
        reader.problem(node, f"{label}: name must be lowercase letters, digits and hyphens")
    elif name.endswith("-dark"):
        reader.problem(node, f"{label}: a name must not end in -dark")
    if name in ctx.names:
        reader.problem(node, f"duplicate screen name {name!r} (first on line {ctx.names[name]})")
    else:
        ctx.names[name] = line


def _check_path(reader: _Reader, path: str, node, label: str, ctx: _Context) -> None:
    if not path.startswith("/"):
        reader.problem(node, f"{label}: path must start with /, got {path!r}")
    for placeholder in PLACEHOLDER_RE.findall(path):
        if placeholder != "ns":
            reader.problem(node, f"{label}: unknown placeholder {{{placeholder}}} (only {{ns}})")
    if "{ns}" in path and ctx.namespace is None:
        reader.problem(node, f"{label}: path uses {{ns}} but the file sets no `namespace`")


def _claim_outputs(reader: _Reader, output: str, node, label: str, name: str, ctx: _Context) -> None:
    """Both variants (NAME.png, NAME-dark.png) must be written by one screen only."""
    light = PurePosixPath(output)
    for _scheme, suffix in SCHEMES:
        variant = str(light.with_name(f"{light.stem}{suffix}.png"))
        if variant in ctx.outputs:
            first_line, first_name = ctx.outputs[variant]
            reader.problem(
                node,
                f"{label}: output {variant} is also written by screen {first_name!r} (line {first_line})",
            )
        else:
            ctx.outputs[variant] = (node.start_mark.line + 1, name)


def _alt(reader: _Reader, value, node, label: str) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {"": value}
    if isinstance(value, dict) and value and all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        return dict(value)
    reader.problem(node, f"{label}: alt must be a string or a mapping language: text")
    return {}


def _screen(reader: _Reader, item, ctx: _Context) -> Screen | None:
    """Validate one entry of `screens:`; return it, or None if anything is wrong."""
    line = item.start_mark.line + 1
    before = len(reader.found)
    entry = reader.mapping(item, "a screen", SCREEN_KEYS)
    if not entry:
        if len(reader.found) == before:
            reader.problem(line, "empty screen entry")
        return None
    name = _string(reader, entry, "name", "screen")
    label = f"screen {name!r}" if name else "screen"
    if name is not None:
        _check_name(reader, name, entry["name"][1], line, ctx)
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        reader.problem(line, f"{label}: missing {', '.join(missing)}")
    text = {
        key: _string(reader, entry, key, label) for key in ("path", "wait_for", "output", "frame", "lang")
    }
    if text["path"] is not None:
        _check_path(reader, text["path"], entry["path"][1], label, ctx)
    output = text["output"]
    if output is not None and _check_output(reader, output, entry["output"][1], label):
        _claim_outputs(reader, output, entry["output"][1], label, name or "?", ctx)
    if text["lang"] is not None and not LANG_RE.match(text["lang"]):
        reader.problem(entry["lang"][1], f"{label}: lang must look like en or en-US, got {text['lang']!r}")
    viewport = ctx.viewport
    if "viewport" in entry:
        viewport = _viewport(reader, *entry["viewport"], label)
    elif not ctx.has_viewport:
        reader.problem(line, f"{label}: missing viewport (and no defaults.viewport)")
    timeout = _timeout(reader, *entry["timeout_ms"], label) if "timeout_ms" in entry else ctx.timeout_ms
    full_page = entry.get("full_page", (False, None))[0]
    if not isinstance(full_page, bool):
        reader.problem(entry["full_page"][1], f"{label}: full_page must be true or false")
    alt = _alt(reader, *entry["alt"], label) if "alt" in entry else {}
    if len(reader.found) > before or not (name and viewport and timeout):
        return None
    return Screen(
        name=name, path=text["path"], wait_for=text["wait_for"], output=output, viewport=viewport,
        timeout_ms=timeout, line=line, frame=text["frame"], full_page=full_page, lang=text["lang"], alt=alt,
    )


def parse_screens(text: str, where: str) -> ScreensFile:
    """Validate and build the screens file; raise ScreensError listing every problem."""
    reader = _Reader(text, where)
    try:
        root = reader.loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        last = max(1, len(text.splitlines()))
        line = min(mark.line + 1, last) if mark else 0
        raise ScreensError([f"{where}:{line}: invalid YAML: {exc.problem or exc}"]) from None
    except yaml.YAMLError as exc:
        raise ScreensError([f"{where}:0: invalid YAML: {exc}"]) from None
    if root is None:
        raise ScreensError([f"{where}:0: the file is empty; expected `screens:` with a list"])
    top = reader.mapping(root, "the file", TOP_KEYS)

    ctx = _Context(
        namespace=_string(reader, top, "namespace", "namespace"),
        viewport=None,
        has_viewport=False,
        timeout_ms=30_000,
    )
    if "defaults" in top:
        defaults = reader.mapping(top["defaults"][1], "defaults", DEFAULT_KEYS)
        if "viewport" in defaults:
            ctx.has_viewport = True
            ctx.viewport = _viewport(reader, *defaults["viewport"], "defaults")
        if "timeout_ms" in defaults:
            ctx.timeout_ms = _timeout(reader, *defaults["timeout_ms"], "defaults") or ctx.timeout_ms

    screens: list[Screen] = []
    if "screens" not in top:
        reader.problem(root, "missing `screens:` (a list of screens)")
    elif not isinstance(top["screens"][1], yaml.SequenceNode) or not top["screens"][1].value:
        reader.problem(top["screens"][1], "`screens` must be a non-empty list")
    else:
        for item in top["screens"][1].value:
            screen = _screen(reader, item, ctx)
            if screen is not None:
                screens.append(screen)
    reader.loader.dispose()
    if reader.found:
        raise ScreensError(reader.problems)
    return ScreensFile(ctx.namespace, screens)


def load_screens(path: Path) -> ScreensFile:
    where = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScreensError([f"{where}:0: cannot read the screens file: {exc}"]) from None
    return parse_screens(text, where)


# --- capturing -----------------------------------------------------------------------------


class CaptureError(Exception):
    """One screen could not be captured (the message says why)."""


def _is_login(url: str) -> bool:
    path = urlsplit(url).path
    return "/dex/" in path or path.startswith("/oauth2/")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _launch(playwright, chromium: str):
    return playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)


def capture_one(
    browser, screen: Screen, url: str, scheme: str, target: Path, *, storage_state, timeout_ms, scale
) -> None:
    """Load ``url`` with ``scheme`` emulated, wait for the screen's condition, write ``target``."""
    from playwright.sync_api import Error as PlaywrightError

    timeout = timeout_ms or screen.timeout_ms
    width, height = screen.viewport
    options = dict(
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        device_scale_factor=scale,
        reduced_motion="reduce",
    )
    if storage_state:
        options["storage_state"] = str(storage_state)
    if screen.lang:
        options["locale"] = screen.lang
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        wait_until = "networkidle" if screen.wait_for == "networkidle" else "load"
        response = page.goto(url, wait_until=wait_until, timeout=timeout)
        if response is not None and response.status >= 400:
            raise CaptureError(f"HTTP {response.status}")
        if _is_login(page.url):
            raise CaptureError(
                f"redirected to the login page ({page.url}); "
                "log in with --save-storage-state and pass --storage-state"
            )
        if screen.wait_for not in LOAD_STATES:
            scope = page.frame_locator(screen.frame).first if screen.frame else page
            try:
                scope.locator(screen.wait_for).first.wait_for(state="visible", timeout=timeout)
            except PlaywrightError as exc:
                where = f" in frame {screen.frame!r}" if screen.frame else ""
                raise CaptureError(f"{screen.wait_for!r}{where} did not appear: {_first_line(exc)}") from None
        page.evaluate("document.fonts.ready.then(() => true)")
        if _is_login(page.url):
            raise CaptureError(f"redirected to the login page ({page.url}); use --storage-state")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=screen.full_page, animations="disabled")
    except PlaywrightError as exc:
        raise CaptureError(_first_line(exc)) from None
    finally:
        context.close()


def capture(
    screens: list[Screen],
    *,
    base_url: str,
    namespace: str | None,
    out_dir: Path | None,
    storage_state: Path | None,
    timeout_ms: int | None,
    scale: float,
    chromium: str,
    root: Path = ROOT,
    out=sys.stdout,
    err=sys.stderr,
) -> list[str]:
    """Capture every screen in light and dark; return the failures (``name: url: reason``)."""
    from playwright.sync_api import sync_playwright

    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = _launch(playwright, chromium)
        try:
            for screen in screens:
                url = screen.url(base_url, namespace)
                for scheme, target in screen.outputs(out_dir, root):
                    try:
                        capture_one(
                            browser, screen, url, scheme, target,
                            storage_state=storage_state, timeout_ms=timeout_ms, scale=scale,
                        )
                    except CaptureError as exc:
                        failures.append(f"{screen.name}: {url}: {exc}")
                        print(f"FAILED {screen.name} ({scheme}) {url}: {exc}", file=err)
                        break  # the dark variant would fail the same way
                    print(f"{screen.name} ({scheme}) -> {_display(target)}", file=out)
        finally:
            browser.close()
    return failures


def save_storage_state(
    target: Path, *, base_url: str, user: str, password: str | None, timeout_ms: int, chromium: str
) -> None:
    """Log in through the Dex form if it appears, then save cookies to ``target``."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright, chromium)
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(base_url, wait_until="load", timeout=timeout_ms)
            form = page.locator("input[name=login]")
            if _is_login(page.url) or form.count():
                if not password:
                    raise CaptureError(f"the dashboard asks for a login: set {PASSWORD_ENV}")
                form.first.fill(user, timeout=timeout_ms)
                page.locator("input[name=password]").first.fill(password, timeout=timeout_ms)
                page.locator("button[type=submit], input[type=submit]").first.click(timeout=timeout_ms)
                try:
                    page.wait_for_url(lambda url: not _is_login(url), timeout=timeout_ms)
                except PlaywrightError:
                    raise CaptureError(
                        f"still on the login page after submitting ({page.url}): wrong user or password?"
                    ) from None
                page.wait_for_load_state("load", timeout=timeout_ms)
            target.parent.mkdir(parents=True, exist_ok=True)
            context.storage_state(path=str(target))
        except PlaywrightError as exc:
            raise CaptureError(f"login failed: {_first_line(exc)}") from None
        finally:
            context.close()
            browser.close()


# --- command line --------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python tools/capture_screens.py",
        description="Capture the dashboard screens of data/screens.yml (light and dark PNGs).",
    )
    add = parser.add_argument
    add("--base-url", default=DEFAULT_BASE_URL, help="dashboard address (default: %(default)s, behind kfui)")
    add("--screens", type=Path, default=DEFAULT_SCREENS, help="screens file (default: data/screens.yml)")
    add("--only", action="append", metavar="NAME", help="capture only this screen (repeatable)")
    add("--out-dir", type=Path, help="write NAME.png/NAME-dark.png here instead of each output path")
    add("--namespace", help="replaces {ns} in paths (default: the file's namespace)")
    add("--storage-state", type=Path, help="Playwright storage state (login cookies) to use")
    add("--save-storage-state", type=Path, metavar="FILE", help=f"log in (password from ${PASSWORD_ENV}), save")
    add("--user", default="user@example.com", help="login for --save-storage-state (default: %(default)s)")
    add("--timeout-ms", type=int, help="override every screen's timeout_ms")
    add("--scale", type=float, default=1.0, help="device scale factor, e.g. 2 for sharp images (default: 1)")
    add("--chromium", default=CHROMIUM, help="browser binary (default: %(default)s)")
    add("--check", action="store_true", help="only validate the screens file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    usage: list[str] = []
    split = urlsplit(args.base_url)
    if split.scheme not in ("http", "https") or not split.netloc:
        usage.append(f"--base-url must be an http(s) address, got {args.base_url!r}")
    if args.timeout_ms is not None and not TIMEOUT_RANGE[0] <= args.timeout_ms <= TIMEOUT_RANGE[1]:
        usage.append(f"--timeout-ms must be {TIMEOUT_RANGE[0]}-{TIMEOUT_RANGE[1]}")
    if not 0.5 <= args.scale <= 4:
        usage.append("--scale must be 0.5-4")
    if args.storage_state is not None and not args.storage_state.is_file():
        usage.append(f"--storage-state {args.storage_state}: no such file")

    if args.save_storage_state is None:
        try:
            screens_file = load_screens(args.screens)
        except ScreensError as exc:
            print("\n".join(exc.problems + usage), file=sys.stderr)
            return 2
        screens = screens_file.screens
        if args.only:
            known = {screen.name for screen in screens}
            for name in args.only:
                if name not in known:
                    usage.append(
                        f"--only {name}: no such screen in {_display(args.screens)} "
                        f"(known: {', '.join(sorted(known))})"
                    )
            screens = [screen for screen in screens if screen.name in args.only]
    if not args.check and not Path(args.chromium).exists():
        usage.append(f"{args.chromium}: no such browser (install Debian's chromium or pass --chromium)")
    if usage:
        print("\n".join(f"error: {line}" for line in usage), file=sys.stderr)
        return 2
    if args.check:
        print(f"{_display(args.screens)}: {len(screens)} screens OK")
        return 0
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("error: Playwright is missing: pip install -r requirements-test.txt", file=sys.stderr)
        return 2

    timeout = args.timeout_ms
    if args.save_storage_state is not None:
        try:
            save_storage_state(
                args.save_storage_state, base_url=args.base_url, user=args.user,
                password=os.environ.get(PASSWORD_ENV), timeout_ms=timeout or 30_000, chromium=args.chromium,
            )
        except CaptureError as exc:
            print(f"FAILED {args.base_url}: {exc}", file=sys.stderr)
            return 1
        print(f"saved the login state to {_display(args.save_storage_state)}")
        return 0

    failures = capture(
        screens,
        base_url=args.base_url,
        namespace=args.namespace or screens_file.namespace,
        out_dir=args.out_dir,
        storage_state=args.storage_state,
        timeout_ms=timeout,
        scale=args.scale,
        chromium=args.chromium,
    )
    done = len(screens) - len(failures)
    print(f"{done} of {len(screens)} screens captured (light and dark)")
    if failures:
        print(f"{len(failures)} failed:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
