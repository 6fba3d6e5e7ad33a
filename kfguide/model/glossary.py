"""The glossary's terms: one entry of data/glossary.yml as data.

Reading and validating the file is :mod:`kfguide.checks.glossary` (``load`` / ``parse``); the
용어집 page and the first-use tooltips are :mod:`kfguide.builders.glossary_page`; the spelling
check over pages is :mod:`kfguide.checks.spelling`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

DATA_PATH = "data/glossary.yml"
GLOSSARY_PAGES = {"ko": "glossary.md", "en": "glossary.en.md"}


@dataclass
class Term:
    ko: str
    en: str
    def_ko: str
    def_en: str
    chapter: str
    abbr: str = ""
    sense: str = ""
    variants: list[str] = field(default_factory=list)
    match: list[str] = field(default_factory=list)
    match_en: list[str] | None = None
    tooltip: bool = True
    #: the first use on a page carries the English: 네임스페이스(Namespace). False for words the
    #: Kubernetes Korean glossary writes without it (파드, 서비스)
    first_en: bool = True
    line: int = 0

    @functools.cached_property
    def slug(self) -> str:
        # computed once per term: the tooltip linking asks for it at every match on every page
        return "term-" + slug(self.en + (" " + self.sense if self.sense else ""))

    @property
    def display_ko(self) -> str:
        return self.ko + (f" ({self.sense})" if self.sense else "")

    @property
    def display_en(self) -> str:
        return self.en + (f" ({self.sense})" if self.sense else "")

    def definition(self, lang: str) -> str:
        return self.def_en if lang == "en" else self.def_ko

    def chapter_page(self) -> str:
        return self.chapter.split("#", 1)[0]

    def chapter_anchor(self) -> str:
        return self.chapter.split("#", 1)[1] if "#" in self.chapter else ""


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def spellings(t: Term, lang: str) -> list[str]:
    """The spellings that get the tooltip on a page in ``lang``."""
    if lang == "en" and t.match_en is not None:
        return list(t.match_en) + ([t.abbr] if t.abbr else [])
    if lang == "en":
        base = [t.en]
        if t.en[:1].islower():
            base.append(t.en[:1].upper() + t.en[1:])
        elif t.en[:1].isupper() and not t.en.isupper() and not re.search(r"[A-Z]", t.en[1:]):
            base.append(t.en[:1].lower() + t.en[1:])
        out = []
        for b in base:
            out.append(b)
            if b[-1:].isalpha() and not b.isupper():
                out.append(b + ("es" if b.endswith(("s", "x", "sh", "ch")) else "s"))
        if t.abbr:
            out.append(t.abbr)
        return out
    out = [t.ko, *t.match]
    if t.abbr:
        out.append(t.abbr)
    return out
