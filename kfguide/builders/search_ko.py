"""Korean search for Material's lunr index: particle-aware tokens and compound forms.

Material for MkDocs searches with lunr. For Korean it has no stemmer, and it turns every query
term into a prefix query (``서버`` -> ``서버*``). That already finds ``서버를`` from ``서버``, but
not ``메뉴는`` from ``메뉴를``, not ``대시보드`` from ``보드``, and not ``포트 포워딩`` from
``포트포워딩``. This module fixes that with two small, pure pieces:

1. :func:`separator` builds the ``search.separator`` regular expression. Besides whitespace and
   punctuation it consumes one particle or ending (``를``, ``에서``, ``으로``, ``합니다`` ...) at
   the end of a word, so ``메뉴를`` and ``메뉴는`` both become the token ``메뉴``. lunr applies
   the same separator to the page text and to the query, so the two sides always agree. A
   particle is only removed when at least :data:`MIN_STEM` syllables stay in front of it, so
   ``국가`` stays ``국가`` (a plain "split before 가" rule would make it ``국`` + ``가``), and
   :data:`KEEP` lists nouns whose last syllable only looks like a particle (``워크플로``).
   :func:`stem` is the same rule in Python (tests check that the two agree).

2. :func:`augment_index` adds, to each search entry, the forms a reader may type that the
   separator cannot produce: the parts of compound nouns (``대시보드`` -> ``대시``, ``보드``),
   the joined form of two-word terms (``포트 포워딩`` -> ``포트포워딩``) and the spellings the
   glossary lists as variants (``대쉬보드``). They go into one ``<p hidden>`` element at the end
   of the entry's ``text``: Material indexes the words inside it, and the search preview, which
   renders ``text`` as HTML, does not show a hidden element.

Nothing here imports MkDocs; ``hooks/search_ko.py`` is the adapter.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from kfguide.model import memo

#: Particles and endings removed from the end of a word (one per word, the longest first).
PARTICLES: tuple[str, ...] = (
    # case and topic particles
    "을", "를", "이", "가", "은", "는", "에", "의", "와", "과", "도", "만", "로",
    "으로", "에서", "에게", "한테", "까지", "부터", "처럼", "보다", "마다", "이나", "이란",
    "라는", "이라는", "라고", "이라고", "이라면",
    # particle combinations
    "에서는", "에서도", "에서의", "에는", "에도", "으로는", "으로도", "으로서", "으로써",
    "로는", "로도", "로서", "로써", "와는", "과는", "와의", "과의", "까지는", "부터는", "에게서",
    "만으로", "에만", "에서만", "로만", "으로만", "이며", "이고", "이다",
    # plural 들 with a particle (단계들을 -> 단계)
    "들이", "들을", "들의", "들은", "들과", "들도", "들에", "들로",
    # 하다 / 되다 / 이다 endings after a noun (설치합니다 -> 설치)
    "하는", "하고", "하여", "해서", "하면", "하려면", "하기", "합니다", "했습니다", "하세요",
    "되는", "됩니다", "되어", "된다", "입니다", "이에요", "예요",
    # 해요체 endings readers type when they describe a problem (실패해요, 중지돼요 -> the noun)
    "해요", "했어요", "돼요", "됐어요", "되요",
)

#: Syllables that must stay in front of a removed particle.
MIN_STEM = 2

#: An added form is repeated at most this often per entry (lunr's term frequency saturates).
MAX_REPEAT = 3

#: Words whose ending looks like a particle but is part of the noun.
KEEP: frozenset[str] = frozenset({
    "워크플로", "텐서플로", "게이트웨이", "디스플레이", "정확도", "중요도", "유사도", "정밀도",
    "전문가", "재정의", "하이퍼바이저",
})

#: Compound nouns a reader may search for by one part (part -> compound is infix in lunr).
COMPOUNDS: Mapping[str, tuple[str, ...]] = {
    "대시보드": ("대시", "보드"),
    "하이퍼파라미터": ("하이퍼", "파라미터"),
    "포트포워딩": ("포트", "포워딩"),
    "네임스페이스": ("네임", "스페이스"),
    "텐서보드": ("텐서", "보드"),
    "머신러닝": ("머신", "러닝"),
    "오픈소스": ("오픈", "소스"),
    "데이터셋": ("데이터", "셋"),
}

HANGUL = "가-힣"
# Characters that separate words, as in Material's English default plus Korean punctuation and
# the underscore (ERR_CONNECTION_REFUSED, pipeline_root: each part is a word a reader types).
_PUNCT = r"""\s\-_,:;!?=\[\]()"`/·…‘’“”「」『』<>"""
# Closing punctuation a particle may follow: "(Namespace)와", "'Run'을".
_CLOSE = r"""\)\]'"’”」』"""
_WORD = re.compile(rf"[{HANGUL}A-Za-z0-9]+")
_TAG = re.compile(r"<[^>]*>")
_HANGUL_WORD = re.compile(rf"^[{HANGUL}]+$")


