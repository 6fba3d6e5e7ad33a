"""TermMatcher's scan: the regex that jumps to candidate positions finds exactly what trying
every position finds (the guide's prose with the glossary's spellings, and random lines)."""

from __future__ import annotations

import random

from conftest import ROOT
from kfguide.checks import glossary, spelling
from kfguide.model.glossary import spellings
from kfguide.model.prose import TermMatcher, prose_lines

TERMS, _ = glossary.load(ROOT / glossary.DATA_PATH, docs_dir=ROOT / "docs", root=ROOT)


def every_position(m: TermMatcher, s: str):
    """The reference: at each position try the spellings longest first, no jumping."""
    i = 0
    while i < len(s):
        for sp in m.index.get(s[i], ()):
            if s.startswith(sp, i) and m._start_ok(s, i, sp) and m._end_ok(s, i + len(sp), sp):
                yield i, i + len(sp), sp
                i += len(sp)
                break
        else:
            i += 1


def matchers() -> list[TermMatcher]:
    variants, conts = spelling.variants_from_terms(TERMS)
    out = [TermMatcher({v.text for v in variants}, conts)]
    for lang in ("ko", "en"):
        out.append(TermMatcher({s for t in TERMS for s in spellings(t, lang)}))
    return out


def guide_lines() -> list[str]:
    lines = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        lines += [pl.prose for pl in prose_lines(page.read_text(encoding="utf-8"))]
    return lines


def test_scan_finds_what_every_position_finds_on_the_guide():
    lines = guide_lines()
    found = []
    for m in matchers():
        count = 0
        for line in lines:
            got = list(m.finditer(line))
            assert got == list(every_position(m, line)), line
            count += len(got)
        found.append(count)
    # the guide has no disallowed spellings, but uses its terms in both languages: the
    # comparison is not over empty results
    assert found[0] == 0 and found[1] > 50 and found[2] > 50, found


def test_scan_finds_what_every_position_finds_on_random_lines():
    rng = random.Random(15)
    for m in matchers():
        words = sorted({sp for sps in m.index.values() for sp in sps})
        pieces = words + ["를", "에서", "는", "이", " ", "-", "_", "x", "가", "(", ")", "Pipe", "ab"]
        for _ in range(3000):
            line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
            assert list(m.finditer(line)) == list(every_position(m, line)), line


def test_longest_spelling_that_fits_wins_and_falls_back_to_a_shorter_one():
    m = TermMatcher(["Kube", "Kubeflow", "파이프라인"])
    assert list(m.finditer("Kubeflow 파이프라인을 씁니다")) == [(0, 8, "Kubeflow"), (9, 14, "파이프라인")]
    # "Kubeflowx" is not a word end for Kubeflow, nor for Kube: nothing
    assert list(m.finditer("Kubeflowx")) == []
    # the longer spelling does not fit (a Hangul letter that is no particle), the scan moves on
    assert list(m.finditer("파이프라인뷁")) == []
