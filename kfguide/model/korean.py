"""Korean text as data: Hangul syllables, final consonants, how Latin words and numbers are
read, and morphemes from the Kiwi analyser (kiwipiepy), cached on disk.

* :func:`final` gives the final consonant (받침) of a reading: ``""`` after a vowel, ``"ㄹ"``,
  or another consonant. Particles follow it: 은/이/을/과/으로 after a consonant, 는/가/를/와/로
  after a vowel, and 로 also after ㄹ (한글 맞춤법; 표준 문법의 조사 이형태).
* :func:`read_number` reads a bare number the Sino-Korean way (8080 팔천팔십, 0.97 영 점 구칠,
  1.11 일 점 십일): only its last digit and trailing zeros decide the final consonant.
* :func:`read_acronym` reads an all-capital word letter by letter (GPU 지피유, URL 유알엘).
* :class:`Analyser` returns Kiwi's morphemes for sentences. Kiwi needs about five seconds to
  load its model, so results are kept per sentence in a JSON file (``.cache/kfguide/``) and
  the model is loaded only when a sentence is not there yet.
* ``Analyser(..., worker=True)`` (``mkdocs serve``) runs Kiwi in a child process
  (``python -m kfguide.model.korean --worker``): Kiwi holds Python's GIL while it loads its
  model and while it analyses, so in a thread of the server it would stall every rebuild and
  reload for seconds. The child loads the model on its first request and stays for the next.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from kfguide.model import memo

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
# 종성 (final consonant) by index, as in Unicode's Hangul syllable composition.
FINALS = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
          "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")


def is_syllable(ch: str) -> bool:
    return HANGUL_FIRST <= ord(ch) <= HANGUL_LAST


def syllables(text: str) -> int:
    """How many Hangul syllables ``text`` has (the long-sentence rule counts these)."""
    return sum(1 for ch in text if HANGUL_FIRST <= ord(ch) <= HANGUL_LAST)


def final(reading: str) -> str | None:
    """The final consonant of the last syllable of ``reading`` ("" for a vowel), or None
    when it does not end in a Hangul syllable."""
    if not reading or not is_syllable(reading[-1]):
        return None
    return FINALS[(ord(reading[-1]) - HANGUL_FIRST) % 28]


SINO_DIGITS = "영일이삼사오육칠팔구"
# A trailing zero is read 십, 백, 천, 만 (or 영 on its own): a consonant, never ㄹ.
_ZERO_TAIL = "십"
ENGLISH_DIGITS = ("제로", "원", "투", "스리", "포", "파이브", "식스", "세븐", "에이트", "나인")
LETTERS = {
    "A": "에이", "B": "비", "C": "시", "D": "디", "E": "이", "F": "에프", "G": "지", "H": "에이치",
    "I": "아이", "J": "제이", "K": "케이", "L": "엘", "M": "엠", "N": "엔", "O": "오", "P": "피",
    "Q": "큐", "R": "알", "S": "에스", "T": "티", "U": "유", "V": "브이", "W": "더블유", "X": "엑스",
    "Y": "와이", "Z": "지",
}


def read_number(text: str) -> str | None:
    """The last syllable of a bare number read in Sino-Korean (enough for its particle)."""
    digits = text.replace(",", "")
    if not digits or not all(c.isdigit() or c == "." for c in digits) or not digits[-1].isdigit():
        return None
    last_group = digits.rsplit(".", 1)[-1]
    if last_group == "0" or set(last_group) == {"0"}:
        return "영" if len(last_group) == 1 or "." in digits else _ZERO_TAIL
    if last_group.endswith("0"):
        return _ZERO_TAIL  # 10 십, 200 이백, 3000 삼천
    return SINO_DIGITS[int(last_group[-1])]


def read_acronym(word: str) -> str | None:
    """An all-capital word (2-6 letters, digits allowed after the first) read letter by letter."""
    if not (2 <= len(word) <= 6) or not word[0].isupper() or not word.isalnum() or not word.isascii():
        return None
    if any(c.isalpha() and not c.isupper() for c in word):
        return None
    last = word[-1]
    return ENGLISH_DIGITS[int(last)] if last.isdigit() else LETTERS[last]


def read_latin_number(text: str) -> str | None:
    """A number glued to a Latin prefix (v1, S3, K8s without the s) is read in English."""
    if text.isdigit():
        return ENGLISH_DIGITS[int(text[-1])] if len(text) == 1 else None
    return None


# --------------------------------------------------------------------------------------------
# Morphemes


@dataclass(frozen=True)
class Token:
    form: str
    tag: str  # Sejong tag set as Kiwi uses it: NNG, JKS, JX, EF, SL, SN, ...
    start: int  # offset in the analysed sentence
    length: int

    @property
    def end(self) -> int:
        return self.start + self.length


def analyser_version() -> str:
    """kiwipiepy and model versions (the cache key), or "" when Kiwi is not installed."""
    try:
        from importlib.metadata import version

        return f"kiwipiepy-{version('kiwipiepy')}+model-{version('kiwipiepy_model')}"
    except Exception:  # noqa: BLE001 - not installed
        return ""


class AnalyserUnavailable(RuntimeError):
    pass


class Analyser:
    """Kiwi's morphemes for sentences, cached in ``cache_file`` (None: memory only).

    ``stats`` counts sentences served from the cache (``hits``), analysed (``misses``) and the
    seconds spent loading the model (``load_seconds``) and analysing (``analyse_seconds``).
    """

    def __init__(self, cache_file: Path | None = None, worker: bool = False):
        self.cache_file = cache_file
        self.version = analyser_version()
        self.worker = worker
        self._kiwi = None
        self._lock = threading.Lock()
        self._memory: dict[str, list[list]] = {}
        self._dirty = False
        self.stats = {"hits": 0, "misses": 0, "load_seconds": 0.0, "analyse_seconds": 0.0}
        if cache_file is not None:
            try:
                data = json.loads(cache_file.read_text(encoding="utf-8"))
                if data.get("version") == self.version:
                    self._memory = data.get("sentences", {})
            except (OSError, ValueError, AttributeError):
                pass

    @staticmethod
    def _key(sentence: str) -> str:
        return hashlib.blake2b(sentence.encode("utf-8"), digest_size=12).hexdigest()

    def _tokens(self, sentences: list[str]) -> list[list[list]]:
        if self.worker:
            if self._kiwi is None:
                self._kiwi = _WorkerKiwi()
            tokens, load = self._kiwi.analyse(sentences)
            self.stats["load_seconds"] += load
            return tokens
        if self._kiwi is None:
            started = time.perf_counter()
            self._kiwi = _kiwi()
            self.stats["load_seconds"] += time.perf_counter() - started
        return _batch(self._kiwi, sentences)

    def analyse(self, sentences: Sequence[str]) -> list[list[Token]]:
        """Morphemes of each sentence (the best analysis), in order."""
        with self._lock:
            keys = [self._key(s) for s in sentences]
            todo = sorted({(k, s) for k, s in zip(keys, sentences) if k not in self._memory})
            self.stats["hits"] += len(sentences) - len(todo)
            if todo:
                started = time.perf_counter()
                load_before = self.stats["load_seconds"]
                for (key, _), tokens in zip(todo, self._tokens([s for _, s in todo])):
                    self._memory[key] = tokens
                self.stats["misses"] += len(todo)
                self.stats["analyse_seconds"] += time.perf_counter() - started - (self.stats["load_seconds"] - load_before)
                self._dirty = True
            return [[Token(*t) for t in self._memory[k]] for k in keys]

    def key(self, sentence: str) -> str:
        """The cache key of ``sentence`` (what :meth:`save` takes in ``keep_keys``)."""
        return self._key(sentence)

    def save(self, keep: Iterable[str] | None = None, keep_keys: Iterable[str] = ()) -> None:
        """Write the cache (only the sentences in ``keep``, plus the sentences whose keys are in
        ``keep_keys``, when ``keep`` is given, so it does not grow with every edit). Errors are
        ignored: the cache only saves time."""
        if self.cache_file is None or not self._dirty and keep is None:
            return
        with self._lock:
            data = self._memory
            if keep is not None:
                wanted = {self._key(s) for s in keep} | set(keep_keys)
                if not self._dirty and wanted == self._memory.keys():
                    return  # nothing new and nothing to drop: the file is already this
                data = self._memory = {k: v for k, v in data.items() if k in wanted}
            try:
                memo.write_atomic(self.cache_file, json.dumps({"version": self.version, "sentences": data},
                                                              ensure_ascii=False, separators=(",", ":")))
                self._dirty = False
            except OSError:
                pass


def _batch(kiwi, sentences: list[str]) -> list[list[list]]:
    """Kiwi's best analysis of each sentence as [form, tag, start, length] lists."""
    results = kiwi.analyze(sentences, top_n=1)
    return [[[t.form, t.tag, t.start, t.len] for t in (result[0][0] if result else [])] for result in results]


