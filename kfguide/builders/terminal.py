"""Draw a terminal session as a small, accessible SVG (pure function, no MkDocs).

:func:`render_terminal_svg` turns a list of ``(kind, text)`` lines into a dark terminal window:
a title bar with the three window dots, the session in a monospace font (commands after a ``$``
prompt in one colour, program output in another), a block cursor on a line of its own (the command
is still running, so no prompt comes back) and a small visible label saying the picture is generated.

For screen readers the SVG has ``role="img"``, a ``<title>`` and a ``<desc>`` holding the whole
session as text. The output is deterministic (same input, same bytes: no dates, no random ids)
and its width follows the longest line, counting East Asian wide characters (Hangul) as two
columns, as terminals do.
"""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape, quoteattr

#: Line kinds: a command typed after the prompt, or what a program printed.
COMMAND = "command"
OUTPUT = "output"
KINDS = (COMMAND, OUTPUT)

PROMPT = "$ "

#: The visible "this is generated" label, by language (falls back to English).
GENERATED_LABEL = {
    "ko": "스니펫에서 생성한 그림",
    "en": "Generated from the snippet",
}

# Geometry, in SVG user units (px at 100 %). A monospace advance is 0.6 em in DejaVu Sans Mono,
# Menlo and Courier; Consolas is narrower, so the estimate errs on the wide side.
FONT_SIZE = 14
ADVANCE = 0.6  # em per column
LINE_HEIGHT = 21
PAD_X = 16
TITLE_BAR = 30
PAD_TOP = 12
PAD_BOTTOM = 10
LABEL_SIZE = 11
LABEL_ROW = 18
TITLE_SIZE = 12
DOTS_WIDTH = 70  # room the three dots take on the left of the title bar

FONT_MONO = (
    "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', "
    "'Noto Sans Mono CJK KR', 'D2Coding', monospace"
)
FONT_SANS = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', 'Noto Sans CJK KR', sans-serif"

COLORS = {
    "window": "#1e2129",
    "border": "#3b4048",
    "bar": "#2c313a",
    "title": "#c8ccd4",
    "prompt": "#7ee787",  # the "$"
    "command": "#f0f3f6",  # what the user typed
    "output": "#a9b4c2",  # what the program printed
    "label": "#9aa4b2",
    "cursor": "#c8ccd4",
}
DOT_COLORS = ("#ff5f57", "#febc2e", "#28c840")


class TerminalError(ValueError):
    """The session cannot be drawn (unknown line kind, control characters)."""


def columns(text: str) -> int:
    """Terminal columns ``text`` takes: wide and fullwidth characters (Hangul, CJK) count two."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def session_text(lines: list[tuple[str, str]]) -> list[str]:
    """The session as a reader sees it: commands get the ``$`` prompt, output stays as is."""
    return [(PROMPT + text) if kind == COMMAND else text for kind, text in lines]


def _num(value: float) -> str:
    """Format a coordinate without float noise (deterministic, short)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _check(lines: list[tuple[str, str]]) -> None:
    if not lines:
        raise TerminalError("a terminal figure needs at least one line")
    for number, item in enumerate(lines, start=1):
        if not (isinstance(item, tuple) and len(item) == 2):
            raise TerminalError(f"line {number}: expected (kind, text), got {item!r}")
        kind, text = item
        if kind not in KINDS:
            raise TerminalError(f"line {number}: kind must be one of {KINDS}, got {kind!r}")
        bad = [c for c in text if unicodedata.category(c) == "Cc"]
        if bad:
            raise TerminalError(f"line {number}: control character {bad[0]!r} in {text!r}")


