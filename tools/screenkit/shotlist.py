"""The shot list, data/screens.yml: one list for live captures and rendered screenshots.

``load_screens``/``parse_screens`` read and check it and raise ``ScreensError`` listing every
problem as ``file:line: message``. Used by tools/capture_screens.py (a live cluster, light and
dark) and tools/render_screens.py (the real front end on a stub back end; the screens whose
``app`` is the app being rendered).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMES = (("light", ""), ("dark", "-dark"))
LOAD_STATES = ("load", "networkidle")
TOP_KEYS = {"namespace", "defaults", "screens"}
DEFAULT_KEYS = {"viewport", "timeout_ms"}
SCREEN_KEYS = {
    "name", "path", "wait_for", "frame", "viewport", "output", "full_page", "timeout_ms", "lang", "alt",
    "app", "scenario", "actions", "clip",
}
# What a screen may do after `wait_for` and before the capture (`actions:`), in order.
ACTIONS = {
    "click": "selector to click",
    "hover": "selector to move the mouse over",
    "wait_for": "selector that must become visible",
    "press": "key to press, e.g. Escape",
    "wait_ms": "milliseconds to wait (0-10000), e.g. for a ripple to end",
    "scroll_to": "selector to scroll to the top of its scrolling box",
    "scroll_top": "selector whose scrolling boxes (itself, every box around it, the page around a frame) go back to their top",
    "fill": "mapping {into: SELECTOR, text: TEXT} to type into a field",
    "advance_clock": "milliseconds (1-60000) to move the frozen clock on, e.g. so that a chart's Date-timed animation ends",
}
CLIP_KEYS = ("x", "y", "width", "height")
OUTPUT_SUFFIXES = (".png", ".webp")
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
    app: str | None = None  # the app tools/render_screens.py renders this screen with
    scenario: str | None = None  # a scenario of data/sample-data.yml (rendered screens only)
    actions: tuple[tuple[str, object], ...] = ()
    clip: tuple[int, int, int, int] | None = None  # x, y, width, height in CSS pixels

    def url(self, base_url: str, namespace: str | None) -> str:
        path = self.path.replace("{ns}", namespace or "")
        return base_url.rstrip("/") + path

    def outputs(self, out_dir: Path | None, root: Path = ROOT) -> list[tuple[str, Path]]:
        """[(scheme, file)] for light and dark: NAME.png and NAME-dark.png (or .webp)."""
        light = Path(self.output) if out_dir is None else Path(PurePosixPath(self.output).name)
        base = (root / light) if out_dir is None else (out_dir / light)
        return [(scheme, base.with_name(f"{base.stem}{suffix}{base.suffix}")) for scheme, suffix in SCHEMES]


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
    if path.suffix not in OUTPUT_SUFFIXES:
        reader.problem(node, f"{what}: output must end in .png or .webp, got {output!r}")
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
        reader.problem(node, f"{what}: output must not end in -dark{path.suffix}: the dark variant gets that name")
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
        variant = str(light.with_name(f"{light.stem}{suffix}{light.suffix}"))
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


def _actions(reader: _Reader, value, node, label: str) -> tuple[tuple[str, object], ...]:
    """`actions:` is a list of one-key mappings: {click: SELECTOR}, {wait_ms: 300}, ..."""
    if not isinstance(value, list) or not value:
        reader.problem(node, f"{label}: actions must be a non-empty list of one-key mappings")
        return ()
    steps = []
    for item, item_node in zip(value, node.value):
        if not isinstance(item, dict) or len(item) != 1:
            reader.problem(item_node, f"{label}: each action is one `verb: argument` ({', '.join(ACTIONS)})")
            continue
        ((verb, argument),) = item.items()
        if verb not in ACTIONS:
            reader.problem(item_node, f"{label}: unknown action {verb!r} (known: {', '.join(ACTIONS)})")
        elif verb == "fill":
            if not (isinstance(argument, dict) and set(argument) == {"into", "text"}
                    and isinstance(argument["into"], str) and argument["into"].strip()
                    and isinstance(argument["text"], str)):
                reader.problem(item_node, f"{label}: fill needs {{into: SELECTOR, text: TEXT}}, got {argument!r}")
            else:
                steps.append((verb, (argument["into"], argument["text"])))
        elif verb == "advance_clock":
            if isinstance(argument, bool) or not isinstance(argument, int) or not 1 <= argument <= 60_000:
                reader.problem(item_node, f"{label}: advance_clock must be a whole number 1-60000, got {argument!r}")
            else:
                steps.append((verb, argument))
        elif verb == "wait_ms":
            if isinstance(argument, bool) or not isinstance(argument, int) or not 0 <= argument <= 10_000:
                reader.problem(item_node, f"{label}: wait_ms must be a whole number 0-10000, got {argument!r}")
            else:
                steps.append((verb, argument))
        elif not isinstance(argument, str) or not argument.strip():
            reader.problem(item_node, f"{label}: {verb} needs a {ACTIONS[verb]}, got {argument!r}")
        else:
            steps.append((verb, argument))
    return tuple(steps)


def _clip(reader: _Reader, value, node, label: str) -> tuple[int, int, int, int] | None:
    if not isinstance(value, dict) or set(value) != set(CLIP_KEYS) or not all(
        isinstance(value[key], int) and not isinstance(value[key], bool) and value[key] >= (1 if key in ("width", "height") else 0)
        for key in CLIP_KEYS
    ):
        reader.problem(node, f"{label}: clip must be {{x: N, y: N, width: N, height: N}} in CSS pixels, got {value!r}")
        return None
    return tuple(value[key] for key in CLIP_KEYS)


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
    app, scenario = _string(reader, entry, "app", label), _string(reader, entry, "scenario", label)
    if app is not None and not NAME_RE.match(app):
        reader.problem(entry["app"][1], f"{label}: app must be lowercase letters, digits and hyphens")
    actions = _actions(reader, *entry["actions"], label) if "actions" in entry else ()
    clip = _clip(reader, *entry["clip"], label) if "clip" in entry else None
    if clip is not None and viewport and (clip[0] + clip[2] > viewport[0] or clip[1] + clip[3] > viewport[1]):
        reader.problem(entry["clip"][1], f"{label}: clip reaches outside the {viewport[0]}x{viewport[1]} viewport")
    if len(reader.found) > before or not (name and viewport and timeout):
        return None
    return Screen(
        name=name, path=text["path"], wait_for=text["wait_for"], output=output, viewport=viewport,
        timeout_ms=timeout, line=line, frame=text["frame"], full_page=full_page, lang=text["lang"], alt=alt,
        app=app, scenario=scenario, actions=actions, clip=clip,
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
