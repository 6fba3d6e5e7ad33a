"""Capture Kubeflow Central Dashboard screenshots listed in data/screens.yml, light and dark.

For authors who have a Kubeflow cluster. The guide's own screenshots are rendered without a
cluster by tools/render_screens.py from the same list; this tool captures the live screens
(real data, dark theme too), e.g. to compare with the renders or for apps not rendered yet.
Screens with a `scenario` exist only in the stub's sample data and are skipped unless --only.

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
import sys
from pathlib import Path
from urllib.parse import urlsplit

from screenkit import images, shots
from screenkit.shotlist import (  # noqa: F401 - re-exported: the shot list lives in screenkit
    LOAD_STATES,
    LOCALE_SUFFIX_RE,
    ROOT,
    SCHEMES,
    TIMEOUT_RANGE,
    Screen,
    ScreensError,
    ScreensFile,
    _display,
    load_screens,
    parse_screens,
)

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
PASSWORD_ENV = "KFGUIDE_DASHBOARD_PASSWORD"

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
        try:
            shots.perform(page, screen, timeout)
        except shots.ShotFailed as exc:
            raise CaptureError(str(exc)) from None
        if _is_login(page.url):
            raise CaptureError(f"redirected to the login page ({page.url}); use --storage-state")
        png = shots.capture(page, screen)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(images.encode(png, target.suffix))
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
        else:
            # a scenario (e.g. a user without a profile) exists only in the stub's sample data
            skipped = [screen.name for screen in screens if screen.scenario]
            screens = [screen for screen in screens if not screen.scenario]
            if skipped and not args.check:
                print(f"skipped (stub scenarios, rendered by tools/render_screens.py): {', '.join(skipped)}")
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