def render_terminal_svg(
    lines: list[tuple[str, str]],
    title: str,
    lang: str,
    *,
    id_prefix: str = "terminal",
    label: str | None = None,
) -> str:
    """Return the SVG document for a terminal window showing ``lines``.

    ``lines`` are ``("command", "kfui")`` (drawn as ``$ kfui``) or ``("output", "...")``.
    ``title`` is the accessible name and the window title; ``lang`` (``ko``/``en``) sets the
    document language and the generated label (override it with ``label``). ``id_prefix`` keeps
    the ``<title>``/``<desc>`` ids unique if several figures are inlined into one page.
    """
    _check(lines)
    label = GENERATED_LABEL.get(lang, GENERATED_LABEL["en"]) if label is None else label
    shown = session_text(lines)

    advance = FONT_SIZE * ADVANCE
    text_width = max(columns(line) for line in shown) + 1  # a column of slack
    label_width = columns(label) * LABEL_SIZE * ADVANCE
    title_width = columns(title) * TITLE_SIZE * ADVANCE + 2 * DOTS_WIDTH
    width = int(max(text_width * advance + 2 * PAD_X, label_width + 2 * PAD_X, title_width) + 0.999)
    body_lines = len(lines) + 1  # the cursor's line
    height = TITLE_BAR + PAD_TOP + body_lines * LINE_HEIGHT + LABEL_ROW + PAD_BOTTOM

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    desc = "\n".join(shown)
    out: list[str] = []
    add = out.append
    add(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" lang={quoteattr(lang)} '
        f'aria-labelledby="{title_id} {desc_id}">'
    )
    add(f'<title id="{title_id}">{escape(title)}</title>')
    add(f'<desc id="{desc_id}">{escape(desc)}</desc>')
    add(
        "<style>"
        f".m{{font-family:{FONT_MONO};font-size:{FONT_SIZE}px;white-space:pre}}"
        f".c{{fill:{COLORS['command']}}}.p{{fill:{COLORS['prompt']};font-weight:bold}}"
        f".o{{fill:{COLORS['output']}}}"
        f".t{{font-family:{FONT_SANS};font-size:{TITLE_SIZE}px;fill:{COLORS['title']}}}"
        f".l{{font-family:{FONT_SANS};font-size:{LABEL_SIZE}px;fill:{COLORS['label']}}}"
        "</style>"
    )
    # Window, title bar (square bottom edge drawn over the rounded one), dots, title.
    add(
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" rx="8" '
        f'fill="{COLORS["window"]}" stroke="{COLORS["border"]}"/>'
    )
    add(f'<path d="M0.5 {TITLE_BAR}V8.5a8 8 0 0 1 8-8H{_num(width - 8.5)}a8 8 0 0 1 8 8V{TITLE_BAR}Z" '
        f'fill="{COLORS["bar"]}"/>')
    for index, color in enumerate(DOT_COLORS):
        add(f'<circle cx="{18 + 20 * index}" cy="{TITLE_BAR // 2}" r="6" fill="{color}"/>')
    add(
        f'<text class="t" x="{_num(width / 2)}" y="{TITLE_BAR // 2 + 4}" '
        f'text-anchor="middle">{escape(title)}</text>'
    )
    # The session, one <text> per line; xml:space keeps runs of spaces.
    y = TITLE_BAR + PAD_TOP
    for (kind, text), line in zip(lines, shown):
        y += LINE_HEIGHT
        base = y - 6
        if kind == COMMAND:
            add(
                f'<text class="m c" x="{PAD_X}" y="{base}" xml:space="preserve">'
                f'<tspan class="p">{escape(PROMPT.rstrip())}</tspan> {escape(text)}</text>'
            )
        else:
            add(f'<text class="m o" x="{PAD_X}" y="{base}" xml:space="preserve">{escape(line)}</text>')
    # Block cursor on the next line, no prompt: the command is still running (port-forward waits).
    add(
        f'<rect x="{PAD_X}" y="{y + 4}" width="{_num(advance)}" '
        f'height="{LINE_HEIGHT - 6}" fill="{COLORS["cursor"]}" opacity="0.7"/>'
    )
    add(
        f'<text class="l" x="{width - PAD_X}" y="{height - PAD_BOTTOM - 2}" '
        f'text-anchor="end">{escape(label)}</text>'
    )
    add("</svg>")
    return "\n".join(out) + "\n"
