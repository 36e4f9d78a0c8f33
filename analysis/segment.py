"""Units -> tokens: jieba with a protected policy lexicon, aliases, token classes and an on-disk cache.

How the lexicon is kept in force. jieba has two traps: a user-dictionary entry whose frequency is too low is
still split by the route search, and ``jieba.enable_parallel()`` before ``load_userdict`` silently drops the
dictionary. This module avoids both by construction: it never touches the global ``jieba.dt`` nor parallel
mode, and it *protects* lexicon terms. Every sentence is scanned for the leftmost-longest occurrence of any
protected term (lexicon terms, alias variants and canonicals, formulaic phrases); each occurrence becomes one
token and only the gaps between them are cut by the segmenter. The same protection is applied for both
backends (``jieba`` and the opt-in Rust ``rjieba``), which is why they agree on nearly every token.

The token table is deliberately self-contained for grouping: each token row carries every unit column except
the unit's text (doc_id, unit_id, part, city, province, doc_type, year, section_id, para_id, is_heading, …)
and, when a :class:`Corpus` is given, the short document columns (summary_year, plan_year, published, issuer).
So ``terms.keyness(tokens, by="city", target="阳江")`` needs nothing else.

State: one tokenizer instance per (backend, lexicon fingerprint) in ``_TOKENIZERS``, and :data:`STATS`, counters a
test can read to prove that a warm run does not segment.
"""
from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from . import config
from .errors import ParameterError, ResourceError

Segmenter = Literal["jieba", "rjieba"]
SEGMENTERS = ("jieba", "rjieba")
TOKEN_CLASSES = ("content", "stop", "formulaic", "number", "punct")

#: The columns every token table starts with, in this order; unit and document columns follow.
TOKEN_COLUMNS = ["doc_id", "unit_id", "position", "token", "raw", "class", "start", "end"]
_CACHED_COLUMNS = ["unit_id", "position", "raw", "start", "end"]
#: Unit columns that are not carried onto tokens (the unit's text; its offsets are replaced by the token's).
_UNIT_DROP = {"text", "start", "end"}
#: Document columns that are never carried onto tokens (long text, file bookkeeping, structure counts);
#: every other document column (summary_year, plan_year, published, issuer, a manifest's own columns) is.
_DOC_DROP = {"text", "text_original", "path", "file", "title", "sha256", "encoding", "source_format", "header_name",
             "metadata_source", "summary_chars", "plan_chars"}

#: A protected term gets at least this frequency when it is also added to the tokenizer's dictionary.
_MIN_WORD_FREQ = 1000

#: Counters: ``segment_calls`` (segmenter invocations on a text span), ``docs_segmented``, ``docs_from_cache``.
STATS: dict[str, int] = {"segment_calls": 0, "docs_segmented": 0, "docs_from_cache": 0}

_TOKENIZERS: dict[tuple[str, str], object] = {}


_CN_NUMERALS = "〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟"
_NUMBER_RE = re.compile(rf"^(?:[+\-]?\d[\d,.]*[%‰]?|[{_CN_NUMERALS}]+|[\d.]+[{_CN_NUMERALS}]+)$")


def reset_stats() -> None:
    """Set every counter in :data:`STATS` to zero."""
    for key in STATS:
        STATS[key] = 0


# --------------------------------------------------------------------------------------------- resources
@dataclass(frozen=True)
class Resources:
    """The lexical resources one segmentation uses: lexicon, aliases, stopwords, formulaic phrases."""

    lexicon: dict[str, int] = field(default_factory=dict)  # term -> jieba frequency (0 = unspecified)
    aliases: dict[str, str] = field(default_factory=dict)  # variant -> canonical
    stopwords: frozenset[str] = frozenset()
    formulaic: frozenset[str] = frozenset()
    sources: dict[str, str] = field(default_factory=dict)  # resource name -> path or "<given>"

    @cached_property
    def protected(self) -> tuple[str, ...]:
        """Terms kept whole by segmentation, longest first."""
        terms = set(self.lexicon) | set(self.aliases) | set(self.aliases.values()) | set(self.formulaic)
        return tuple(sorted((t for t in terms if t), key=lambda t: (-len(t), t)))

    @cached_property
    def protect_re(self) -> re.Pattern | None:
        """A regex matching the leftmost-longest protected term (a trie of the terms, see :func:`_trie_regex`)."""
        if not self.protected:
            return None
        return _trie_regex(self.protected)

    @cached_property
    def segmentation_fingerprint(self) -> str:
        """Hash of everything that changes where tokens are cut (not stopwords, not alias targets)."""
        payload = {"lexicon": sorted(self.lexicon.items()), "protected": list(self.protected)}
        return _sha256(json.dumps(payload, ensure_ascii=False))

    @cached_property
    def fingerprint(self) -> str:
        """Hash of all four resources (segmentation, folding and classes)."""
        payload = {"seg": self.segmentation_fingerprint, "aliases": sorted(self.aliases.items()),
                   "stopwords": sorted(self.stopwords), "formulaic": sorted(self.formulaic)}
        return _sha256(json.dumps(payload, ensure_ascii=False))