def _particles_longest_first() -> tuple[str, ...]:
    return tuple(sorted(set(PARTICLES), key=lambda p: (-len(p), p)))


def _blocked_stems() -> tuple[str, ...]:
    """Stems after which no particle is removed: each KEEP word minus its particle-like end."""
    stems = set()
    for word in KEEP:
        for particle in PARTICLES:
            if word.endswith(particle) and len(word) > len(particle):
                stems.add(word[: -len(particle)])
    return tuple(sorted(stems))


class _Stemmer:
    """:func:`stem` compiled once from :data:`PARTICLES`, :data:`KEEP` and :data:`MIN_STEM`.

    A word has at most one ending of each length, so instead of trying every particle in turn
    the stemmer looks the word's last 1..n characters up in a set, longest first (the same
    order as :func:`_particles_longest_first`). Results are cached per word, so the cost of an
    index grows with its distinct words, not with its tokens. The tables are rebuilt when one
    of the three constants changes (tests may patch them).
    """

    def __init__(self) -> None:
        self._key: tuple = ()
        self._cache: dict[str, str] = {}

    def _compile(self) -> None:
        key = (PARTICLES, KEEP, MIN_STEM)
        if key == self._key:
            return
        particles = _particles_longest_first()
        self._lengths = tuple(sorted({len(p) for p in particles}, reverse=True))
        self._particles = frozenset(particles)
        self._blocked = _blocked_stems()
        self._cache = {}
        self._key = key

    def __call__(self, word: str) -> str:
        self._compile()
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self._stem(word)
            if len(self._cache) > 200_000:  # a bound for long-running `mkdocs serve` sessions
                self._cache.clear()
        return found

    def many(self, words: Iterable[str]) -> list[str]:
        """``[self(w) for w in words]``, without a method call per cached word."""
        self._compile()
        cache = self._cache
        return [cache[w] if w in cache else self(w) for w in words]

    def _stem(self, word: str) -> str:
        for n in self._lengths:
            if len(word) <= n or word[-n:] not in self._particles:
                continue
            rest = word[:-n]
            if len(rest) < MIN_STEM or not _STEM_TAIL.fullmatch(rest[-MIN_STEM:]):
                continue
            if rest.endswith(self._blocked):
                continue
            return rest
        return word


_STEM_TAIL = re.compile(rf"[{HANGUL}A-Za-z0-9]+")
_stemmer = _Stemmer()


def stem(word: str) -> str:
    """``word`` without its particle or ending, by the same rule as :func:`separator`.

    >>> stem("서버를"), stem("메뉴는"), stem("국가"), stem("노트북으로")
    ('서버', '메뉴', '국가', '노트북')
    """
    return _stemmer(word)


def separator() -> str:
    """The ``search.separator`` regex (JavaScript syntax; Python's ``re`` accepts it too).

    Whitespace and punctuation separate words, a dot separates unless a digit follows (``v1.6``
    stays one token), HTML entities for < and > separate, camelCase splits (Material's English
    rule), and one particle at the end of a word is consumed as a separator.
    """
    # Built once per value of the constants it reads (tests may patch them): :func:`tokens`
    # asks for it once per text, and building it tests every KEEP word against every particle.
    return _separator(*_constants())


def _constants() -> tuple:
    """What the separator is built from (the cache key of both compiled forms)."""
    return PARTICLES, KEEP, MIN_STEM, _PUNCT, HANGUL, _CLOSE


@functools.lru_cache(maxsize=4)
def _separator(*_key) -> str:
    return _separator_parts(guarded=False)


