"""Cutting text: the segmenters (jieba, rjieba) with protected lexicon terms kept whole, and token classes.

How the lexicon is kept in force. jieba has two traps: a user-dictionary entry whose frequency is too low is
still split by the route search, and ``jieba.enable_parallel()`` before ``load_userdict`` silently drops the
dictionary. This module avoids both by construction: it never touches the global ``jieba.dt`` nor parallel
mode, and it *protects* lexicon terms. Every sentence is scanned for the leftmost-longest occurrence of any
protected term (lexicon terms, alias variants and canonicals, formulaic phrases), in one Aho–Corasick pass
per document (:func:`protected_spans`); each occurrence becomes one token and only the gaps between them are cut
by the segmenter. The same protection is applied for both backends (``jieba`` and the opt-in Rust ``rjieba``),
which is why they agree on nearly every token.
"""
from __future__ import annotations

import logging
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from .. import config
from ..errors import ParameterError
from .resources import Resources, load_resources

Segmenter = Literal["jieba", "rjieba"]
SEGMENTERS = ("jieba", "rjieba")
TOKEN_CLASSES = ("content", "stop", "formulaic", "number", "punct")

#: A protected term gets at least this frequency when it is also added to the tokenizer's dictionary.
_MIN_WORD_FREQ = 1000

#: Counters: ``segment_calls`` (text spans between protected terms handed to the segmenter), ``docs_segmented``.
STATS: dict[str, int] = {"segment_calls": 0, "docs_segmented": 0}

_TOKENIZERS: dict[tuple[str, str], object] = {}

_CN_NUMERALS = "〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟"
_NUMBER_RE = re.compile(rf"^(?:[+\-]?\d[\d,.]*[%‰]?|[{_CN_NUMERALS}]+|[\d.]+[{_CN_NUMERALS}]+)$")


def reset_stats() -> None:
    """Set every counter in :data:`STATS` to zero."""
    for key in STATS:
        STATS[key] = 0


def get_tokenizer(resources: Resources | None = None, *, segmenter: Segmenter = "jieba"):
    """Return this module's tokenizer (a private ``jieba.Tokenizer`` or ``rjieba.Jieba``) for the resources.

    The lexicon is also added to the tokenizer's dictionary (frequency at least jieba's suggested one), so
    direct ``tokenizer.lcut`` calls keep lexicon terms too; :func:`tokenize` protects them regardless.
    """
    if segmenter not in SEGMENTERS:
        raise ParameterError("segmenter", segmenter, SEGMENTERS)
    resources = resources if resources is not None else load_resources()
    key = (segmenter, resources.segmentation_fingerprint)
    tok = _TOKENIZERS.get(key)
    if tok is not None:
        return tok
    if segmenter == "jieba":
        import jieba

        # jieba announces dictionary loading on stderr through its own handler (set to DEBUG when jieba is
        # imported); a library must not print.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.tmp_dir = str(_jieba_tmp_dir())
        tok.initialize()
        for term in resources.protected:
            freq = max(resources.lexicon.get(term, 0), tok.suggest_freq(term, tune=False), _MIN_WORD_FREQ)
            tok.add_word(term, freq)
    else:
        try:
            import rjieba
        except ImportError as exc:  # pragma: no cover - rjieba is a declared dependency
            raise ParameterError("segmenter", segmenter, SEGMENTERS, reason="rjieba is not installed") from exc
        tok = rjieba.Jieba()
        for term in resources.protected:
            freq = max(resources.lexicon.get(term, 0), tok.suggest_freq(term), _MIN_WORD_FREQ)
            tok.add_word(term, freq, None)
    _TOKENIZERS[key] = tok
    return tok


def _jieba_tmp_dir() -> Path:
    path = config.cache_dir() / "jieba"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(tempfile.gettempdir())
    return path


#: joins the texts of one document for the protected-term pass; no term contains it, so no match crosses a text
_SEP = "\x00"


