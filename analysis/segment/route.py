"""jieba's accurate mode with the HMM (``Tokenizer.lcut(text)``) computed with fewer Python steps: the same words.

jieba 0.42.1 (the last release, 2020; pure Python) cuts each run of Han/alphanumeric characters by building a
prefix DAG (``get_DAG``), then the best route right to left (``calc``: a generator of tuples and ``max`` per
character, a ``log`` per edge), then walks the route, handing runs of single characters to its HMM
(``finalseg.cut``). :func:`lcut` does the same arithmetic in the same order — edge weight
``log(freq) - log(total)``, plus the best score after the edge, ties to the longer word as ``max`` on
``(score, end)`` breaks them — but builds the DAG and the route in one loop, looks each word's weight up once per
process, and calls jieba's own ``finalseg.cut`` and block regexes. Only jieba 0.42.1's ``Tokenizer`` is handled
(:func:`supported`); anything else goes through ``tok.lcut``. The tests compare the words with ``tok.lcut`` on
every seed and on hand cases (dictionary gaps, HMM runs, Latin, digits, whitespace).
"""
from __future__ import annotations

from math import log

#: the jieba release whose algorithm :func:`lcut` reproduces
JIEBA_VERSION = "0.42.1"


def supported(tok) -> bool:
    """Whether :func:`lcut` reproduces ``tok.lcut`` (a jieba 0.42.1 ``Tokenizer``, initialised)."""
    import jieba

    return jieba.__version__ == JIEBA_VERSION and type(tok) is jieba.Tokenizer and bool(tok.initialized)


def lcut(tok, sentence: str) -> list[str]:
    """``tok.lcut(sentence)`` (accurate mode, HMM on) for a jieba 0.42.1 ``Tokenizer``."""
    import jieba
    from jieba import finalseg

    freq = tok.FREQ
    single, weights = _weights(tok)
    out: list[str] = []
    re_han, re_skip = jieba.re_han_default, jieba.re_skip_default
    for blk in re_han.split(sentence):
        if not blk:
            continue
        if re_han.match(blk):
            _cut_block(blk, freq, single, weights, finalseg.cut, out)
        else:
            for x in re_skip.split(blk):
                if re_skip.match(x):
                    out.append(x)
                else:
                    out.extend(x)
    return out


def _weights(tok) -> tuple[float, dict]:
    """The weight of a character no word starts with (``log(1) - log(total)``) and, for every entry of the prefix
    dictionary, its word's weight ``log(freq) - log(total)`` (False: a prefix that is no word). Made once per
    tokenizer and dictionary state: ``add_word`` changes the total; ``del_word`` (``add_word(w, 0)``) changes
    neither total nor size but adds the word to jieba's force-split set, which the key counts too."""
    from jieba import finalseg

    key = (tok.total, len(tok.FREQ), len(finalseg.Force_Split_Words))
    cached = getattr(tok, "_analysis_route_weights", None)
    if cached is None or cached[0] != key:
        logtotal = log(tok.total)
        weights = {k: (log(f) - logtotal if f else False) for k, f in tok.FREQ.items()}
        cached = (key, log(1) - logtotal, weights)
        tok._analysis_route_weights = cached
    return cached[1], cached[2]


def _cut_block(s: str, freq: dict, single: float, weights: dict, hmm_cut, out: list[str]) -> None:
    """jieba's ``__cut_DAG`` on one block: best route by word frequencies, single-character runs to the HMM."""
    n = len(s)
    score = [0.0] * (n + 1)
    end = list(range(n + 1))
    get = weights.get
    for idx in range(n - 1, -1, -1):
        best = None
        i = idx
        w = get(s[idx])
        while w is not None:  # None: no word starts with s[idx:i + 1]
            if w is not False:
                v = w + score[i + 1]
                if best is None or v >= best:  # max over (score, end): the later end wins a tie
                    best, end[idx] = v, i
            i += 1
            if i >= n:
                break
            w = get(s[idx:i + 1])
        score[idx] = single + score[idx + 1] if best is None else best
    x, buf = 0, ""
    while x < n:
        y = end[x] + 1
        if y - x == 1:
            buf += s[x]
        else:
            if buf:
                _flush(buf, freq, hmm_cut, out)
                buf = ""
            out.append(s[x:y])
        x = y
    if buf:
        _flush(buf, freq, hmm_cut, out)


def _flush(buf: str, freq: dict, hmm_cut, out: list[str]) -> None:
    if len(buf) == 1:
        out.append(buf)
    elif not freq.get(buf):
        out.extend(hmm_cut(buf))
    else:
        out.extend(buf)