def _separator_parts(guarded: bool) -> str:
    """The separator regex; ``guarded``: the same matches, for Python's ``re`` only (see
    :func:`_tokens_pattern`)."""
    particles = "|".join(_particles_longest_first())
    blocked = "".join(f"(?<!{re.escape(s)})" for s in _blocked_stems())
    end = rf"(?=[{_PUNCT}.]|&[lg]t;|$)"
    firsts = re.escape("".join(sorted({p[0] for p in PARTICLES})))
    particle_guard = f"(?=[{firsts}])" if guarded else ""
    pattern = (
        rf"[{_PUNCT}]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])"
        rf"|{particle_guard}(?<=[{HANGUL}A-Za-z0-9{_CLOSE}]{{{MIN_STEM}}}){blocked}(?:{particles}){end}"
    )
    if guarded:
        # every alternative starts at (or, zero-width, just before) one of these characters
        pattern = rf"(?=[{_PUNCT}.&A-Z{firsts}])(?:{pattern})"
    return pattern


@functools.lru_cache(maxsize=4)
def _tokens_pattern(*_key) -> re.Pattern[str]:
    """:func:`separator` for :func:`tokens`: the same matches at the same places, with each
    alternative guarded by a look-ahead on the characters it can start with, so Python's
    ``re`` skips most positions at once instead of trying the ten look-behinds and the
    particle list at every Hangul character (about 3x faster over the guide's index). The
    page's JavaScript keeps the plain :func:`separator` (tests/test_search.py checks both
    split the guide alike)."""
    return re.compile(_separator_parts(guarded=True))


def tokens(text: str) -> list[str]:
    """Lower-cased tokens of plain text, split with :func:`separator` (what lunr will index)."""
    # The pieces between matches, empty ones dropped (re.split splits at empty matches too).
    split = _tokens_pattern(*_constants()).split
    return [piece.lower() for piece in split(text) if piece]


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment from the search index (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub(" ", fragment))


def words(text: str) -> list[str]:
    """Words (Hangul, Latin letters, digits) of plain text, in order."""
    return _WORD.findall(text)