class _WorkerKiwi:
    """Kiwi in a child process, one JSON line per request and per answer (see the module
    docstring). Waiting for the answer releases the GIL; the child ends when its stdin closes."""

    def __init__(self):
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen([sys.executable, "-m", "kfguide.model.korean", "--worker"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                     text=True, encoding="utf-8")

    def analyse(self, sentences: list[str]) -> tuple[list[list[list]], float]:
        try:
            self.proc.stdin.write(json.dumps(sentences, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except OSError as exc:
            raise AnalyserUnavailable(f"the Kiwi worker process stopped: {exc}") from exc
        if not line:
            raise AnalyserUnavailable(f"the Kiwi worker process stopped (exit code {self.proc.poll()})")
        answer = json.loads(line)
        if "error" in answer:
            raise AnalyserUnavailable(answer["error"])
        return answer["tokens"], answer["load"]


def _worker_main() -> int:
    """``python -m kfguide.model.korean --worker``: analyse the sentences of each stdin line."""
    kiwi = None
    for line in sys.stdin:
        load = 0.0
        try:
            if kiwi is None:
                started = time.perf_counter()
                kiwi = _kiwi()
                load = time.perf_counter() - started
            answer = {"tokens": _batch(kiwi, json.loads(line)), "load": load}
        except Exception as exc:  # noqa: BLE001 - the parent reports it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


_KIWI: list = []
_KIWI_LOCK = threading.Lock()


def _kiwi():
    """The process's one Kiwi instance (its model takes seconds to load)."""
    with _KIWI_LOCK:
        if not _KIWI:
            try:
                from kiwipiepy import Kiwi
            except ImportError as exc:  # pragma: no cover - requirements.txt pins it
                raise AnalyserUnavailable("kiwipiepy is not installed in this Python") from exc
            _KIWI.append(Kiwi())
        return _KIWI[0]


_shared: dict[str, Analyser] = {}


def shared_analyser(cache_file: Path | None, worker: bool = False) -> Analyser:
    """One analyser per cache file and process (``mkdocs serve`` keeps Kiwi loaded);
    ``worker``: Kiwi in a child process (see the module docstring)."""
    key = f"{cache_file}\0{worker}"
    if key not in _shared:
        _shared[key] = Analyser(cache_file, worker=worker)
    return _shared[key]


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    raise SystemExit(_worker_main())
