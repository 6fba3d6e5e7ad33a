"""kfguide.model.prose: the scans taken for speed find exactly what the plain ones find (the
term matcher's jumps, the guarded masking patterns), over the guide and random or crafted lines."""

from __future__ import annotations

import random

from conftest import ROOT
from kfguide.checks import glossary, spelling
from kfguide.model.glossary import spellings
from kfguide.model import prose
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


# --- prose masking: the patterns run only on lines that contain their required text ---------

def unguarded(line: str) -> str:
    """The masking steps of one plain text line, every pattern run on every line."""
    s = prose._mask_between(line, prose._COMMENT_OPEN, "-->")
    s = prose._mask_code_spans(prose._mask_between(s, prose._DEL_OPEN, "</del>"))
    for pattern in (prose._AUTOLINK_RE, prose._TAG_RE, prose._KEYS_RE):
        s = prose._mask_re(s, pattern)
    s = prose._mask_links(s, [])
    for pattern in (prose._URL_RE, prose._WWW_RE, prose._ATTR_LIST_RE):
        s = prose._mask_re(s, pattern)
    return s


CONSTRUCTS = [
    "<https://example.com/a> 와 <mailto:x@y.z>", '<span title="대시보드">속성</span>',
    "++ctrl+c++ 를 누릅니다", "https://example.com/대시보드/ 입니다", "minio://bucket/x 를 봅니다",
    "www.kubeflow.org/docs 에서", "제목 { #anchor .class }", "그림 {: width=300 }",
    "모두 섞기 <b>굵게</b> ++enter++ www.a.b https://c.d/e {: .x } 끝",
]


def test_guarded_masking_is_the_same_as_running_every_pattern():
    lines = [pl.text for page in sorted((ROOT / "docs").glob("*.md"))
             for pl in prose_lines(page.read_text(encoding="utf-8")) if pl.kind == "text"]
    lines += CONSTRUCTS
    compared = 0
    for line in lines:
        [pl] = [pl for pl in prose_lines(line + "\n") if pl.number == 1]
        if pl.kind in ("text", "html"):
            assert pl.prose == unguarded(line), line
            compared += 1
    assert compared > 200, compared
    for line in CONSTRUCTS:  # each construct is masked: the comparison is not over no-ops
        assert unguarded(line) != line, line
