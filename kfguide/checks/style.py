"""The Korean style check: the rules of data/style.yml over the Korean pages' prose.

Runs only when the project has a style sheet (``data/style.yml``); English pages
(``page.en.md``) are never read. Prose is what :func:`kfguide.model.prose.prose_lines` leaves:
no front matter keys, code, HTML tags, URLs or link targets. Every finding points at the
exact source line (front matter, lists, tables and admonitions included).

=========================  =========  ===========================================================
check id                   severity   what it flags
=========================  =========  ===========================================================
``style-register``         error      a sentence ending that is not 합니다체: 해요체 (-세요,
                                      -어요/아요, -죠 ...), 해라체 and 반말 (-다, -ㄴ다, -어라,
                                      -자, -냐 ...). ``-십시오`` (the imperative of the same
                                      register) only in the admonitions ``register.imperative_in``
                                      names (warning, danger). Quotes, code, headings, admonition
                                      and tab titles, definition terms and table header cells
                                      are not sentences and are not read.
``style-particle``         error      은/는, 이/가, 을/를, 과/와, 으로/로 that do not fit how the
                                      Latin word or number before it is read (Katib은,
                                      YAML로, v1으로, 8080을), or the Korean word before an
                                      English gloss (프로필(Profile)을). Readings:
                                      data/readings.yml, bare numbers in Sino-Korean, capitals
                                      letter by letter; unknown words are skipped and counted.
``style-spelling``         error      fixed spellings of data/style.yml (최솟값, 목푯값 ...)
``style-english``          error      the English in parentheses after a glossary term is not
                                      the glossary's (spelling or capitals)
``style-first-use``        warning    a glossary term's first use on a page without its
                                      English in parentheses, or a later use repeating it
``style-markup``           warning    bold that Python-Markdown renders but CommonMark does
                                      not: ``**...)**`` or ``**...`**`` followed by a Hangul
                                      letter (GitHub previews, editors)
``style-long-sentence``    warning    a sentence longer than ``long_sentence`` Hangul syllables
``style-genitive``         warning    ``의`` chains (A의 B의 C) of ``genitive_chain`` or more
``style-unavailable``      error      the analyser cannot run (kiwipiepy missing, its worker
                                      process died): one finding, with the command that fixes it
``style-data``             error      problems in data/style.yml, data/readings.yml, or a
                                      Latin glossary term with no reading
=========================  =========  ===========================================================

A line can accept a finding it was judged to be right about by naming the rule in an HTML
comment on the line itself or alone on the line above: ``<!-- style: allow style-long-sentence -->``.

Morphemes come from Kiwi (:class:`kfguide.model.korean.Analyser`), cached per sentence.
``site.config.style_scope`` (set by the runner) chooses the pages: ``all``, ``changed`` (pages
whose text changed since the previous run in this process: ``mkdocs serve``) or ``off``.
"""

from __future__ import annotations

import hashlib
import re
from itertools import repeat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kfguide.model import korean, memo
from kfguide.model import style as style_model
from kfguide.model.findings import ERROR, WARNING, Finding
from kfguide.model.glossary import DATA_PATH as GLOSSARY_PATH
from kfguide.model.prose import MASK, matcher, prose_lines

# --------------------------------------------------------------------------------------------
# Text units: sentences and labels with a map back to source lines and columns


@dataclass
class Unit:
    kind: str  # "sentence" or "label" (headings, titles, table headers: not sentences)
    text: str
    where: list[tuple[int, int]]  # per character: (line, 1-based column)
    line_kind: str = "text"
    fragment: bool = False  # a table cell or a list item: noun endings (-음) are fine there

    def pos(self, index: int) -> tuple[int, int]:
        if not self.where:
            return (0, 0)
        return self.where[min(max(index, 0), len(self.where) - 1)]


_LIST_RE = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+")
_QUOTE_RE = re.compile(r"^(\s*)>\s?")
_DEF_RE = re.compile(r"^(\s*):\s+")
_HEADING_MARK_RE = re.compile(r"^(\s*)#{1,6}\s*")
_TABLE_DELIM_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SENTENCE_END = re.compile(r"(?<=[^\d\s.][.?!])(?=\s)|(?<=[.?!])(?=\s*$)")


def _clean(line_no: int, prose: str, kind: str) -> tuple[str, list[tuple[int, int]]]:
    """The prose of one line as plain text for the analyser, with its column map: markup
    markers dropped, link targets and HTML tags dropped, other masked runs (code, URLs) as one
    ``Q`` (a Latin placeholder no rule reads)."""
    out: list[str] = []
    where: list[tuple[int, int]] = []
    s = prose
    start = 0
    for regex in (_QUOTE_RE, _LIST_RE, _DEF_RE, _HEADING_MARK_RE):
        m = regex.match(s, start)
        if m:
            start = m.end()
    # Plain runs are copied whole; only the markers (one regex pass) are looked at one by one.
    i = start
    for m in _MARKUP_RE.finditer(s, start):
        a = m.start()
        if a > i:
            out.append(s[i:a])
            where.extend(zip(repeat(line_no), range(i + 1, a + 1)))  # (line, column) of each character
        i = m.end()
        if s[a] != MASK:  # ** / __ / [ / ]: dropped
            continue
        prev = s[:a].rstrip(" ")[-1:]
        trailing = not s[i:].strip(MASK + " \t")
        if kind != "html" and prev != "]" and not trailing:
            last = out[-1][-1:] if out else ""
            if last and last.isascii() and last.isalnum():
                out.append(" ")
                where.append((line_no, a + 1))
            out.append("Q")
            where.append((line_no, a + 1))
    if i < len(s):
        out.append(s[i:])
        where.extend(zip(repeat(line_no), range(i + 1, len(s) + 1)))
    return "".join(out), where


