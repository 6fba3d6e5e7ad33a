"""Image sizes and loading hints for the built pages.

* :func:`image_size` reads the intrinsic size of a PNG, GIF, JPEG, WebP or SVG from its bytes
  (the header only; nothing is decoded).
* :func:`size_images` gives every ``<img>`` of a page that lacks them ``width`` and ``height``
  (so the browser reserves the space before the image arrives: no layout shift, and
  Lighthouse's ``unsized-images`` passes), and ``loading="lazy"`` plus ``decoding="async"`` to
  the images below the fold (after the page's first ``<h2>``: on a phone the title, the lead
  paragraph and little else fit on the first screen). Attributes an author wrote are kept.

Tried and left out: ``content-visibility: auto`` (with an estimated ``contain-intrinsic-size``)
on the heavy blocks below the fold. Where an estimate differs from the real height, axe-core's
color-contrast rule reads the wrong background for elements after such a block (a tab label
on the Pipelines page measured on the code background, 4.47:1), so Lighthouse's accessibility
score fell to 0.97; see README "Benchmarks".

Nothing here imports MkDocs; ``hooks/site_fixes.py`` calls it with a function that returns
the bytes of a page's image by its ``src``.
"""

from __future__ import annotations

import re
import struct
from typing import Callable

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_FIRST_H2 = re.compile(r"<h2\b", re.IGNORECASE)
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def _svg_size(data: bytes) -> tuple[int, int] | None:
    tag = _SVG_TAG.search(data[:8192])
    if not tag:
        return None
    attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag.group(0).decode("utf-8", "replace"))}
    width, height = (_LENGTH.match(attrs.get(k, "")) for k in ("width", "height"))
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = attrs.get("viewbox", "").replace(",", " ").split()
    if len(box) == 4:
        try:
            w, h = float(box[2]), float(box[3])
        except ValueError:
            return None
        if w > 0 and h > 0:
            return round(w), round(h)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in CSS pixels at 1x, or None when the format or header is unknown."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        kind = data[12:16]
        if kind == b"VP8X":
            return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
        if kind == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        if kind == b"VP8 ":
            w, h = struct.unpack("<HH", data[26:30])
            return w & 0x3FFF, h & 0x3FFF
        return None
    head = data[:512].lstrip()
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!DOCTYPE svg")) or b"<svg" in data[:2048]:
        return _svg_size(data)
    return None


def _attrs(tag: str) -> dict[str, str]:
    return {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag[4:])}


def size_images(html: str, image_bytes: Callable[[str], bytes | None]) -> str:
    """``html`` with width/height on every sizable ``<img>`` and lazy loading below the fold.

    ``image_bytes(src)`` returns the bytes of the image an ``src`` points to (None when it is
    not a local file). Images before the first ``<h2>`` load eagerly (one of them may be what
    the reader sees first); the others get ``loading="lazy" decoding="async"``.
    """
    fold = _FIRST_H2.search(html)
    fold_at = fold.start() if fold else len(html)

    def fix(match: re.Match[str]) -> str:
        tag = match.group(0)
        attrs = _attrs(tag)
        extra = []
        if ("width" not in attrs or "height" not in attrs) and attrs.get("src"):
            data = image_bytes(attrs["src"])
            size = image_size(data) if data else None
            if size and "width" not in attrs and "height" not in attrs:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if match.start() > fold_at:
            if "loading" not in attrs:
                extra.append('loading="lazy"')
            if "decoding" not in attrs:
                extra.append('decoding="async"')
        if not extra:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return tag[:end].rstrip() + " " + " ".join(extra) + (" />" if end == -2 else ">")

    return _IMG.sub(fix, html)