@lru_cache(maxsize=8)
def _trie_regex(terms: tuple[str, ...]) -> re.Pattern:
    """Compile the terms as a character trie, longer continuations before a term's end.

    Equivalent to the alternation of the terms longest first (at each position the longest term wins), but the
    regex engine follows one trie path instead of trying every term, about three times faster. Cached, so
    reloading the same resources does not recompile.
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return re.compile(build(trie))


ResourceArg = str | os.PathLike | Iterable[str] | dict | None | bool


def load_resources(*, lexicon: ResourceArg = None, aliases: ResourceArg = None, stopwords: ResourceArg = None,
                   formulaic: ResourceArg = None) -> Resources:
    """Load the lexicon, alias map, stopword and formulaic-phrase lists.

    Parameters
    ----------
    lexicon, aliases, stopwords, formulaic
        ``None``: the bundled file (``analysis/resources/policy_lexicon.txt``, ``aliases.csv``,
        ``stopwords.txt``, ``formulaic.txt``); a path: the user's file in the same format; ``False``: none;
        an iterable of terms (a dict ``variant -> canonical`` for aliases) for programmatic use.

    Returns
    -------
    Resources
    """
    sources: dict[str, str] = {}
    lex = _load(lexicon, "policy_lexicon.txt", _read_lexicon, sources, "lexicon")
    if not isinstance(lex, dict):
        lex = {_norm(t): 0 for t in lex}
    ali = _load(aliases, "aliases.csv", _read_aliases, sources, "aliases")
    if not isinstance(ali, dict):
        raise ParameterError("aliases", aliases, reason="give a CSV path or a dict variant -> canonical")
    ali = {_norm(k): _norm(v) for k, v in ali.items() if _norm(k) and _norm(v) and _norm(k) != _norm(v)}
    stops = frozenset(_norm(t) for t in _load(stopwords, "stopwords.txt", _read_lines, sources, "stopwords"))
    form = frozenset(_norm(t) for t in _load(formulaic, "formulaic.txt", _read_lines, sources, "formulaic"))
    return Resources(lexicon=lex, aliases=ali, stopwords=stops - {""}, formulaic=form - {""}, sources=sources)


def _load(arg, default_name, reader, sources, key):
    if arg is False:
        sources[key] = "<none>"
        return {}
    if arg is None or arg is True:
        arg = config.resource_path(default_name)
    if isinstance(arg, (str, os.PathLike)):
        path = Path(arg)
        if not path.is_file():
            raise ResourceError(path, f"{key} file not found")
        sources[key] = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ResourceError(path, f"cannot read {key} file as UTF-8 ({exc})") from exc
        return reader(text, path)
    sources[key] = "<given>"
    if isinstance(arg, dict):
        return dict(arg)
    return list(arg)


def _read_lines(text: str, path: Path) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _read_lexicon(text: str, path: Path) -> dict[str, int]:
    """jieba userdict format: ``term [freq] [pos]`` per line."""
    out: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = 0
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise ResourceError(path, f"line {n}: frequency {parts[1]!r} is not an integer (format: term freq pos)")
            freq = int(parts[1])
        out[_norm(parts[0])] = max(freq, out.get(_norm(parts[0]), 0))
    return out


def _read_aliases(text: str, path: Path) -> dict[str, str]:
    rows = list(csv.reader(line for line in text.splitlines() if line.strip() and not line.startswith("#")))
    if not rows:
        return {}
    header = [h.strip().lower() for h in rows[0]]
    if "variant" in header and "canonical" in header:
        iv, ic = header.index("variant"), header.index("canonical")
        rows = rows[1:]
    else:
        iv, ic = 0, 1
    out = {}
    for n, row in enumerate(rows, 2):
        if len(row) <= max(iv, ic):
            raise ResourceError(path, f"row {n}: expected columns variant,canonical[,note]")
        out[row[iv].strip()] = row[ic].strip()
    return out


def _norm(term: str) -> str:
    return unicodedata.normalize("NFKC", str(term)).strip()


# --------------------------------------------------------------------------------------------- segmenters
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


def cut(text: str, resources: Resources | None = None, *, segmenter: Segmenter = "jieba",
        hmm: bool = True) -> list[tuple[str, int, int]]:
    """Cut one text into ``(token, start, end)`` with protected lexicon terms kept whole; whitespace dropped."""
    resources = resources if resources is not None else load_resources()
    tok = get_tokenizer(resources, segmenter=segmenter)
    n = len(text)
    kept: list[tuple[int, int]] = []  # protected matches, in order
    pattern = resources.protect_re
    if pattern is not None:
        words = _common_words()
        for m in pattern.finditer(text):
            start, end = m.span()
            if not _straddles(text, start, end, words):
                kept.append((start, end))
            # else: 提高企业 is 提高/企业, not 提/高企/业: leave it to the segmenter's dictionary
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


# --------------------------------------------------------------------------------------------- classes
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


# --------------------------------------------------------------------------------------------- tokenize
def tokenize(units, *, lexicon: ResourceArg = None, aliases: ResourceArg = None, stopwords: ResourceArg = None,
             formulaic: ResourceArg = None, resources: Resources | None = None, segmenter: Segmenter = "jieba",
             hmm: bool = True, cache: bool = True) -> pd.DataFrame:
    """Segment sentence units into a tidy token table.

    Parameters
    ----------
    units
        A :class:`analysis.corpus.Corpus` (its units, plus short document columns) or a units DataFrame with at
        least doc_id, unit_id, start, end, text.
    lexicon, aliases, stopwords, formulaic
        Resource overrides, see :func:`load_resources`; or pass ready ``resources``.
    segmenter
        ``"jieba"`` (default) or ``"rjieba"`` (the Rust port, faster; same protected lexicon).
    hmm
        Let the segmenter guess words that are not in its dictionary (jieba's HMM).
    cache
        Read and write per-document token tables under ``config.cache_dir()/"tokens"``.

    Returns
    -------
    DataFrame
        doc_id, unit_id, position (token index within the unit), token (alias-folded), raw (surface form),
        class (content|stop|formulaic|number|punct), start, end (offsets into the document text), then every
        unit column but text (part, city, province, doc_type, year, section_id, …) and short document columns.
        ``attrs``: segmenter, hmm, resources fingerprint and sources.
    """
    if segmenter not in SEGMENTERS:
        raise ParameterError("segmenter", segmenter, SEGMENTERS)
    units_df, docs_df = _split_input(units)
    res = resources if resources is not None else load_resources(
        lexicon=lexicon, aliases=aliases, stopwords=stopwords, formulaic=formulaic)

    # Documents in order of first appearance, their units in table order (= groupby("doc_id", sort=False)).
    codes, doc_ids = pd.factorize(units_df["doc_id"])
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]  # a unit without doc_id is not tokenized (groupby drops NaN keys)
    bounds = np.searchsorted(codes[order], np.arange(len(doc_ids) + 1))
    unit_ids, starts, ends, texts = (list(units_df[c]) for c in ("unit_id", "start", "end", "text"))
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__  # vocab[new word] = the next code
    parts = [_doc_tokens(str(doc_id), order[bounds[k]: bounds[k + 1]], unit_ids, starts, ends, texts, res,
                         segmenter, hmm, cache, vocab) for k, doc_id in enumerate(doc_ids)]

    # Columns from integer codes: unit rows index the units table, raw codes index the distinct surface forms
    # (aliases folded and classes decided once per form).
    def ints(name):
        return np.concatenate([np.asarray(part[name], dtype=np.int64) for part in parts] or [np.zeros(0, np.int64)])

    row, raw_codes = ints("row"), ints("raw")
    forms = list(vocab)
    folded = [res.aliases.get(t, t) for t in forms]
    classes = [_classify_one(t, res) for t in folded]

    def strings(values):
        return pd.Series(pd.array(values, dtype="str").take(raw_codes), index=pd.RangeIndex(len(raw_codes)))

    core = pd.DataFrame({"unit_id": _take(units_df["unit_id"], row).astype("str"),
                         "position": ints("position"), "raw": strings(forms), "start": ints("start"),
                         "end": ints("end"), "token": strings(folded), "class": strings(classes)})
    carried = units_df.drop(columns=[c for c in _UNIT_DROP if c in units_df.columns])
    clash = set(carried.columns) & (set(core.columns) - {"unit_id"})
    if pd.api.types.is_string_dtype(units_df["unit_id"]) and not clash:
        # the row of each token's unit is known: join by position (unit_id is unique, checked on input)
        taken = {c: _take(carried[c], row) for c in carried.columns if c != "unit_id"}
        out = pd.concat([core, pd.DataFrame(taken, index=pd.RangeIndex(len(row)))], axis=1)
    else:
        out = _left_join(core, carried, "unit_id")
    if docs_df is not None:
        doc_cols = [c for c in docs_df.columns if c not in _DOC_DROP and c not in out.columns
                    and not c.endswith("_evidence") and not c.startswith("n_")]
        if doc_cols:
            out = _left_join(out, docs_df[["doc_id", *doc_cols]], "doc_id")
    rest = [c for c in out.columns if c not in TOKEN_COLUMNS]
    out = out[TOKEN_COLUMNS + rest]
    out.attrs = {"segmenter": segmenter, "hmm": hmm, "resources": res.fingerprint, "sources": dict(res.sources)}
    return out


def _left_join(left: pd.DataFrame, right: pd.DataFrame, key: str) -> pd.DataFrame:
    """``left.merge(right, on=key, how="left", validate="many_to_one")`` by row positions, without its hashing
    and copying; falls back to ``merge`` whenever the fast path could differ (unmatched or duplicate keys,
    clashing column names)."""
    extra = [c for c in right.columns if c != key]
    keys = right[key]
    if set(extra) & set(left.columns) or not keys.is_unique:
        return left.merge(right, on=key, how="left", validate="many_to_one")
    idx = pd.Index(keys).get_indexer(left[key])
    if (idx < 0).any():
        return left.merge(right, on=key, how="left", validate="many_to_one")
    taken = {c: _take(right[c], idx) for c in extra}
    return pd.concat([left.reset_index(drop=True), pd.DataFrame(taken, index=pd.RangeIndex(len(left)))], axis=1)


def _take(col: pd.Series, idx: np.ndarray) -> pd.Series:
    values = col.array
    return pd.Series(values.take(idx), index=pd.RangeIndex(len(idx)), name=col.name)


def _split_input(units) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    docs = None
    if hasattr(units, "units") and hasattr(units, "docs"):
        docs = units.docs
        units = units.units
    if not isinstance(units, pd.DataFrame):
        raise ParameterError("units", type(units).__name__, reason="give a Corpus or a units DataFrame")
    missing = {"doc_id", "unit_id", "start", "end", "text"} - set(units.columns)
    if missing:
        raise ParameterError("units", "DataFrame", reason=f"missing columns: {', '.join(sorted(missing))}")
    if units["unit_id"].duplicated().any():
        raise ParameterError("units", "DataFrame", reason="unit_id is not unique")
    return units, docs


def _doc_tokens(doc_id: str, rows: np.ndarray, unit_ids: list, starts: list, ends: list, texts: list,
                res: Resources, segmenter: str, hmm: bool, cache: bool, vocab: dict[str, int]) -> dict[str, list]:
    """Tokens of one document's units (``rows``: their positions in the unit lists) as columns ``row`` (the
    unit's position), ``position``, ``raw`` (a code in ``vocab``, which grows), ``start``, ``end``.

    With ``cache``, the document's :data:`_CACHED_COLUMNS` table is read from, or written to, the token cache.
    """
    path = None
    if cache:
        key = _cache_key(doc_id, [(unit_ids[r], starts[r], ends[r], texts[r]) for r in rows], res, segmenter, hmm)
        path = config.cache_dir() / "tokens" / f"{key}.parquet"
        if path.is_file():
            try:
                df = pd.read_parquet(path)
                where = {unit_ids[r]: r for r in rows.tolist()}
                cols = {"row": [where[u] for u in df["unit_id"]], "position": df["position"].tolist(),
                        "raw": [vocab[w] for w in df["raw"]], "start": df["start"].tolist(),
                        "end": df["end"].tolist()}
                STATS["docs_from_cache"] += 1
                return cols
            except Exception:  # a truncated or foreign file: segment again and overwrite it
                pass
    out_row: list[int] = []
    out_pos: list[int] = []
    out_raw: list[int] = []
    out_start: list[int] = []
    out_end: list[int] = []
    surface: list[str] = []
    code = vocab.__getitem__
    for r in rows.tolist():
        text = texts[r]
        if not isinstance(text, str) or not text:
            continue
        base = int(starts[r])
        words = cut(text, res, segmenter=segmenter, hmm=hmm)
        if not words:
            continue
        n = len(words)
        raw, word_starts, word_ends = zip(*words)
        out_row.extend([r] * n)
        out_pos.extend(range(n))
        out_raw.extend(map(code, raw))
        out_start.extend(map(base.__add__, word_starts))
        out_end.extend(map(base.__add__, word_ends))
        if cache:
            surface.extend(raw)
    STATS["docs_segmented"] += 1
    if cache:
        df = pd.DataFrame({"unit_id": [unit_ids[r] for r in out_row], "position": out_pos, "raw": surface,
                           "start": out_start, "end": out_end}).astype(
            {"unit_id": "str", "position": "int64", "raw": "str", "start": "int64", "end": "int64"})
        _write_parquet(df, path)
    return {"row": out_row, "position": out_pos, "raw": out_raw, "start": out_start, "end": out_end}


def _cache_key(doc_id: str, units: list[tuple], res: Resources, segmenter: str, hmm: bool) -> str:
    """``units``: (unit_id, start, end, text) of each unit of the document, in order."""
    h = hashlib.sha256()
    for part in (doc_id, _package_version(), _segmenter_version(segmenter), segmenter, str(hmm),
                 res.segmentation_fingerprint):
        h.update(part.encode("utf-8") + b"\x00")
    for unit_id, start, end, text in units:
        h.update(f"{unit_id}\x00{start}\x00{end}\x00{text}\x01".encode("utf-8"))
    return h.hexdigest()


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write atomically, so concurrent workers never read half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except OSError as exc:
        logging.getLogger(__name__).warning("token cache not written (%s): %s", path, exc)


def clear_cache() -> int:
    """Delete every cached token table; return how many files were removed."""
    folder = config.cache_dir() / "tokens"
    n = 0
    for path in folder.glob("*.parquet") if folder.is_dir() else ():
        path.unlink(missing_ok=True)
        n += 1
    return n


@lru_cache(maxsize=1)
def _package_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("analysis")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


@lru_cache(maxsize=4)
def _segmenter_version(segmenter: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(segmenter)
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------- agreement
def segmenter_agreement(units, *, resources: Resources | None = None, hmm: bool = True) -> dict[str, float]:
    """Compare the jieba and rjieba backends on the same units.

    Returns
    -------
    dict
        ``jieba_tokens``, ``rjieba_tokens``, ``common`` (tokens with identical span and text) and
        ``agreement`` = 2·common / (jieba_tokens + rjieba_tokens), the F1 of token spans.
    """
    res = resources if resources is not None else load_resources()
    a = tokenize(units, resources=res, segmenter="jieba", hmm=hmm, cache=False)
    b = tokenize(units, resources=res, segmenter="rjieba", hmm=hmm, cache=False)
    keys = ["doc_id", "start", "end", "raw"]
    common = len(a[keys].merge(b[keys], on=keys, how="inner"))
    total = len(a) + len(b)
    return {"jieba_tokens": len(a), "rjieba_tokens": len(b), "common": common,
            "agreement": 1.0 if total == 0 else 2 * common / total}
