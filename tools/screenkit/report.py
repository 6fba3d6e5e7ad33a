"""The version-bump report: per shot, changed or not, by how many pixels, with a diff picture.

``compare_sets(pairs, diff_dir)`` compares each (name, old file, new file) and writes
``NAME-diff.png`` (old | new | difference) for the changed ones; ``format_report`` prints one
line per shot. ``python tools/render_screens.py compare OLD_DIR NEW_DIR`` compares two folders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from screenkit import images


@dataclass
class Row:
    name: str
    status: str  # unchanged / changed / new / removed
    pixels: int = 0
    percent: float = 0.0
    size: str = ""
    diff: Path | None = None

    def as_dict(self) -> dict:
        return {"shot": self.name, "status": self.status, "changed_pixels": self.pixels,
                "changed_percent": round(self.percent, 3), "size": self.size,
                "diff_image": str(self.diff) if self.diff else None}


def compare_sets(pairs: list[tuple[str, Path | None, Path | None]], diff_dir: Path | None,
                 labels: tuple[str, str] = ("before", "after")) -> list[Row]:
    rows = []
    for name, old, new in pairs:
        if old is None or not old.exists():
            rows.append(Row(name, "new"))
            continue
        if new is None or not new.exists():
            rows.append(Row(name, "removed"))
            continue
        result = images.compare(old, new)
        size = f"{result.new_size[0]}x{result.new_size[1]}"
        if result.old_size != result.new_size:
            size = f"{result.old_size[0]}x{result.old_size[1]} -> {size}"
        row = Row(name, "changed" if result.changed else "unchanged", result.pixels, result.percent, size)
        if result.changed and diff_dir is not None:
            row.diff = diff_dir / f"{name}-diff.png"
            images.side_by_side(old, new, row.diff, labels)
        rows.append(row)
    return rows


def format_report(rows: list[Row], title: str) -> str:
    width = max([len(row.name) for row in rows] + [4])
    lines = [title]
    for row in rows:
        if row.status == "changed":
            detail = f"{row.pixels:>9,} px ({row.percent:6.2f} %)  {row.size}"
            if row.diff:
                detail += f"  diff: {row.diff}"
        elif row.status == "unchanged":
            detail = f"{'0':>9} px             {row.size}"
        else:
            detail = "(no image to compare with)" if row.status == "new" else "(no new image)"
        lines.append(f"  {row.name:<{width}}  {row.status:<9}  {detail}")
    changed = sum(row.status != "unchanged" for row in rows)
    lines.append(f"  {changed} of {len(rows)} shots changed")
    return "\n".join(lines)


def write_json(rows: list[Row], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([row.as_dict() for row in rows], indent=2) + "\n", "utf-8")


def folder_pairs(old_dir: Path, new_dir: Path) -> list[tuple[str, Path | None, Path | None]]:
    """Match image files of two folders by name (png and webp)."""
    suffixes = {".png", ".webp"}
    old = {path.stem: path for path in old_dir.iterdir() if path.suffix in suffixes and not path.stem.endswith("-diff")}
    new = {path.stem: path for path in new_dir.iterdir() if path.suffix in suffixes and not path.stem.endswith("-diff")}
    return [(name, old.get(name), new.get(name)) for name in sorted(set(old) | set(new))]
