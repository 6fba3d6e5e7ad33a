"""Answer Google Fonts requests from the OFL ``@fontsource`` npm packages (pinned in package-lock.json).

Web apps ask fonts.googleapis.com for a stylesheet and fonts.gstatic.com for font files. Offline
the text would fall back to other faces; online the bytes could change under us. Here both are
answered from local files:

* a ``fonts.gstatic.com`` URL named in the build's own CSS (``@font-face`` with family, weight,
  style and unicode-range) gets the ``@fontsource`` file of the same family, weight and style
  whose unicode-range covers most of the same characters;
* a ``fonts.googleapis.com/css?family=...`` stylesheet is written from the ``@fontsource`` CSS
  of the families and weights asked for, pointing at local URLs;
* ``LOCAL_PREFIX`` URLs serve those files.

``FontBook.answer(url)`` returns ``(bytes, content type)`` or None; ``used`` lists what was served.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}", re.S)
PROP_RE = re.compile(r"([a-z-]+)\s*:\s*([^;]+);?")
URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
LOCAL_PREFIX = "https://fonts.gstatic.com/_local_fontsource/"
#: family (lower case) -> @fontsource package folder name
PACKAGES = {
    "roboto": "roboto",
    "roboto mono": "roboto-mono",
    "google sans": "google-sans",
    "material icons": "material-icons",
}
ALL = frozenset(range(0, 0x110000))


def parse_ranges(text: str | None) -> frozenset[int]:
    """``U+0000-00FF, U+0131`` -> the set of code points (everything when absent)."""
    if not text:
        return ALL
    points: set[int] = set()
    for part in text.split(","):
        part = part.strip().upper().removeprefix("U+")
        if not part:
            continue
        if "?" in part:
            low, high = int(part.replace("?", "0"), 16), int(part.replace("?", "F"), 16)
        elif "-" in part:
            low_text, high_text = part.split("-", 1)
            low, high = int(low_text, 16), int(high_text, 16)
        else:
            low = high = int(part, 16)
        points.update(range(low, high + 1))
    return frozenset(points)


@dataclass(frozen=True)
class Face:
    family: str  # lower case, unquoted
    style: str
    weight: str
    ranges: frozenset[int]
    src: str  # first url()
    range_text: str | None = None


def parse_faces(css: str, base: str = "") -> list[Face]:
    faces = []
    for block in FACE_RE.findall(css):
        props = {name.strip().lower(): value.strip() for name, value in PROP_RE.findall(block)}
        family = props.get("font-family", "").strip("'\" ").lower()
        urls = URL_RE.findall(props.get("src", ""))
        woff2 = [url for url in urls if url.endswith(".woff2")] or urls
        if not family or not woff2:
            continue
        faces.append(Face(
            family=family, style=props.get("font-style", "normal"), weight=props.get("font-weight", "400"),
            ranges=parse_ranges(props.get("unicode-range")), src=base + woff2[0].removeprefix("./"),
            range_text=props.get("unicode-range"),
        ))
    return faces


class FontBook:
    """The local faces of the ``@fontsource`` packages under ``node_modules``."""

    def __init__(self, node_modules: Path):
        self.root = node_modules / "@fontsource"
        self.faces: dict[str, list[Face]] = {}
        self.used: dict[str, str] = {}  # requested URL -> local file
        self.unmatched: list[str] = []
        self.remote: dict[str, Face] = {}  # gstatic URL -> face it was declared as

    def missing_packages(self) -> list[str]:
        return [f"@fontsource/{name}" for name in sorted(set(PACKAGES.values())) if not (self.root / name).is_dir()]

    def _package_faces(self, family: str) -> list[Face]:
        if family not in self.faces:
            package = PACKAGES.get(family)
            faces: list[Face] = []
            folder = self.root / package if package else None
            if folder is not None and folder.is_dir():
                for css in sorted(folder.glob("*.css")):
                    if re.fullmatch(r"\d+(-italic)?\.css", css.name):
                        faces.extend(parse_faces(css.read_text("utf-8"), base=f"{package}/"))
            self.faces[family] = faces
        return self.faces[family]

    def learn(self, css: str) -> int:
        """Remember the gstatic URLs declared in a build's CSS; return how many."""
        count = 0
        for face in parse_faces(css):
            if urlsplit(face.src).hostname == "fonts.gstatic.com":
                self.remote[face.src] = face
                count += 1
        return count

    def match(self, wanted: Face) -> Face | None:
        best, best_overlap = None, 0
        for face in self._package_faces(wanted.family):
            if face.style != wanted.style or face.weight != wanted.weight:
                continue
            overlap = len(face.ranges & wanted.ranges)
            if overlap > best_overlap:
                best, best_overlap = face, overlap
        return best

    def _file(self, relative: str) -> tuple[bytes, str] | None:
        path = (self.root / relative).resolve()
        if self.root.resolve() not in path.parents or not path.is_file():
            return None
        kind = "font/woff2" if path.suffix == ".woff2" else "font/woff"
        return path.read_bytes(), kind

    def stylesheet(self, url: str) -> str:
        """A Google Fonts CSS API answer written from local faces (css and css2 syntax)."""
        query = parse_qs(urlsplit(url).query)
        rules = []
        for spec in "|".join(query.get("family", [])).split("|"):
            if not spec:
                continue
            name, _, variants = spec.partition(":")
            family = name.replace("+", " ").strip().lower()
            wanted: set[tuple[str, str]] = set()
            for variant in re.split(r"[,;]", variants.split("@")[-1]) if variants else ["400"]:
                variant = variant.strip()
                italic = "italic" in variant or variant.startswith("1,")
                digits = re.findall(r"\d{3}", variant) or ["400"]
                wanted.add(("italic" if italic else "normal", digits[-1]))
            for face in self._package_faces(family):
                if (face.style, face.weight) in wanted:
                    rules.append(
                        f"@font-face {{\n  font-family: '{name.replace('+', ' ')}';\n  font-style: {face.style};\n"
                        f"  font-weight: {face.weight};\n  src: url({LOCAL_PREFIX}{face.src}) format('woff2');\n"
                        + (f"  unicode-range: {face.range_text};\n" if face.range_text else "")
                        + "}\n"
                    )
        return "".join(rules)

    def answer(self, url: str) -> tuple[bytes, str] | None:
        host = urlsplit(url).hostname
        if url.startswith(LOCAL_PREFIX):
            found = self._file(url[len(LOCAL_PREFIX):].split("?")[0])
            if found:
                self.used[url] = url[len(LOCAL_PREFIX):]
            return found
        if host == "fonts.googleapis.com":
            css = self.stylesheet(url)
            self.used[url] = "stylesheet written from @fontsource"
            return css.encode("utf-8"), "text/css; charset=utf-8"
        if host == "fonts.gstatic.com":
            declared = self.remote.get(url.split("#")[0])
            local = self.match(declared) if declared else None
            found = self._file(local.src) if local else None
            if found:
                self.used[url] = local.src
                return found
            self.unmatched.append(url)
        return None