def protected_spans(texts: Sequence[str], resources: Resources | None = None) -> list[list[tuple[int, int]]]:
    """The protected-term occurrences kept whole in each text: ``(start, end)`` pairs, in order.

    One Aho–Corasick pass over all the texts (a document's units) joined, leftmost-longest: from the left, the
    first position where a term starts, the longest term starting there, then on after its end — the matches of
    the alternation of the terms longest first. A match a common word crosses (:func:`_straddles`) is dropped.
    """
    resources = resources if resources is not None else load_resources()
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    automaton = resources.protect_automaton
    if automaton is None or not texts:
        return out
    joined = _SEP.join(texts)
    longest: dict[int, int] = {}
    for last, length in automaton.iter(joined):  # ordered by end: a later match at a start is a longer one
        longest[last - length + 1] = last + 1
    words = _common_words()
    k, base, pos = 0, 0, 0  # the text holding the match, its offset in `joined`; where the next match may start
    limit = len(texts[0])
    for start in sorted(longest):
        if start < pos:
            continue
        pos = longest[start]
        while start > base + limit:  # move on to the text the match lies in (matches never cross _SEP)
            base += limit + 1
            k += 1
            limit = len(texts[k])
        if not _straddles(texts[k], start - base, pos - base, words):
            out[k].append((start - base, pos - base))
        # else: 提高企业 is 提高/企业, not 提/高企/业: leave it to the segmenter's dictionary
    return out


def cut(text: str, resources: Resources | None = None, *, segmenter: Segmenter = "jieba", hmm: bool = True,
        spans: list[tuple[int, int]] | None = None) -> list[tuple[str, int, int]]:
    """Cut one text into ``(token, start, end)`` with protected lexicon terms kept whole; whitespace dropped.

    ``spans``: the text's :func:`protected_spans`, when the caller found them for many texts in one pass.
    """
    resources = resources if resources is not None else load_resources()
    tok = get_tokenizer(resources, segmenter=segmenter)
    n = len(text)
    kept = list(protected_spans([text], resources)[0] if spans is None else spans)
    kept.append((n, n))  # sentinel: the tail after the last match
    out: list[tuple[str, int, int]] = []
    append = out.append
    seg_cut = tok.cut
    rust = segmenter == "rjieba"
    pos = 0
    for start, end in kept:
        if start > pos:  # the gap text[pos:start] goes to the segmenter
            STATS["segment_calls"] += 1
            gap = text[pos:start]
            offset = pos
            for word in (seg_cut(gap, hmm) if rust else seg_cut(gap, HMM=hmm)):
                nxt = offset + len(word)
                if not word.isspace():
                    append((word, offset, nxt))
                offset = nxt
            if offset != start:  # a segmenter that does not return the text it was given would corrupt every offset
                raise RuntimeError(f"{segmenter} changed the text while cutting {gap[:30]!r}")
        if end > start:
            append((text[start:end], start, end))
        pos = end
    return out


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Two- and three-character words of jieba's general dictionary with some weight (frequency ≥ 100)."""
    import jieba

    words = set()
    with jieba.get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split(" ")
            if len(parts) >= 2 and 2 <= len(parts[0]) <= 3 and int(parts[1]) >= 100:
                words.add(parts[0])
    return frozenset(words)


def _straddles(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    """True when a common word crosses a boundary of the match [start, end): the match is an accident of the
    string (港澳 in 香港澳门, 高企 in 提高企业, 中医药 in 其中医药), not the lexicon term."""
    n = len(text)
    for edge in (start, end):
        if edge <= 0 or edge >= n:
            continue
        # (left, right) in (1, 1), (1, 2), (2, 1): the word text[edge - left: edge + right] crosses the edge
        if (text[edge - 1: edge + 1] in words or (edge + 1 < n and text[edge - 1: edge + 2] in words)
                or (edge >= 2 and text[edge - 2: edge + 1] in words)):
            return True
    return False

def classify(tokens: pd.Series, resources: Resources) -> pd.Series:
    """Class of each (folded) token: formulaic, punct, number, stop or content (first match wins).

    Lexicon terms are content even when they look like numbers (十四五) or appear in the stopword list.
    """
    values = tokens.astype(str)
    uniq = pd.unique(values)
    mapping = {t: _classify_one(t, resources) for t in uniq}
    return values.map(mapping).astype("str")


def _classify_one(token: str, res: Resources) -> str:
    if token in res.formulaic:
        return "formulaic"
    if all(unicodedata.category(ch)[0] in "PSZC" for ch in token):
        return "punct"
    if token in res.lexicon:
        return "content"
    if _NUMBER_RE.match(token):
        return "number"
    if token in res.stopwords:
        return "stop"
    return "content"