@dataclass
class Lexicon:
    """What :func:`extra_forms` knows: compounds, multi-word terms and spelling variants."""

    compounds: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(COMPOUNDS))
    #: multi-word terms, e.g. ("포트", "포워딩")
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    #: preferred word or phrase -> variants a reader may type (대시보드 -> 대쉬보드)
    variants: dict[str, set[str]] = field(default_factory=dict)
    #: English term (normalised words) -> Korean term: "pipeline" -> "파이프라인"
    korean_names: dict[tuple[str, ...], str] = field(default_factory=dict)
    #: Latin name as lunr tokens -> tokens its other spellings give: ("jupyter", "lab") ->
    #: {"jupyterlab"}, ("seaweedfs",) -> {"sea", "weedfs"} (from the variant SeaWeedFS)
    latin_names: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    #: search location of a term's home (glossary ``chapter``) -> the words that name it there
    homes: dict[str, list[str]] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """A digest of everything in the lexicon (equal lexicons, equal digests)."""
        return memo.digest(
            [f"{k}\x1f{' '.join(v)}" for k, v in sorted(self.compounds.items())],
            [" ".join(p) for p in sorted(self.phrases)],
            [f"{k}\x1f{' '.join(sorted(v))}" for k, v in sorted(self.variants.items())],
            [f"{' '.join(k)}\x1f{v}" for k, v in sorted(self.korean_names.items())],
            [f"{' '.join(k)}\x1f{' '.join(sorted(v))}" for k, v in sorted(self.latin_names.items())],
            [f"{k}\x1f{' '.join(v)}" for k, v in sorted(self.homes.items())],
        )

    def add_name(self, name: str, spellings: Iterable[str] = ()) -> None:
        """Record a Latin product or component name and the other spellings readers type.

        A name is kept when it has a capital letter (``Kubeflow Pipelines``, ``JupyterLab``,
        ``port-forward`` is taken from the text instead: :func:`shape_forms`). Its tokens get the
        joined form (``jupyterlab``) and the tokens of each Latin spelling (``Jupyter Lab``,
        ``SeaWeedFS``) that the name's own tokens lack.
        """
        if not re.search(r"[A-Z]", name) or re.search(f"[{HANGUL}]", name):
            return
        key = tuple(tokens(name))
        if not key or not all(re.fullmatch(r"[a-z0-9.]+", t) for t in key):
            return
        extra = self.latin_names.setdefault(key, set())
        if len(key) > 1:
            extra.add("".join(key))
        # Other name-shaped spellings, joined (Jupyter Lab -> jupyterlab); their parts need
        # nothing: lunr finds a part by prefix (kube* finds kubeflow).
        for spelling in spellings:
            if re.search(f"[{HANGUL}]", spelling) or not re.search(r"[A-Z]", spelling):
                continue
            spelled = tokens(spelling)
            if len(spelled) > 1:
                extra.add("".join(spelled))
        if len(key) == 1:
            extra.discard(key[0])
        if not extra:
            del self.latin_names[key]

    def add_home(self, chapter: str, words_: Iterable[str], spellings: Iterable[str] = ()) -> None:
        """The glossary's ``chapter`` (``katib.md#algorithms``) names the section about a term.

        ``words_``: the term, its English and abbreviation; a name written in several words also
        gets its joined form (JupyterLab -> jupyterlab, 노트북 서버 -> 노트북서버). ``spellings``:
        Korean spellings readers type (the glossary's variants), each added joined (대쉬 보드 ->
        대쉬보드). The home section may not use the name at all (a 1.0 name lives in a "since
        1.0" section that writes the English UI label), so these words are how it is found.
        """
        page, _, anchor = chapter.partition("#")
        if not page.endswith(".md"):
            return
        name = page[:-3]
        location = "" if name == "index" else f"{name}/"
        if anchor:
            location += f"#{anchor}"
        home = self.homes.setdefault(location, [])
        for word in words_:
            parts = tokens(word)
            if len(parts) > 1 and re.fullmatch(r"[A-Za-z0-9 .-]+", word):
                parts.append("".join(parts))  # JupyterLab -> jupyter, lab, jupyterlab
            elif len(parts) > 1 and all(_HANGUL_WORD.match(stem(p)) for p in parts):
                parts.append("".join(stem(p) for p in parts))  # 노트북 서버 -> 노트북서버
            for token in parts:
                if token not in home:
                    home.append(token)
        for spelling in spellings:
            joined = "".join(stem(w) for w in words(spelling)).lower()
            if joined and joined not in home:
                home.append(joined)

    def add_term(self, term: str, variants: Iterable[str] = (), english: str = "") -> None:
        if english and re.search(f"[{HANGUL}]", term) and not re.search(f"[{HANGUL}]", english):
            key = _english_key(english)
            if key:
                self.korean_names.setdefault(key, term)
        parts = tuple(stem(w) for w in words(term))
        if len(parts) > 1 and all(_HANGUL_WORD.match(p) and len(p) >= MIN_STEM for p in parts):
            self.phrases.add(parts)
            self.compounds.setdefault("".join(parts), parts)
        key = " ".join(parts).lower()
        for variant in variants:
            # Korean misspellings only, joined: 대쉬 보드 -> 대쉬보드 (the prefix 대쉬 finds it).
            joined = "".join(words(variant))
            if key and re.search(f"[{HANGUL}]", joined) and joined != "".join(parts):
                self.variants.setdefault(key, set()).add(joined)


_FORMS = memo.store("search-forms", maxsize=20_000)


def _english_key(text: str) -> tuple[str, ...]:
    """Lower-cased English words, plural s removed: "Notebook Servers" -> ("notebook", "server")."""
    out = []
    for word in re.findall(r"[A-Za-z0-9]+", text):
        word = word.lower()
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return tuple(out)


def title_forms(title: str, lexicon: Lexicon, index: "LexiconIndex | None" = None) -> list[str]:
    """Korean names of the English terms in a page title, for a Korean reader's query.

    Chapter titles keep the UI's English names ("개요: Pipelines"); a reader searches
    "파이프라인". Returns the Korean words of every glossary term whose English name is in the
    title and that the title does not already contain.
    """
    index = index or LexiconIndex(lexicon)
    title_words = [stem(w) for w in words(plain_text(title))]
    key = _english_key(" ".join(title_words))
    matched = {english for english, _ in _occurrences(key, index.korean_names)}
    out: list[str] = []
    for english in sorted(matched):
        for word in words(lexicon.korean_names[english]):
            if word not in title_words and word not in out:
                out.append(word)
    return out


