"""Render an app's shots: source -> throw-away build -> stub back end -> Chromium -> images, record, report.

``render(app, args)`` runs the steps, each numbered and timed (screenkit.steps). A failure stops
the run with ``FAILED at step '...': reason`` and exit status 1; bad options exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from screenkit import TOOL_VERSION, images, record, report, shots
from screenkit.app import App
from screenkit.browser import CHROMIUM, Offline, Setup, launch, new_context
from screenkit.fonts import FontBook
from screenkit.sample import SampleData
from screenkit.shotlist import ROOT, Screen, ScreensError, load_screens
from screenkit.source import Source
from screenkit.steps import Problem, Progress, StepFailed, run_command
from screenkit.stub import StubServer

DEFAULT_SCREENS = ROOT / "data" / "screens.yml"
DEFAULT_SAMPLE = ROOT / "data" / "sample-data.yml"
DEFAULT_NODE_MODULES = ROOT / "node_modules"
DEFAULT_REPORT_DIR = ROOT / ".cache" / "screens"
SCALE = 1.0
IDLE_MS = 5000  # how long to wait for the network to go quiet before and after a shot's actions
LOAD_MS = 60_000  # how long a page may take to load, whatever the shot's timeout_ms


def load_app(spec: str) -> App:
    """``dashboard`` (a module in screenkit/apps) or a path to a .py file defining APP."""
    if spec.endswith(".py"):
        path = Path(spec)
        if not path.is_file():
            raise Problem(f"{spec}: no such app file")
        module_spec = importlib.util.spec_from_file_location(f"screenkit_app_{path.stem}", path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    else:
        try:
            module = importlib.import_module(f"screenkit.apps.{spec}")
        except ModuleNotFoundError:
            known = sorted(p.stem for p in (Path(__file__).parent / "apps").glob("*.py") if p.stem != "__init__")
            raise Problem(f"no app {spec!r} (known: {', '.join(known)}; or a path to an app .py file)") from None
    app = getattr(module, "APP", None)
    if not isinstance(app, App):
        raise Problem(f"{spec}: defines no APP (an instance of screenkit.app.App)")
    return app


@dataclass
class _Part:
    """One app of a run: the app itself, or the host whose frame shows it (built first)."""

    app: App
    source: Source
    tree: Path
    prefix: str  # "" for the app, "dashboard " for its host: build steps are named with it
    build_dir: Path | None = None


@dataclass
class Written:
    screen: Screen
    path: Path
    previous: Path | None  # a copy of the file that was there before, for the report


def _shots_for(app: App, screens_path: Path, only: list[str] | None) -> tuple[list[Screen], str | None]:
    try:
        screens_file = load_screens(screens_path)
    except ScreensError as exc:
        raise Problem("\n".join(exc.problems)) from None
    mine = [screen for screen in screens_file.screens if screen.app == app.name]
    if not mine:
        raise Problem(f"{screens_path}: no screen has `app: {app.name}`")
    if only:
        unknown = sorted(set(only) - {screen.name for screen in mine})
        if unknown:
            known = ", ".join(screen.name for screen in mine)
            raise Problem(f"--only {', '.join(unknown)}: no such {app.name} screen (known: {known})")
        mine = [screen for screen in mine if screen.name in only]
    return mine, screens_file.namespace


def _target(screen: Screen, out_dir: Path | None) -> Path:
    relative = Path(screen.output)
    return (out_dir / relative.name) if out_dir is not None else ROOT / relative


def _shot(browser, setup_for, offline: Offline, stub: StubServer, sample: SampleData, screen: Screen,
          namespace: str | None, timeout_ms: int | None) -> bytes:
    from playwright.sync_api import Error as PlaywrightError

    timeout = timeout_ms or screen.timeout_ms
    stub.data = sample.view(screen.scenario)
    context = new_context(browser, setup_for(screen), offline)
    try:
        page = context.new_page()
        url = stub.url + screen.path.replace("{ns}", namespace or "")
        try:
            # opening the page is not what timeout_ms limits (that is the wait for its elements):
            # on a busy machine a page load alone can take longer than a short selector wait
            response = page.goto(url, wait_until="load", timeout=max(timeout, LOAD_MS))
        except PlaywrightError as exc:
            raise shots.ShotFailed(f"cannot open {url}: {shots.first_line(exc)}") from None
        if response is not None and response.status >= 400:
            raise shots.ShotFailed(f"{url} answered HTTP {response.status}")
        idle = min(timeout, IDLE_MS)
        try:
            page.wait_for_load_state("networkidle", timeout=idle)
        except PlaywrightError:
            pass  # a polling app never goes idle; the selector waits decide
        shots.wait_ready(page, screen, timeout)
        shots.perform(page, screen, timeout)
        try:
            page.wait_for_load_state("networkidle", timeout=idle)
        except PlaywrightError:
            pass
        return shots.capture(page, screen)
    finally:
        context.close()


def render(app: App, args: argparse.Namespace, out=None) -> int:
    progress = Progress(out=out)
    work_root = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix=f"screens-{app.name}-"))
    keep = bool(args.work) or args.keep_work
    out_dir = Path(args.out_dir) if args.out_dir else None
    report_dir = Path(args.report_dir) if args.report_dir else DEFAULT_REPORT_DIR / app.name
    written: list[Written] = []
    try:
        with progress.step("check inputs (shot list, sample data, fonts, browser)"):
            screens, namespace = _shots_for(app, Path(args.screens), args.only)
            sample = SampleData.load(Path(args.sample))
            for screen in screens:
                if screen.scenario:
                    sample.view(screen.scenario)
            fonts = FontBook(Path(args.node_modules))
            missing = fonts.missing_packages()
            if missing:
                raise Problem(f"font packages missing under {args.node_modules}: {', '.join(missing)} (run `make test-deps`)")
            if not Path(args.chromium).exists():
                raise Problem(f"{args.chromium}: no such browser (install Debian's chromium)")
            try:
                import playwright.sync_api  # noqa: F401
            except ImportError:
                raise Problem("Playwright is missing: pip install -r requirements-test.txt") from None
            progress.say(f"      {len(screens)} shots: {', '.join(screen.name for screen in screens)}")

        with progress.step(f"source: {app.component} of {args.src} at {args.tag}"):
            source = Source.open(args.src, args.tag, work_root)
            tree = source.export(app.component, work_root / "tree")
            progress.say(f"      commit {source.commit}, copied to {tree}")
        parts = [_Part(app, source, tree, "")]
        host = load_app(app.host) if app.host else None
        if host is not None:
            with progress.step(f"source: {host.component} of {args.host_src} at {args.host_tag} (the frame: {host.title})"):
                host_source = Source.open(args.host_src, args.host_tag, work_root)
                host_tree = host_source.export(host.component, work_root / "host-tree")
                progress.say(f"      commit {host_source.commit}, copied to {host_tree}")
            parts.insert(0, _Part(host, host_source, host_tree, f"{host.name} "))

        with progress.step("read the app's other inputs"):
            extra = {}
            for part in parts:
                extra.update(part.app.prepare(args, part.source, work_root))
            for key, value in extra.items():
                shown = {k: v for k, v in value.items() if k not in ("menu", "images")} if isinstance(value, dict) else value
                progress.say(f"      {key}: {shown}")

        for part in parts:
            for build in part.app.build_steps(part.tree, part.source):
                name = f"{part.prefix}{build.name}"
                with progress.step(f"build: {name}"):
                    run_command(build.argv, cwd=part.tree / build.cwd, env=build.env, timeout=build.timeout,
                                log=work_root / "logs" / f"{name.replace(' ', '-').replace('/', '-')}.log")
            part.build_dir = part.app.output_dir(part.tree)
            if not (part.build_dir / "index.html").is_file():
                raise StepFailed("build", f"the build wrote no {part.build_dir / 'index.html'}")

        with progress.step("start the stub back end"):
            stub = StubServer([mount for part in parts for mount in part.app.mounts(part.build_dir)],
                              sample.view()).start()
            for part in parts:
                for css in sorted(part.build_dir.rglob("*.css")):
                    fonts.learn(css.read_text("utf-8", errors="replace"))
            progress.say(f"      {stub.url} serving {', '.join(str(part.build_dir) for part in parts)}")

        from playwright.sync_api import sync_playwright

        try:
            offline = Offline(origin=stub.url, fonts=fonts)

            def setup_for(screen: Screen) -> Setup:
                return Setup(viewport=screen.viewport, scale=args.scale, now=sample.now())

            with sync_playwright() as playwright:
                with progress.step("start Chromium"):
                    browser = launch(playwright, args.chromium)
                    chromium_version = browser.version
                    progress.say(f"      Chromium {chromium_version}")
                try:
                    for screen in screens:
                        with progress.step(f"shot {screen.name}"):
                            try:
                                png = _shot(browser, setup_for, offline, stub, sample, screen, namespace, args.timeout_ms)
                            except shots.ShotFailed as exc:
                                raise Problem(f"shot {screen.name!r} (data/screens.yml line {screen.line}): {exc}") from None
                            target = _target(screen, out_dir)
                            previous = None
                            if target.exists():
                                previous = work_root / "previous" / target.name
                                previous.parent.mkdir(parents=True, exist_ok=True)
                                shutil.copyfile(target, previous)
                            data = images.encode(png, target.suffix)
                            target.parent.mkdir(parents=True, exist_ok=True)
                            target.write_bytes(data)
                            written.append(Written(screen, target, previous))
                            width, height = images.size_of(target)
                            progress.say(f"      {_shown(target)} {width}x{height} {len(data) / 1024:.0f} KB")
                finally:
                    browser.close()
        finally:
            stub.stop()

        with progress.step("write the record"):
            record_path = (out_dir or (ROOT / Path(screens[0].output).parent)) / f"{app.name}-record.json"
            record.write(record_path, _record(app, args, parts, extra, sample, screens, written, fonts,
                                              offline, chromium_version))
            progress.say(f"      {_shown(record_path)}")
            if offline.blocked:
                progress.say(f"      {len(offline.blocked)} requests off 127.0.0.1 were blocked (listed in the record)")

        with progress.step("compare with the previous images"):
            pairs = [(w.screen.name, w.previous, w.path) for w in written]
            rows = report.compare_sets(pairs, report_dir, ("before", f"{args.tag}"))
            report.write_json(rows, report_dir / "report.json")
            progress.say(report.format_report(rows, f"      version-bump report ({_shown(report_dir)}):"))
        progress.say(progress.summary())
    except StepFailed as failure:
        print(f"FAILED at step {failure.step!r}: {failure.reason}", file=sys.stderr, flush=True)
        if keep or args.keep_work:
            print(f"(the work directory is kept: {work_root})", file=sys.stderr)
        return 1
    finally:
        if not keep:
            progress.say(f"removing the work directory {work_root} ...")
            shutil.rmtree(work_root, ignore_errors=True)
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _versions() -> dict:
    from importlib.metadata import version

    return {name: version(name) for name in ("playwright", "pillow")}


def _record(app, args, parts, extra, sample, screens, written, fonts, offline, chromium_version) -> dict:
    setup = Setup(viewport=screens[0].viewport, scale=args.scale, now=sample.now())
    mine = parts[-1]
    tools = {}
    for part in parts:
        tools.update(part.app.tool_versions())
    frame = {}
    if len(parts) > 1:
        host = parts[0]
        frame = {"frame": {"app": host.app.name, "title": host.app.title,
                           "repository": host.app.repository or host.app.default_source, "ref": host.source.ref,
                           "commit": host.source.commit, "component": host.app.component}}
    return {
        "tool": {"name": "tools/render_screens.py", "version": TOOL_VERSION},
        "app": app.name,
        "title": app.title,
        "source": {"repository": app.repository or app.default_source, "ref": mine.source.ref,
                   "commit": mine.source.commit, "component": app.component},
        **frame,
        **extra,
        "sample_data": {"file": _shown(sample.path), "sha256": record.sha256(sample.path.read_bytes())},
        "render": setup.as_record(),
        "browser": {"chromium": chromium_version, **_versions(), **tools},
        "fonts": record.font_packages(Path(args.node_modules)),
        "blocked_requests": sorted(set(offline.blocked)),
        "shots": [
            {
                "name": w.screen.name, "file": Path(w.screen.output).name, "scenario": w.screen.scenario,
                "size": dict(zip(("width", "height"), images.size_of(w.path))),
                "bytes": w.path.stat().st_size, "sha256": record.sha256(w.path.read_bytes()),
            }
            for w in written
        ],
    }


def add_render_arguments(parser: argparse.ArgumentParser, app: App) -> None:
    add = parser.add_argument
    add("--src", default=app.default_source,
        help=f"the upstream repository: a git clone, a bare mirror or a git URL (default: {app.default_source})")
    add("--tag", default=app.default_ref, help=f"tag, branch or commit to render (default: {app.default_ref})")
    add("--only", action="append", metavar="NAME", help="render only this shot (repeatable)")
    add("--out-dir", help="write the images and the record here instead of each shot's `output`")
    add("--report-dir", help=f"where the version-bump report and diff images go (default: .cache/screens/{app.name})")
    add("--work", help="build here and keep it (default: a temporary directory, removed afterwards)")
    add("--keep-work", action="store_true", help="keep the temporary work directory")
    add("--screens", default=str(DEFAULT_SCREENS), help="the shot list (default: data/screens.yml)")
    add("--sample", default=str(DEFAULT_SAMPLE), help="the sample data (default: data/sample-data.yml)")
    add("--node-modules", default=str(DEFAULT_NODE_MODULES), help="where the @fontsource packages are")
    add("--chromium", default=CHROMIUM, help="browser binary (default: %(default)s)")
    add("--scale", type=float, default=SCALE, help="device scale factor (default: %(default)s)")
    add("--timeout-ms", type=int, help="override every shot's timeout_ms")
    if app.host:
        host = load_app(app.host)
        group = parser.add_argument_group(f"the frame: {host.title}, which shows {app.title} in its iframe")
        group.add_argument("--host-src", default=host.default_source,
                           help=f"the {host.title} repository: clone, mirror or URL (default: {host.default_source})")
        group.add_argument("--host-tag", default=host.default_ref, help=f"its tag (default: {host.default_ref})")
        host.add_arguments(parser)
    app.add_arguments(parser)