_MARKUP_RE = re.compile(re.escape(MASK) + r"+|\*\*|__|[][]")


def _cells(line_no: int, prose: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """The cells of a table row, each with its column map."""
    cells = []
    i = 0
    n = len(prose)
    cell_start = 0
    stripped = prose.lstrip()
    if stripped.startswith("|"):
        cell_start = prose.index("|") + 1
        i = cell_start
    while i <= n:
        if i == n or (prose[i] == "|" and (i == 0 or prose[i - 1] != "\\")):
            chunk = prose[cell_start:i]
            if chunk.strip(MASK + " \t"):
                text, where = _clean(line_no, " " * cell_start + chunk, "text")
                cells.append((text, where))
            cell_start = i + 1
        i += 1
    return cells


def units(text: str, lines=None) -> list[Unit]:
    """Sentences and labels of a page in source order (``lines``: its prose_lines, if known)."""
    lines = prose_lines(text) if lines is None else lines
    out: list[Unit] = []
    block_text: list[str] = []
    block_where: list[tuple[int, int]] = []
    block_kind = "text"
    block_item = False

    def flush():
        nonlocal block_text, block_where
        joined = "".join(block_text)
        if joined.strip():
            last = 0
            for m in list(_SENTENCE_END.finditer(joined)) + [None]:
                end = m.end() if m else len(joined)
                piece = joined[last:end]
                lead = len(piece) - len(piece.lstrip())
                if piece.strip():
                    out.append(Unit("sentence", piece.strip(), block_where[last + lead:last + lead + len(piece.strip())],
                                    block_kind, block_item))
                last = end
        block_text, block_where = [], []

    for index, pl in enumerate(lines):
        raw = pl.prose
        if pl.kind == "skip" or not raw.strip(MASK + " \t"):
            flush()
            continue
        is_table = raw.lstrip().startswith("|") or (raw.count("|") >= 2 and pl.kind == "text" and (
            _TABLE_DELIM_RE.match(lines[index + 1].text) if index + 1 < len(lines) else False))
        if pl.kind in ("heading", "title", "term"):
            flush()
            t, w = _clean(pl.number, raw, pl.kind)
            quoted = re.search(r'"([^"]*)"', t) if pl.kind == "title" else None
            if quoted:  # !!! warning "title": the words inside the quotes
                t, w = quoted.group(1), w[quoted.start(1):quoted.end(1)]
            if t.strip():
                out.append(Unit("label", t.strip(), w[len(t) - len(t.lstrip()):], pl.kind))
            continue
        if is_table:
            flush()
            if _TABLE_DELIM_RE.match(pl.text):
                continue
            header = index + 1 < len(lines) and bool(_TABLE_DELIM_RE.match(lines[index + 1].text))
            for t, w in _cells(pl.number, raw):
                lead = len(t) - len(t.lstrip())
                unit = Unit("label" if header else "sentence", t.strip(), w[lead:lead + len(t.strip())], "table", True)
                if header:
                    out.append(unit)
                else:
                    out.extend(_split(unit))
            continue
        starts_item = bool(_LIST_RE.match(raw)) or bool(_DEF_RE.match(raw))
        if starts_item or pl.kind != block_kind:
            flush()
            block_item = starts_item
        block_kind = pl.kind
        t, w = _clean(pl.number, raw, pl.kind)
        if block_text:
            block_text.append(" ")
            block_where.append(block_where[-1])
        block_text.append(t)
        block_where.extend(w)
    flush()
    return out


def _split(unit: Unit) -> list[Unit]:
    out = []
    last = 0
    for m in list(_SENTENCE_END.finditer(unit.text)) + [None]:
        end = m.end() if m else len(unit.text)
        piece = unit.text[last:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append(Unit(unit.kind, piece.strip(), unit.where[last + lead:last + lead + len(piece.strip())],
                            unit.line_kind, unit.fragment))
        last = end
    return out


_QUOTES = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|'[^'\s][^']*'|「[^」]*」|『[^』]*』")


def mask_quotes(text: str) -> str:
    """Quoted text (UI strings, sayings) becomes ``Q`` runs of the same length: not prose."""
    return _QUOTES.sub(lambda m: "Q" * len(m.group(0)), text)


# --------------------------------------------------------------------------------------------
# Rules over morphemes

_PARTICLE_TAGS = {"JKS", "JKO", "JX", "JC", "JKB"}
_LATIN_WORD = re.compile(r"([A-Za-z0-9][A-Za-z0-9.+_-]*)$")


def _pair(form: str, tag: str) -> tuple[str, str, str] | None:
    """(consonant form, vowel form, name) for a particle that has two forms."""
    if tag == "JX" and form in ("은", "는"):
        return "은", "는", "은/는"
    if tag == "JKS" and form in ("이", "가"):
        return "이", "가", "이/가"
    if tag == "JKO" and form in ("을", "를"):
        return "을", "를", "을/를"
    if tag in ("JC", "JKB") and form in ("과", "와"):
        return "과", "와", "과/와"
    if tag == "JKB" and (form.startswith("으로") or form.startswith("로")):
        rest = form[2:] if form.startswith("으로") else form[1:]
        return "으로" + rest, "로" + rest, "으로/로"
    return None


def _reading(word: str, sheet) -> tuple[str | None, str]:
    """(reading, source) of a Latin word or number as it stands before a particle."""
    data = sheet.reading(word)
    if data:
        return data, "data/readings.yml"
    if re.fullmatch(r"\d[\d,]*(\.\d+)*", word):
        return korean.read_number(word), "Sino-Korean number"
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", word)
    if m and (sheet.reading(m.group(1)) or len(m.group(1)) <= 2):
        return korean.read_latin_number(m.group(2)[-1]), "English digits after a Latin prefix"
    acronym = korean.read_acronym(word)
    if acronym:
        return acronym, "capitals read letter by letter"
    if word in ("x", "X"):
        return "엑스", "the letter x (26.03.x)"
    if re.fullmatch(r"v\d[\d.]*", word):
        return korean.read_number(word[1:]), "Sino-Korean number"
    parts = re.split(r"[-.]", word)
    if len(parts) > 1 and parts[-1]:
        return _reading(parts[-1], sheet)
    # a plural or a word whose last part is known: Pipelines -> data for Pipelines only
    return None, ""


def _governing(text: str, start: int, sheet) -> tuple[str, str | None, str] | None:
    """(word, reading, source) that the particle at ``start`` attaches to, or None when it is
    not a Latin word, a number, or a word before an English gloss in parentheses."""
    if start == 0:
        return None
    before = text[:start]
    if before.endswith(")"):
        depth = 0
        for j in range(len(before) - 1, -1, -1):
            if before[j] == ")":
                depth += 1
            elif before[j] == "(":
                depth -= 1
                if depth == 0:
                    inner = before[j + 1:-1]
                    if not inner or not re.match(r"[A-Za-z]", inner):
                        return None  # a Korean aside: the particle may read it
                    head = before[:j]
                    if head and korean.is_syllable(head[-1]):
                        m = re.search(r"[가-힣]+$", head)
                        return m.group(0), head[-1], "Korean word before the gloss"
                    if head and head[-1].isascii() and head[-1].isalnum():
                        return _governing(head + "는", len(head), sheet)
                    return None
        return None
    m = _LATIN_WORD.search(before)
    if not m:
        return None
    word = m.group(1).rstrip(".")
    if not word or word.strip("Q") == "":
        return None
    reading, source = _reading(word, sheet)
    return word, reading, source


_SURFACE = ("으로", "은", "는", "이", "가", "을", "를", "과", "와", "로")
_SURFACE_TAG = {"은": "JX", "는": "JX", "이": "JKS", "가": "JKS", "을": "JKO", "를": "JKO",
                "과": "JC", "와": "JC", "으로": "JKB", "로": "JKB"}


#: a Hangul syllable right after an ASCII letter, digit or ")": where a particle can touch a word
_AFTER_LATIN = re.compile(f"(?<=[A-Za-z0-9)])[{chr(korean.HANGUL_FIRST)}-{chr(korean.HANGUL_LAST)}]")


def _particles(analysed: str, tokens):
    """(start, form, tag) of each particle touching the word before it. Kiwi's tag decides
    where it has one (이 as a copula is not a particle); where Kiwi reads a wrong particle as
    something else (Katib는 as 늘다), a particle-shaped syllable standing alone before a space
    or punctuation still counts."""
    by_start: dict[int, list] = {}
    for tok in tokens:
        by_start.setdefault(tok.start, []).append(tok)
    for m in _AFTER_LATIN.finditer(analysed):
        i = m.start()
        here = by_start.get(i, [])
        tagged = next((t for t in here if _pair(t.form, t.tag)), None)
        if tagged is not None:
            yield i, tagged.form, tagged.tag
            continue
        if any(t.tag.startswith("VCP") for t in here):
            continue
        for form in _SURFACE:
            after = analysed[i + len(form):i + len(form) + 1]
            if analysed.startswith(form, i) and not (after and korean.is_syllable(after)):
                yield i, form, _SURFACE_TAG[form]
                break


def particle_findings(unit: Unit, analysed: str, tokens, sheet, path: str, unknown: dict) -> list[Finding]:
    findings = []
    for start, form, tag in _particles(analysed, tokens):
        pair = _pair(form, tag)
        if pair is None:
            continue
        gov = _governing(analysed, start, sheet)
        if gov is None:
            continue
        word, reading, source = gov
        if reading is None:
            unknown[word] = unknown.get(word, 0) + 1
            continue
        fin = korean.final(reading)
        if fin is None:
            continue
        consonant_form, vowel_form, name = pair
        if name == "으로/로":
            right = consonant_form if fin not in ("", "ㄹ") else vowel_form
        else:
            right = consonant_form if fin else vowel_form
        if form != right:
            line, col = unit.pos(start)
            said = f"'{word}' is read {reading}" if source != "Korean word before the gloss" else f"the particle follows '{word}'"
            findings.append(Finding(path, line, "style-particle",
                                    f"'{word}{form}' → '{word}{right}' ({said}; {name}, column {col})",
                                    f"write {right}"))
    return findings


_HAEYO = re.compile(r"요$|^죠$|^지요$")


_ADMONITION = re.compile(r"^([ \t]*)(?:!!!|\?\?\?\+?)[ \t]+([\w-]+)")


def admonition_kinds(text: str) -> dict[int, str]:
    """Line number -> type of the admonition (warning, note ...) whose title or body holds it.

    A body is every following line that is blank or indented deeper than the title line;
    nested admonitions give their own type to their lines."""
    kinds: dict[int, str] = {}
    open_blocks: list[tuple[int, str]] = []  # (indent of the title line, type)
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            expanded = line.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip())
            while open_blocks and indent <= open_blocks[-1][0]:
                open_blocks.pop()
            m = _ADMONITION.match(line)
            if m:
                open_blocks.append((indent, m.group(2).lower()))
        if open_blocks:
            kinds[number] = open_blocks[-1][1]
    return kinds


def register_findings(unit: Unit, tokens, sheet, path: str, kinds: dict[int, str] | None = None) -> list[Finding]:
    findings = []
    for k, tok in enumerate(tokens):
        if tok.tag == "EF":
            if tok.form in sheet.allowed_endings:
                continue
            if tok.form in sheet.honorific_endings and k > 0 and tokens[k - 1].tag == "EP" \
                    and tokens[k - 1].form in ("시", "으시"):
                line, col = unit.pos(tok.start)
                where = (kinds or {}).get(line)
                if sheet.imperative_in is None or where in sheet.imperative_in:
                    continue
                word = unit.text[max(0, tok.start - 4):tok.end].strip()
                places = ", ".join(f"!!! {t}" for t in sorted(sheet.imperative_in))
                inside = f"a '{where}' admonition" if where else "plain prose"
                findings.append(Finding(path, line, "style-register",
                                        f"-십시오 in '…{word}' (column {col}) in {inside}: the guide keeps "
                                        f"-십시오 for {places}",
                                        "write the step in -ㅂ니다/-습니다 (확인합니다), or make it a warning"))
                break
            if unit.fragment and tok.form in sheet.fragment_endings:
                continue
            kind = "해요체" if _HAEYO.search(tok.form) else "해라체/반말"
        elif tok.tag == "JX" and tok.form == "요" and k == len(tokens) - 1 or (
                tok.tag == "JX" and tok.form == "요" and k + 1 < len(tokens) and tokens[k + 1].tag == "SF"):
            kind = "해요체"
        else:
            continue
        line, col = unit.pos(tok.start)
        word = unit.text[max(0, tok.start - 4):tok.end].strip()
        findings.append(Finding(path, line, "style-register",
                                f"{kind} ending '-{tok.form}' in '…{word}' (column {col}): the guide writes 합니다체",
                                "end the sentence with -ㅂ니다/-습니다 (or -십시오 for an instruction)"))
        break  # one finding per sentence
    return findings


# Kiwi sometimes tags a particle glued to a number or a Latin word as a noun (8080을 -> 을/NNG):
# such a syllable ends a 의 chain like the particle it is.
_PARTICLE_SHAPED = {"은", "는", "이", "가", "을", "를", "에", "와", "과", "로", "으로", "도", "만"}
_NOMINAL = {"NNG", "NNP", "NNB", "NR", "NP", "SL", "SN", "SH", "XSN", "XPN", "XR", "MM"}


def genitive_findings(unit: Unit, analysed: str, tokens, sheet, path: str) -> list[Finding]:
    if sheet.genitive_chain <= 0:
        return []
    findings = []
    chain: list = []
    previous = None
    for tok in tokens:
        glued = previous is not None and previous.tag in ("SN", "SL") and previous.end == tok.start
        if tok.tag == "JKG" and tok.form == "의" and analysed[tok.start:tok.end] == "의":  # not 내 (나+의)
            chain.append(tok)
        elif tok.tag in _NOMINAL and not (glued and tok.form in _PARTICLE_SHAPED):
            previous = tok
            continue
        else:
            if len(chain) >= sheet.genitive_chain:
                findings.append(_genitive(unit, chain, path))
            chain = []
        previous = tok
    if len(chain) >= sheet.genitive_chain:
        findings.append(_genitive(unit, chain, path))
    return findings


def _genitive(unit: Unit, chain, path: str) -> Finding:
    first, last = chain[0], chain[-1]
    line, col = unit.pos(first.start)
    start = max(0, unit.text.rfind(" ", 0, first.start) + 1)
    end = unit.text.find(" ", last.end + 1)
    phrase = unit.text[start:end if end != -1 else len(unit.text)]
    return Finding(path, line, "style-genitive",
                   f"{len(chain)} '의' in one chain: '{phrase}' (column {col})",
                   "drop a 의 (쿠버네티스 컴포넌트) or rephrase with a verb", WARNING)


# --------------------------------------------------------------------------------------------
# Rules over prose lines (no morphemes needed)


def _is_punct(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch)[0] in "PS"


def _is_alnum(ch: str) -> bool:
    return bool(ch) and (ch.isalnum())


def markup_findings(text: str, path: str, lines=None) -> list[Finding]:
    findings = []
    for pl in (prose_lines(text) if lines is None else lines):
        if pl.kind == "skip" or "**" not in pl.prose:
            continue
        positions = [m.start() for m in re.finditer(r"(?<!\*)\*\*(?!\*)", pl.prose)]
        src = pl.text
        for open_, close in zip(positions[::2], positions[1::2]):
            before_close = src[close - 1] if close > 0 else ""
            after_close = src[close + 2] if close + 2 < len(src) else ""
            after_open = src[open_ + 2] if open_ + 2 < len(src) else ""
            before_open = src[open_ - 1] if open_ > 0 else ""
            inner = src[open_ + 2:close]
            if _is_punct(before_close) and _is_alnum(after_close):
                m = re.match(r"(.*?)\s*([(`].*)$", inner)
                fix = (f"**{m.group(1)}**{m.group(2)}{after_close}" if m and m.group(1) and inner.endswith(")") else
                       f"{inner}{after_close}" if inner.startswith("`") and inner.endswith("`") else
                       f"**{inner}** {after_close}")
                findings.append(Finding(path, pl.number, "style-markup",
                                        f"'**{inner}**{after_close}' (column {open_ + 1}): CommonMark does not close "
                                        f"bold after '{before_close}' when a letter follows (GitHub and editors show the asterisks)",
                                        f"write {fix}", WARNING))
            elif _is_punct(after_open) and _is_alnum(before_open):
                findings.append(Finding(path, pl.number, "style-markup",
                                        f"'{before_open}**{inner}**' (column {open_ + 1}): CommonMark does not open "
                                        f"bold before '{after_open}' right after a letter",
                                        "put a space before the bold or move the punctuation outside it", WARNING))
    return findings


def spelling_findings(text: str, path: str, sheet, lines=None) -> list[Finding]:
    if not sheet.spellings:
        return []
    by_wrong = {s.wrong: s for s in sheet.spellings}
    found_by = matcher(by_wrong)
    findings = []
    for pl in (prose_lines(text) if lines is None else lines):
        if pl.kind == "skip":
            continue
        prose = pl.prose.replace("·", " ")
        for start, _end, found in found_by.finditer(prose):
            s = by_wrong[found]
            findings.append(Finding(path, pl.number, "style-spelling",
                                    f"'{found}' → '{s.right}' ({s.why}, column {start + 1})", f"write {s.right}"))
    return findings


def _gloss_terms(terms):
    """ko spellings -> terms (several senses may share one ko)."""
    out: dict[str, list] = {}
    for t in terms:
        if not re.search("[가-힣]", t.ko):
            continue
        for sp in [t.ko, *t.match]:
            out.setdefault(sp, []).append(t)
    return out


_BOLD_GAP = re.compile(r"\*\*(?=\()")  # **term**(English): the gloss after the closing bold


def _gloss_after(prose: str, end: int) -> tuple[str | None, bool]:
    """(the English in parentheses right after a term ending at ``end``, whether the term is
    set in bold: ``**term**(English)`` or ``**term(English)**``)."""
    bold = False
    m = _BOLD_GAP.match(prose, end)
    if m:
        end, bold = m.end(), True
    if end < len(prose) and prose[end] == "(":
        close = prose.find(")", end)
        if close != -1 and re.fullmatch(r"[A-Za-z][A-Za-z0-9 ,.'/-]*", prose[end + 1:close]):
            return prose[end + 1:close], bold or prose.startswith("**", close + 1)
    return None, bold


def _first_cell(pl, start: int) -> bool:
    lead = len(pl.text) - len(pl.text.lstrip())
    return pl.text.lstrip().startswith("|") and start <= lead + 2


def first_use_findings(text: str, path: str, terms, lines=None) -> list[Finding]:
    """First use of a term with its English, no repeats, and the glossary's English.

    Not a use: front matter, link texts and image alts, quoted text (a mention or a UI
    string: '네임스페이스(Namespace)'처럼 씁니다), headings and figure captions (labels: they
    need no English, and one that gives it does not count as the first use unless glossed).
    A term's definition may repeat the English once: a definition-list term, a bold term
    (``**term**(English)``, the guide's mark for where a term is explained) or the first cell of
    a table row; that is where a reader looks the English up.
    """
    by_spelling = _gloss_terms(terms)
    if not by_spelling:
        return []
    found_by = matcher(by_spelling)
    by_en = _by_english(terms)
    seen: set[str] = set()  # terms used on the page so far (outside labels)
    glossed_at: dict[str, int] = {}  # term key -> line where its English was first given
    missed: dict[str, int] = {}  # term key -> line of a first use that lacks the English
    defined: set[str] = set()  # terms whose definition repeated the English already
    findings = []
    for pl in (prose_lines(text) if lines is None else lines):
        if pl.kind in ("skip", "meta"):
            continue
        prose = pl.prose
        quoted = [(m.start(), m.end()) for m in _QUOTES.finditer(prose)]
        label = pl.kind in ("heading", "title") or "<figcaption" in pl.text
        for start, end, found in found_by.finditer(prose):
            if any(a <= start < b for a, b in pl.no_link) or any(a <= start < b for a, b in quoted):
                continue  # link texts, image alts and quotes: no gloss there
            candidates = by_spelling[found]
            key = candidates[0].ko
            gloss, bold = _gloss_after(prose, end)
            bold = bold or prose.startswith("**", max(0, start - 2)) and start >= 2
            wants = [t for t in candidates if t.tooltip and getattr(t, "first_en", True) and t.ko == found]
            if gloss is not None:
                items = [x.strip() for x in gloss.split(",")]
                ens = {t.en for t in candidates} | {t.abbr for t in candidates if t.abbr}
                if pl.kind in ("heading", "title", "term") or _first_cell(pl, start):
                    ens = ens | {e[:1].upper() + e[1:] for e in ens}  # sentence case in a label
                ok = any(x in ens or x.rstrip("s") in ens for x in items)
                if not ok:
                    folded = {e.casefold(): e for e in ens}
                    near = next((folded[x.casefold()] for x in items if x.casefold() in folded
                                 or x.rstrip("s").casefold() in folded), None)
                    want = near or " / ".join(sorted(e for e in ens if e not in {t.abbr for t in candidates}))
                    other = next((o for x in items for o in by_en.get(x.casefold(), []) if o.ko != found), None)
                    hint = (f"write ({want})" if near else
                            f"'{gloss}' is {other.ko} in the glossary: write {other.ko}" if other else
                            "use the glossary's English or change data/glossary.yml")
                    findings.append(Finding(path, pl.number, "style-english",
                                            f"'{found}({gloss})': the glossary writes {found}({want}) (column {start + 1})",
                                            hint))
                definition = pl.kind == "term" or bold or _first_cell(pl, start)
                if (key in glossed_at or key in missed) and ok:
                    if definition and key not in defined:
                        defined.add(key)
                    else:
                        where = (f"repeats the English given at line {glossed_at[key]}" if key in glossed_at
                                 else f"comes after the first use at line {missed[key]}, which needs it")
                        findings.append(Finding(path, pl.number, "style-first-use",
                                                f"'{found}({gloss})' {where} (column {start + 1})",
                                                f"write {found} alone after its first use", WARNING))
                glossed_at.setdefault(key, pl.number)
            elif key not in seen and wants and not label:
                t = wants[0]
                missed[key] = pl.number
                findings.append(Finding(path, pl.number, "style-first-use",
                                        f"first use of '{found}' on this page without its English (column {start + 1})",
                                        f"write {found}({t.en}) here", WARNING))
            if gloss is not None or not label:
                seen.add(key)
    return findings


_GLOSS_RE = re.compile(r"(?:\*\*)?\(([A-Za-z][A-Za-z0-9 ,.'/-]*)\)")


def _by_english(terms) -> dict[str, list]:
    out: dict[str, list] = {}
    for t in terms:
        out.setdefault(t.en.casefold(), []).append(t)
    return out


def sense_findings(text: str, path: str, terms, lines=None) -> list[Finding]:
    """A Korean word glossed with a glossary term's English must be that term: the English
    says which sense is meant, so ``주석(annotation)`` is the term 어노테이션 and
    ``저장소(repository)`` the term 리포지터리. (A gloss after a glossary term itself is
    :func:`first_use_findings`' business.)"""
    by_en = _by_english(terms)
    by_spelling = _gloss_terms(terms)
    findings = []
    for pl in (prose_lines(text) if lines is None else lines):
        if pl.kind in ("skip", "meta"):
            continue
        prose = pl.prose
        for m in _GLOSS_RE.finditer(prose):
            head = prose[:m.start()]
            word = re.search(r"[가-힣]+$", head)
            if not word:
                continue  # not right after a Korean word
            if any(a <= m.start() < b for a, b in pl.no_link):
                continue
            phrase = head.rstrip("*")
            if any(phrase.endswith(sp) for sp in by_spelling):
                continue  # a glossary term: first_use_findings checks its English
            for item in (x.strip() for x in m.group(1).split(",")):
                wanted = by_en.get(item.casefold()) or by_en.get(item.rstrip("s").casefold())
                wanted = [t for t in wanted or () if re.search("[가-힣]", t.ko)]
                if not wanted:
                    continue  # a name kept in English (IR YAML, SeaweedFS) is an example, not a gloss
                t = wanted[0]
                if any(phrase.endswith(sp) for sp in [t.ko, *t.match]):
                    continue
                right = f"{t.ko}({t.en})" if re.search("[가-힣]", t.ko) else t.ko
                findings.append(Finding(path, pl.number, "style-english",
                                        f"'{word.group(0)}({m.group(1)})': the glossary's word for '{t.en}' is "
                                        f"{t.ko} (column {word.start() + 1})", f"write {right}"))
                break
    return findings


def long_sentence_findings(unit: Unit, sheet, path: str) -> list[Finding]:
    if sheet.long_sentence <= 0 or unit.kind != "sentence" or unit.line_kind == "meta" or unit.text.startswith("!"):
        return []  # front matter descriptions and image alt texts describe a page or a figure
    count = korean.syllables(unit.text)
    if count <= sheet.long_sentence:
        return []
    line, _ = unit.pos(0)
    head = unit.text[:24].rstrip()
    return [Finding(path, line, "style-long-sentence",
                    f"sentence of {count} Hangul syllables (more than {sheet.long_sentence}): '{head}…'",
                    "split it in two", WARNING)]


# --------------------------------------------------------------------------------------------
# Suppressions

_ALLOW_RE = re.compile(r"<!--\s*style:\s*allow\s+([a-z0-9 ,-]+?)\s*-->")


def _allowed(text: str) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    lines = text.split("\n")
    for i, line in enumerate(lines, 1):
        for m in _ALLOW_RE.finditer(line):
            rules = set(re.split(r"[\s,]+", m.group(1).strip()))
            out.setdefault(i, set()).update(rules)
            if not _ALLOW_RE.sub("", line).strip():
                out.setdefault(i + 1, set()).update(rules)
    return out


# --------------------------------------------------------------------------------------------
# The check


@dataclass
class PageResult:
    findings: list[Finding]
    sentences: list[str] = field(default_factory=list)


def check_text(text: str, path: str, sheet, terms=(), analyser: korean.Analyser | None = None,
               unknown: dict | None = None) -> PageResult:
    """Every style finding in one Korean page source."""
    unknown = {} if unknown is None else unknown
    findings: list[Finding] = []
    lines = prose_lines(text)  # read once, shared by every rule
    findings += spelling_findings(text, path, sheet, lines)
    if sheet.markup:
        findings += markup_findings(text, path, lines)
    if sheet.first_use and terms:
        findings += first_use_findings(text, path, terms, lines)
    if terms:
        findings += sense_findings(text, path, terms, lines)
    sentence_units = units(text, lines)
    analysed = [mask_quotes(u.text) for u in sentence_units]
    if analyser is None:
        analyser = korean.Analyser(None)
    token_lists = analyser.analyse(analysed) if analysed else []
    kinds = admonition_kinds(text) if sheet.imperative_in is not None else None
    for unit, atext, tokens in zip(sentence_units, analysed, token_lists):
        findings += particle_findings(unit, atext, tokens, sheet, path, unknown)
        if unit.kind == "sentence":
            findings += register_findings(unit, tokens, sheet, path, kinds)
            findings += genitive_findings(unit, atext, tokens, sheet, path)
            findings += long_sentence_findings(unit, sheet, path)
        elif unit.line_kind in ("heading", "title"):
            # a heading or an admonition title may be a noun phrase or a question in 해라체
            # (무엇부터 쓸까, 무엇이 어디에 저장되나), but never 해요체 (설치하지 마세요)
            findings += [f for f in register_findings(unit, tokens, sheet, path) if "해요체" in f.message]
    allowed = _allowed(text)
    kept = [f for f in findings if f.check not in allowed.get(f.line, ())]
    return PageResult(sorted(set(kept)), analysed)


def data_findings(sheet, problems, terms) -> list[Finding]:
    findings = [Finding(p, line, "style-data", message) for p, line, message in problems]
    for t in terms:
        names = []
        if not re.search("[가-힣]", t.ko):
            names.append(t.ko)
        if t.abbr:
            names.append(t.abbr)
        for name in names:
            last = re.split(r"[\s/]+", name.strip())[-1]
            reading, _ = _reading(last, sheet)
            if reading is None:
                findings.append(Finding(GLOSSARY_PATH, t.line, "style-data",
                                        f"'{name}': no reading for '{last}' (the particle rule needs it)",
                                        f"add '{last}: <Hangul reading>' to {style_model.READINGS_PATH}"))
    return findings


# Pages checked in this process: path -> (text hash, findings). ``changed`` scope reuses them.
_memo: dict[tuple[str, str], tuple[str, list[Finding]]] = {}
#: figures of the last run, for the runner's summary and the benchmark
LAST_RUN: dict[str, object] = {}


# --------------------------------------------------------------------------------------------
# Findings kept between runs

#: The files besides the page itself whose bytes decide a page's style findings. With the
#: analyser's version they make the context of the findings store (kfguide.model.memo adds the
#: code): change any of them and every page is checked again.
CONTEXT_FILES = (style_model.STYLE_PATH, style_model.READINGS_PATH, GLOSSARY_PATH)
FINDINGS_STORE = "style-findings"  # .cache/kfguide/style-findings.json


def findings_context(root: Path | str) -> str:
    """What every page's cached findings depend on besides the page (see :data:`CONTEXT_FILES`)."""
    parts = [korean.analyser_version()]
    for rel in CONTEXT_FILES:
        try:
            parts.append(memo.digest(rel, (Path(root) / rel).read_bytes()))
        except OSError:
            parts.append(memo.digest(rel, "missing"))
    return memo.digest(parts)


@dataclass
class CachedPage:
    findings: list[Finding]
    keys: list[str]  # the analyser's keys of the page's sentences (its morpheme cache keeps them)
    unknown: dict[str, int]  # words without a reading, as counted for this page

    def to_json(self) -> dict:
        return {"findings": [f.as_row() for f in self.findings], "keys": self.keys, "unknown": self.unknown}

    @classmethod
    def from_json(cls, data: object) -> "CachedPage | None":
        """The page :meth:`to_json` wrote, or None for anything else (it is checked again)."""
        try:
            keys, unknown = data["keys"], data["unknown"]
            if not (all(isinstance(k, str) for k in keys)
                    and all(isinstance(w, str) and isinstance(n, int) for w, n in unknown.items())):
                return None
            return cls([Finding.from_row(f) for f in data["findings"]], list(keys), dict(unknown))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def check_style(site, root=None) -> list[Finding]:
    """The registered check: every Korean page of ``site`` against the project's style sheet.

    With scope ``all`` over the project's own pages, each page's findings are kept in a
    :class:`kfguide.model.memo.DiskStore` (``.cache/kfguide/style-findings.json``): a page whose
    text and context (:func:`findings_context`, the code) did not change is not read again (no
    morpheme analysis, not even the morpheme cache's load when no page changed)."""
    import time

    started = time.perf_counter()
    scope = getattr(site.config, "style_scope", "all")
    if root is None or scope == "off":
        return []
    sheet, problems = style_model.load(root)
    if sheet is None:
        return []
    from kfguide.checks import glossary  # noqa: PLC0415 - same layer, loaded only when needed

    terms, _ = glossary.load(Path(root) / GLOSSARY_PATH, root=root)
    findings = data_findings(sheet, problems, terms)
    # Drop sentences no page holds any more only when this run saw the project's own pages: a
    # run over pages elsewhere (a test's fixture folder checked with the project's sheet) would
    # otherwise shrink the project's cache to that folder's sentences, and the next build of the
    # guide would analyse everything again (seconds, with the Kiwi model load). The same guard
    # keeps such a run out of the findings cache.
    own_pages = site.cache_root is not None and Path(site.cache_root).resolve() == Path(root).resolve()
    cache_file = Path(root) / sheet.cache
    stored = memo.disk_store(root if scope == "all" and own_pages else None, FINDINGS_STORE,
                             findings_context(root), load=CachedPage.from_json, dump=CachedPage.to_json)
    # under mkdocs serve ("changed"), Kiwi runs in a child process: it holds the GIL for seconds
    analysers: list[korean.Analyser] = []
    before: dict = {}

    def analyser() -> korean.Analyser:
        if not analysers:
            analysers.append(korean.shared_analyser(cache_file, worker=scope == "changed"))
            before.update(analysers[0].stats)  # the analyser lives as long as the process (mkdocs serve)
        return analysers[0]

    unknown: dict[str, int] = {}
    keep: list[str] = []
    keep_keys: list[str] = []
    checked = cached = 0
    try:
        for path, _doc in sorted(site.pages.items()):
            info = site.files.get(path)
            if info is not None and info.localization not in (None, site.config.default_language):
                continue
            if site.docs_dir is None:
                continue
            try:
                text = (Path(site.docs_dir) / path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # the page checks report unreadable pages
            digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
            memo_key = (str(root), path)
            previous = _memo.get(memo_key)
            if scope == "changed" and (previous is None or previous[0] == digest):
                if previous is None:
                    _memo[memo_key] = (digest, [])
                findings.extend(previous[1] if previous else [])
                continue
            stored_key = memo.digest(path, digest)
            hit = stored.get(stored_key)
            if hit is None:
                page_unknown: dict[str, int] = {}
                result = check_text(text, path, sheet, terms, analyser(), page_unknown)
                checked += 1
                keep.extend(result.sentences)
                hit = CachedPage(result.findings, [analyser().key(s) for s in result.sentences], page_unknown)
                stored.put(stored_key, hit)
            else:
                cached += 1
                keep_keys.extend(hit.keys)
            for word, count in hit.unknown.items():
                unknown[word] = unknown.get(word, 0) + count
            _memo[memo_key] = (digest, hit.findings)
            findings.extend(hit.findings)
    except korean.AnalyserUnavailable as exc:
        # a missing or dead analyser is an install problem, not a bug in a check: say what to run
        return findings + [Finding(style_model.STYLE_PATH, 1, "style-unavailable",
                                   f"the Korean style check cannot run: {exc}",
                                   "`make build` or `make serve` installs requirements.lock into .venv; "
                                   "KFGUIDE_STYLE=0 leaves the check out")]
    if analysers:
        analysers[0].save(keep if scope == "all" and own_pages else None, keep_keys)
    stored.save()
    stats = analysers[0].stats if analysers else {}
    LAST_RUN.clear()
    LAST_RUN.update(pages=checked, cached_pages=cached, seconds=round(time.perf_counter() - started, 3),
                    unknown_words=dict(sorted(unknown.items())),
                    **{k: v - before.get(k, 0) for k, v in stats.items()})
    return findings
