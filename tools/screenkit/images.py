"""Image files: lossless WebP, pixel comparison and diff pictures (Pillow, pinned in requirements-test.txt).

``save_webp`` re-encodes a Chromium PNG as lossless WebP (exactly the same pixels, a fraction
of the bytes; the same Pillow/libwebp gives the same bytes). ``compare`` counts the pixels that
differ between two images of any format; ``side_by_side`` writes old | new | difference, the
changed pixels in magenta over a faded copy of the new image.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

WEBP_OPTIONS = {"lossless": True, "quality": 100, "method": 6, "exact": True}
HIGHLIGHT = (255, 0, 255)


def encode_webp(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
    out = io.BytesIO()
    rgb.save(out, format="WEBP", **WEBP_OPTIONS)
    return out.getvalue()


def encode(png: bytes, suffix: str) -> bytes:
    """The bytes to write for a file ending in ``suffix`` (.webp re-encoded, .png as captured)."""
    return encode_webp(png) if suffix == ".webp" else png


def crop_png(png: bytes, box: tuple[int, int, int, int]) -> bytes:
    """``box`` = (x, y, width, height) in image pixels."""
    x, y, width, height = box
    with Image.open(io.BytesIO(png)) as image:
        cropped = image.crop((x, y, x + width, y + height))
        out = io.BytesIO()
        cropped.save(out, format="PNG")
    return out.getvalue()


def size_of(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


@dataclass
class Comparison:
    changed: bool
    pixels: int  # pixels that differ (any channel)
    total: int
    old_size: tuple[int, int]
    new_size: tuple[int, int]

    @property
    def percent(self) -> float:
        return 100.0 * self.pixels / self.total if self.total else 0.0


def _rgb(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")


def compare(old: Path, new: Path) -> Comparison:
    a, b = _rgb(old), _rgb(new)
    if a.size != b.size:
        total = max(a.size[0], b.size[0]) * max(a.size[1], b.size[1])
        return Comparison(True, total, total, a.size, b.size)
    mask = ImageChops.difference(a, b).convert("L").point(lambda value: 255 if value else 0)
    pixels = mask.histogram()[255]
    return Comparison(pixels > 0, pixels, a.size[0] * a.size[1], a.size, b.size)


def side_by_side(old: Path, new: Path, target: Path, labels: tuple[str, str] = ("before", "after")) -> None:
    """old | new | difference (changed pixels in magenta on a faded new image), as PNG."""
    a, b = _rgb(old), _rgb(new)
    width, height = max(a.width, b.width), max(a.height, b.height)
    pad_a = Image.new("RGB", (width, height), "white")
    pad_a.paste(a)
    pad_b = Image.new("RGB", (width, height), "white")
    pad_b.paste(b)
    mask = ImageChops.difference(pad_a, pad_b).convert("L").point(lambda value: 255 if value else 0)
    faded = Image.blend(pad_b, Image.new("RGB", (width, height), "white"), 0.75)
    faded.paste(Image.new("RGB", (width, height), HIGHLIGHT), mask=mask)
    gap, band = 16, 28
    sheet = Image.new("RGB", (width * 3 + gap * 2, height + band), "white")
    draw = ImageDraw.Draw(sheet)
    for index, (image, label) in enumerate(((pad_a, labels[0]), (pad_b, labels[1]), (faded, "difference"))):
        left = index * (width + gap)
        sheet.paste(image, (left, band))
        draw.text((left + 4, 8), label, fill="black")
    target.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(target, format="PNG", optimize=True)