def is_korean(text: str) -> bool:
    """True when Hangul syllables make up at least a fifth of the letters of ``text``."""
    hangul = len(re.findall(f"[{HANGUL}]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return hangul > 0 and hangul * 5 >= hangul + latin


def glossary_lexicon(glossary: object) -> Lexicon:
    """Read terms and variants from data/glossary.yml (already parsed), whatever its nesting.

    Entries are mappings; the Korean term is under ``ko`` or ``term`` (a string, or a mapping
    with ``term``), variants under ``variants``, ``avoid``, ``disallowed`` or ``aliases``.
    """
    lexicon = Lexicon()

    def visit(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            term = node.get("ko", node.get("term"))
            if isinstance(term, dict):
                term = term.get("term") or term.get("name")
            if isinstance(term, str):
                found: list[str] = []
                for key in ("variants", "avoid", "disallowed", "aliases", "not"):
                    value = node.get(key)
                    if isinstance(value, str):
                        found.append(value)
                    elif isinstance(value, list):
                        found.extend(v for v in value if isinstance(v, str))
                    elif isinstance(value, dict):
                        found.extend(v for v in value.values() if isinstance(v, str))
                        found.extend(k for k in value if isinstance(k, str))
                english = node.get("en")
                english = english if isinstance(english, str) else ""
                lexicon.add_term(term, found, english)
                abbr = node.get("abbr") if isinstance(node.get("abbr"), str) else ""
                match = node.get("match")
                spellings = found + [m for m in (match if isinstance(match, list) else []) if isinstance(m, str)]
                for name in {term, english}:
                    lexicon.add_name(name, spellings + [n for n in (term, english) if n != name])
                chapter = node.get("chapter")
                # Names (a capital letter in the English name: MinIO, Katib, Pod) rank their
                # home section first; everyday words (요청, 실행 in lower case) do not.
                if isinstance(chapter, str) and re.search(r"[A-Z]", english):
                    korean = [v for v in found if re.search(f"[{HANGUL}]", v)]
                    lexicon.add_home(chapter, [term, english, abbr], korean)
            for value in node.values():
                if isinstance(value, (list, dict)):
                    visit(value)

    visit(glossary)
    return lexicon


class LexiconIndex:
    """The lexicon's multi-word entries indexed by their first word, built once per index.

    With it, :func:`extra_forms` looks at each word of an entry once, instead of sliding every
    phrase and variant of the glossary over the entry, so the cost grows with the entry's
    length and not with entry length times glossary size.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.phrases = _by_first(lexicon.phrases)
        self.variants = _by_first(tuple(key.split()) for key in lexicon.variants)
        self.korean_names = _by_first(lexicon.korean_names)
        self.latin_names = _by_first(lexicon.latin_names)


def _by_first(sequences: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for seq in sequences:
        if seq:
            out.setdefault(seq[0], []).append(seq)
    return out


def _occurrences(seq: list[str] | tuple[str, ...], by_first: Mapping[str, list[tuple[str, ...]]]):
    """(entry, position) for every occurrence in ``seq`` of an entry of ``by_first``."""
    for i, word in enumerate(seq):
        for entry in by_first.get(word, ()):
            if tuple(seq[i : i + len(entry)]) == entry:
                yield entry, i


def extra_forms(text: str, lexicon: Lexicon, index: LexiconIndex | None = None,
                features: Iterable[str] = ("forms", "names")) -> list[str]:
    """Forms to add to an entry so that parts, joined forms and variants find it.

    Each form is added once per occurrence of its term (at most :data:`MAX_REPEAT` times), so
    lunr's term frequency still ranks the page that uses the term most above a page that
    mentions it once. Korean variants are only added to entries with Korean text. Forms that
    lunr already finds by prefix (a form that starts a word of the entry) are left out, so the
    index only grows by what searching needs. ``index``: :class:`LexiconIndex` of ``lexicon``
    (built here when not given; pass it when calling this for many entries).

    Order of the forms: compound parts in text order, then joined phrases by phrase, then
    variants by term (each by position in the text); then (feature ``names``) the joined forms
    of names written in several tokens (:func:`shape_forms`) and the glossary names' other
    spellings (:func:`name_forms`). ``features``: which of ``forms`` and ``names`` to add.
    """
    index = index or LexiconIndex(lexicon)
    features = set(features)
    stems = _stemmer.many(words(text))
    lowered_tokens = tokens(text) if "names" in features else []
    present = sorted(set(stems) | set(lowered_tokens))
    extra: list[str] = []
    counts: dict[str, int] = {}
    prefixed: dict[str, bool] = {}

    def starts_a_word(form: str) -> bool:
        if form not in prefixed:
            i = bisect.bisect_left(present, form)
            prefixed[form] = i < len(present) and present[i].startswith(form)
        return prefixed[form]

    def add(form: str) -> None:
        if not form or counts.get(form, 0) >= MAX_REPEAT:
            return
        if not starts_a_word(form):
            extra.append(form)
            counts[form] = counts.get(form, 0) + 1

    if "forms" in features:
        for word in stems:
            for part in lexicon.compounds.get(word, ()):
                add(part)
        for phrase, _ in sorted(_occurrences(stems, index.phrases)):
            add("".join(phrase))
        if is_korean(text):
            lowered = [s.lower() for s in stems]
            for parts, _ in sorted(_occurrences(lowered, index.variants), key=lambda m: (" ".join(m[0]), m[1])):
                for variant in sorted(lexicon.variants[" ".join(parts)]):
                    add(stem(variant))
    if "names" in features:
        # Once per entry: the homes field, not the term frequency, ranks a name's chapter.
        for form in [*shape_forms(text), *name_forms(lowered_tokens, lexicon, index.latin_names)]:
            if form not in counts:
                add(form)
    return extra


# Latin words the text writes in a name's shape: camel case (JupyterLab, RStudio), hyphenated
# (port-forward), or two capitalised words in a row (VS Code, Model Registry).
_CAMEL = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]*(?:[a-z][A-Z]|[A-Z][A-Z][a-z])[A-Za-z0-9]*")
_HYPHENATED = re.compile(r"(?<![-A-Za-z0-9])[A-Za-z][A-Za-z0-9]+(?:-[A-Za-z][A-Za-z0-9]+){1,2}(?![-A-Za-z0-9])")
# Not at a sentence start ("The Kubeflow ..." is no name).
_CAPITALISED_PAIR = re.compile(
    r"(?<![-A-Za-z0-9])(?<![.!?:] )(?<!^)(?=([A-Z][A-Za-z0-9]*) ([A-Z][A-Za-z0-9]*)(?![-A-Za-z0-9]))")


def shape_forms(text: str) -> list[str]:
    """Joined forms of the names that ``text`` writes in several tokens, in text order.

    lunr indexes ``JupyterLab`` as ``jupyter`` + ``lab``, ``port-forward`` as ``port`` +
    ``forward`` and ``VS Code`` as ``vs`` + ``code``; a reader types ``jupyterlab``,
    ``portforward``, ``vscode`` (one token, which no prefix of those finds). No list of names:
    the shape of the words says it (camel case, hyphens, two capitalised words in a row).

    >>> shape_forms("JupyterLab, VS Code 또는 RStudio; kubectl port-forward")
    ['jupyterlab', 'vscode', 'rstudio', 'portforward']
    """
    found: list[tuple[int, str]] = []
    for pattern in (_CAMEL, _HYPHENATED):
        for match in pattern.finditer(text):
            found.append((match.start(), "".join(tokens(match.group(0)))))
    for match in _CAPITALISED_PAIR.finditer(text):
        found.append((match.start(), (match.group(1) + match.group(2)).lower()))
    return [form for _, form in sorted(found) if form]


def name_forms(toks: list[str], lexicon: Lexicon, by_first: Mapping[str, list[tuple[str, ...]]]) -> list[str]:
    """Other spellings' tokens for each glossary name in ``toks`` (lunr tokens), per occurrence."""
    out: list[str] = []
    for name, _ in sorted(_occurrences(toks, by_first), key=lambda m: m[1]):
        out.extend(sorted(lexicon.latin_names[name]))
    return out


HIDDEN_OPEN = '<p hidden class="kfguide-search-forms">'


def augment_text(text: str, forms: list[str]) -> str:
    """``text`` with ``forms`` appended inside one hidden paragraph (idempotent)."""
    base = text.split(HIDDEN_OPEN, 1)[0].rstrip()
    if not forms:
        return base
    return f"{base} {HIDDEN_OPEN}{' '.join(forms)}</p>"


HIDDEN_TITLE_OPEN = '<span hidden class="kfguide-search-forms">'


def augment_title(title: str, names: list[str]) -> str:
    """``title`` with ``names`` appended in one hidden span (idempotent)."""
    base = title.split(HIDDEN_TITLE_OPEN, 1)[0].rstrip()
    return f"{base} {HIDDEN_TITLE_OPEN}{' '.join(names)}</span>" if names else base


@dataclass
class Stats:
    entries: int = 0
    augmented: int = 0
    forms: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)


#: What :func:`augment_index` changes, each switchable (bench/search_recall.py measures each):
#: ``separator`` the particle-aware separator; ``forms`` Korean compound parts, joined phrases,
#: glossary variants and Korean names in English titles; ``names`` joined and other spellings
#: of Latin names; ``homes`` a boosted ``names`` field on the section the glossary names as a
#: term's home (``chapter``), so the chapter about a component ranks first for its name.
FEATURES: tuple[str, ...] = ("separator", "forms", "names", "homes")

#: lunr field boost of the ``names`` field (Material: title 1000, text 1, tags 1000000).
HOME_BOOST = 1000.0
HOME_FIELD = "names"


def load_forms(value: object) -> list[str] | None:
    """A stored value of :func:`extra_forms` (a list of strings), or None for anything else."""
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def augment_index(index: dict, lexicon: Lexicon | None = None,
                  features: Iterable[str] = FEATURES, stored: memo.DiskStore | None = None) -> tuple[dict, Stats]:
    """Return a copy of a Material ``search_index.json`` dict with Korean search support.

    Sets ``config.separator`` to :func:`separator`, appends :func:`extra_forms` of each entry
    (title and text) to its ``text`` and gives each glossary home its ``names`` field; see
    :data:`FEATURES` (``features`` picks which). ``stored``: forms kept between processes, by
    entry text, lexicon and features (the hook passes ``.cache/kfguide/search-forms.json``).
    """
    features = frozenset(features)
    lexicon = lexicon or Lexicon()
    lexicon_index = LexiconIndex(lexicon)
    lexicon_key = lexicon.fingerprint()
    stats = Stats()
    config = dict(index.get("config", {}))
    if "separator" in features:
        config["separator"] = separator()
    if "homes" in features and lexicon.homes:
        config["fields"] = dict(config.get("fields") or {}, **{HOME_FIELD: {"boost": HOME_BOOST}})
    form_features = tuple(sorted(features & {"forms", "names"}))
    english_titles = {}
    if "homes" in features:
        # The English copy of each section (same anchors in both languages) names it in the
        # words an English query uses: 용어집 <- Glossary.
        for entry in index.get("docs", []):
            location = entry.get("location", "")
            if location.startswith("en/"):
                english_titles[location[3:]] = plain_text(entry.get("title", ""))
    # Whether a page is Korean is decided over all its entries (a title entry may be empty).
    page_text: dict[str, list[str]] = {}
    for entry in index.get("docs", []):
        page = entry.get("location", "").split("#")[0]
        page_text.setdefault(page, []).append(plain_text(f"{entry.get('title', '')} {entry.get('text', '')}"))
    korean_pages = {page for page, texts in page_text.items() if is_korean(" ".join(texts))}
    docs = []
    for entry in index.get("docs", []):
        entry = dict(entry)
        stats.entries += 1
        source = plain_text(f"{entry.get('title', '')} {entry.get('text', '')}")
        # Forms depend only on the entry's text and the lexicon: `mkdocs serve` recomputes
        # them for the entries that changed.
        forms = list(memo.recall(
            _FORMS, (source, lexicon_key, form_features), stored,
            lambda: extra_forms(source, lexicon, lexicon_index, form_features) if form_features else []))
        entry["text"] = augment_text(entry.get("text", ""), forms)
        # A page's own title (the entry without an anchor) also gets the Korean names of the
        # English terms in it, hidden, so the chapter "개요: Pipelines" ranks for 파이프라인.
        location = entry.get("location", "")
        if "homes" in features and location.split("#")[0] in korean_pages:
            home = list(lexicon.homes.get(location, ()))
            own = set(tokens(source))
            home += [t for t in tokens(english_titles.get(location, ""))
                     if t not in own and t not in home and len(t) > 2]
            if home:
                entry[HOME_FIELD] = " ".join(home)
                stats.forms += len(home)
        if ("forms" in features and "#" not in entry.get("location", "#")
                and entry.get("location") in korean_pages):
            names = title_forms(entry.get("title", ""), lexicon, lexicon_index)
            if names:
                entry["title"] = augment_title(entry.get("title", ""), names)
                stats.forms += len(names)
        if forms:
            stats.augmented += 1
            stats.forms += len(forms)
            if len(stats.examples) < 5:
                stats.examples[entry.get("location", "")] = forms
        docs.append(entry)
    out = dict(index)
    out["config"] = config
    out["docs"] = docs
    return out, stats


def split_by_language(index: dict, folders: Mapping[str, str]) -> dict[str, dict]:
    """Split a merged ``search_index.json`` dict into one index per language.

    static-i18n merges every language into one index at the site root, so a Korean reader's
    results list the English copies of the same pages too. ``folders`` maps each non-default
    language's folder to its lunr language (``{"en": "en"}``). Entries whose location starts
    with ``<folder>/`` go to that folder's index, with the prefix removed (Material resolves
    locations against ``config.base``, which ``kfguide.builders.sitefix.scope_config_base`` points at
    the folder); every other entry stays in the default index (key ``""``) with the original
    config. Nothing is dropped: the entries of all returned indexes add up to the input.
    """
    config = dict(index.get("config", {}))
    out: dict[str, dict] = {"": dict(index, config=config, docs=[])}
    prefixes = {}
    for folder, lang in folders.items():
        name = folder.strip("/")
        if not name:
            continue
        prefixes[name + "/"] = name
        out[name] = dict(index, config=dict(config, lang=[lang]), docs=[])
    for entry in index.get("docs", []):
        location = entry.get("location", "")
        for prefix, name in prefixes.items():
            if location.startswith(prefix) or location == prefix.rstrip("/"):
                out[name]["docs"].append(dict(entry, location=location[len(prefix):]))
                break
        else:
            out[""]["docs"].append(entry)
    return out


def check_queries(data: object, pages: Iterable[str], path: str = "data/search-queries.yml",
                  minimum: int = 30) -> list[str]:
    """Problems in the parsed query set, as ``path:N: message`` lines (N = query number).

    ``pages`` are the page names that exist (docs files without ``.md``; ``index`` = home).
    Every ``category`` (default ``existing``) needs at least one ``browser: true`` query.
    """
    pages = set(pages)
    items = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [f"{path}:0: needs a top-level 'queries:' list"]
    problems = []
    seen: set[tuple[str, str]] = set()
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or not item["q"].strip():
            problems.append(f"{path}:{n}: query {n} needs a non-empty 'q'")
            continue
        lang = item.get("lang", "ko")
        category = item.get("category", "existing")
        if not isinstance(category, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", category):
            problems.append(f"{path}:{n}: {item['q']!r}: category must be a lower-case word, not {category!r}")
        if lang not in ("ko", "en"):
            problems.append(f"{path}:{n}: {item['q']!r}: lang must be ko or en, not {lang!r}")
        key = (item["q"], lang)
        if key in seen:
            problems.append(f"{path}:{n}: {item['q']!r} is listed twice")
        seen.add(key)
        expect = item.get("expect")
        if not isinstance(expect, list) or not expect:
            problems.append(f"{path}:{n}: {item['q']!r} needs 'expect', a list of page names")
            continue
        for page in expect:
            if page not in pages:
                problems.append(f"{path}:{n}: {item['q']!r} expects {page!r}, which is not a page")
    if len(items) < minimum:
        problems.append(f"{path}:0: {len(items)} queries; the benchmark needs at least {minimum}")
    categories: dict[str, int] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("category", "existing"), str):
            category = item.get("category", "existing")
            categories[category] = categories.get(category, 0) + bool(item.get("browser"))
    for category, marked in categories.items():
        if not marked:
            problems.append(f"{path}:0: category {category!r} has no 'browser: true' query; "
                            "the browser test types one of each")
    return problems
