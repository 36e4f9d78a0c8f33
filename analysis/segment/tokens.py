"""Units -> the tidy token table, and the join of tokens with their unit and document columns."""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from ..corpus.model import docs_of, units_of
from ..errors import ParameterError
from . import route
from .cut import (
    SEGMENTERS,
    STATS,
    Segmenter,
    _classify_one,
    get_tokenizer,
    protected_spans,
)
from .resources import ResourceArg, Resources, load_resources

#: The columns every token table starts with, in this order; unit and document columns follow.
TOKEN_COLUMNS = ["doc_id", "unit_id", "position", "token", "raw", "class", "start", "end"]
#: Unit columns that are not carried onto tokens (the unit's text; its offsets are replaced by the token's).
_UNIT_DROP = {"text", "start", "end"}
#: Document columns that are never carried onto tokens (long text, file bookkeeping, structure counts);
#: every other document column (summary_year, plan_year, published, issuer, a manifest's own columns) is.
_DOC_DROP = {"text", "text_original", "path", "file", "title", "sha256", "encoding", "source_format", "header_name",
             "metadata_source", "summary_chars", "plan_chars"}


def tokenize(units, *, lexicon: ResourceArg = None, aliases: ResourceArg = None, stopwords: ResourceArg = None,
             formulaic: ResourceArg = None, resources: Resources | None = None, segmenter: Segmenter = "jieba",
             hmm: bool = True, context: bool = True) -> pd.DataFrame:
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
    context
        Join the unit and document columns (:func:`with_context`); False gives the lean :data:`TOKEN_COLUMNS`.

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
    units_df = units_of(units, required=("doc_id", "unit_id", "start", "end", "text"))
    if units_df["unit_id"].duplicated().any():
        raise ParameterError("units", "DataFrame", reason="unit_id is not unique")
    res = resources if resources is not None else load_resources(
        lexicon=lexicon, aliases=aliases, stopwords=stopwords, formulaic=formulaic)
    out = _lean_tokens(units_df, res, segmenter, hmm)
    if context:
        out = with_context(out, units_df, docs_of(units))
    out.attrs = {"segmenter": segmenter, "hmm": hmm, "resources": res.fingerprint, "sources": dict(res.sources)}
    return out


def _lean_tokens(units_df: pd.DataFrame, res: Resources, segmenter: str, hmm: bool) -> pd.DataFrame:
    """The :data:`TOKEN_COLUMNS` of every unit, documents in order of first appearance, units in table order."""
    codes, doc_ids = pd.factorize(units_df["doc_id"])
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]  # a unit without doc_id is not tokenized (groupby drops NaN keys)
    bounds = np.searchsorted(codes[order], np.arange(len(doc_ids) + 1))
    starts, texts = list(units_df["start"]), list(units_df["text"])
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__  # vocab[new word] = the next code
    parts = [_doc_tokens(order[bounds[k]: bounds[k + 1]], starts, texts, res, segmenter, hmm, vocab)
             for k in range(len(doc_ids))]

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

    return pd.DataFrame({"doc_id": _take(units_df["doc_id"], row).astype("str"),
                         "unit_id": _take(units_df["unit_id"], row).astype("str"), "position": ints("position"),
                         "token": strings(folded), "raw": strings(forms), "class": strings(classes),
                         "start": ints("start"), "end": ints("end")})


def with_context(tokens: pd.DataFrame, units: pd.DataFrame, docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Join lean token rows with their unit's columns (all but text and offsets) and the short document columns.

    Parameters
    ----------
    tokens : rows with at least doc_id and unit_id (as :func:`tokenize` with ``context=False`` returns).
    units : the units table the tokens come from.
    docs : the docs table, or None (no document columns).

    Returns
    -------
    DataFrame: :data:`TOKEN_COLUMNS` first, then the unit and document columns.
    """
    carried = units.drop(columns=[c for c in _UNIT_DROP if c in units.columns])
    carried = carried.drop(columns=[c for c in carried.columns if c in tokens.columns and c != "unit_id"])
    out = _left_join(tokens.reset_index(drop=True), carried, "unit_id")
    if docs is not None:
        doc_cols = [c for c in docs.columns if c not in _DOC_DROP and c not in out.columns
                    and not c.endswith("_evidence") and not c.startswith("n_")]
        if doc_cols:
            out = _left_join(out, docs[["doc_id", *doc_cols]], "doc_id")
    rest = [c for c in out.columns if c not in TOKEN_COLUMNS]
    out = out[[c for c in TOKEN_COLUMNS if c in out.columns] + rest]
    out.attrs = dict(tokens.attrs)
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
    return pd.concat([left, pd.DataFrame(taken, index=pd.RangeIndex(len(left)))], axis=1)


def _take(col: pd.Series, idx: np.ndarray) -> pd.Series:
    values = col.array
    return pd.Series(values.take(idx), index=pd.RangeIndex(len(idx)), name=col.name)


def _doc_tokens(rows: np.ndarray, starts: list, texts: list, res: Resources, segmenter: str, hmm: bool,
                vocab: dict[str, int]) -> dict[str, np.ndarray]:
    """Tokens of one document's units (``rows``: their positions in the unit lists) as columns ``row`` (the
    unit's position), ``position``, ``raw`` (a code in ``vocab``, which grows), ``start``, ``end``.

    The gaps between protected terms are cut in one segmenter call per document, joined by a character the
    segmenters always emit alone and never join to a neighbour (a control character absent from the text): jieba
    and rjieba cut each run of Han/alphanumeric characters on its own, so every gap is cut exactly as it would be
    alone, and jieba's loop runs once instead of once per gap. Offsets and unit positions are then arrays.
    """
    rows = [r for r in rows.tolist() if isinstance(texts[r], str) and texts[r]]
    utexts = [texts[r] for r in rows]
    gap_unit, gap_start, gap_text, kept_unit, kept_start, kept_text = [], [], [], [], [], []
    for k, (text, spans) in enumerate(zip(utexts, protected_spans(utexts, res))):
        pos = 0
        for s, e in [*spans, (len(text), len(text))]:
            if s > pos:  # the gap text[pos:s] goes to the segmenter
                gap_unit.append(k), gap_start.append(pos), gap_text.append(text[pos:s])
            if e > s:
                kept_unit.append(k), kept_start.append(s), kept_text.append(text[s:e])
            pos = e
    words, joined_starts = _cut_gaps(gap_text, utexts, res, segmenter, hmm)
    lengths = np.fromiter(map(len, words), np.int64, len(words))
    w_end = np.cumsum(lengths)
    w_start = w_end - lengths
    g = np.searchsorted(joined_starts, w_start, side="right") - 1
    gap_len = np.fromiter(map(len, gap_text), np.int64, len(gap_text))
    bound = joined_starts + gap_len  # where each gap's separator sits
    is_sep = w_start == bound[g]
    if (is_sep & (lengths != 1)).any() or (~is_sep & (w_end > bound[g])).any():
        raise RuntimeError(f"{segmenter} joined a word across two texts it was given")
    keep = ~is_sep & ~np.fromiter(map(str.isspace, words), bool, len(words))
    code = vocab.__getitem__
    w_codes = np.fromiter(map(code, words), np.int64, len(words))
    g_unit, g_start = np.asarray(gap_unit, np.int64), np.asarray(gap_start, np.int64)
    unit = np.concatenate([g_unit[g[keep]], np.asarray(kept_unit, np.int64)])
    start = np.concatenate([(g_start[g] + w_start - joined_starts[g])[keep], np.asarray(kept_start, np.int64)])
    end = start + np.concatenate([lengths[keep], np.fromiter(map(len, kept_text), np.int64, len(kept_text))])
    raw = np.concatenate([w_codes[keep], np.fromiter(map(code, kept_text), np.int64, len(kept_text))])
    order = np.lexsort((start, unit))
    unit, start, end, raw = unit[order], start[order], end[order], raw[order]
    base = np.asarray([int(starts[r]) for r in rows], np.int64)
    STATS["docs_segmented"] += 1
    return {"row": np.asarray(rows, np.int64)[unit] if len(unit) else unit,
            "position": np.arange(len(unit)) - np.searchsorted(unit, unit, side="left"),
            "raw": raw, "start": base[unit] + start if len(unit) else start, "end": base[unit] + end if len(unit) else end}


#: candidate separators for :func:`_cut_gaps`: not Han, not alphanumeric, not whitespace, so cut alone
_SEPARATORS = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"


def _cut_gaps(gaps: list[str], texts: list[str], res: Resources, segmenter: str, hmm: bool):
    """The words of every gap, in order, with one separator word between consecutive gaps; and the offset of
    each gap in that joined text. One segmenter call, or one per gap if every candidate separator occurs."""
    tok = get_tokenizer(res, segmenter=segmenter)
    if segmenter == "rjieba":
        seg = lambda t: tok.cut(t, hmm)  # noqa: E731
    elif hmm and route.supported(tok):  # jieba's own words, computed in fewer steps
        seg = lambda t: route.lcut(tok, t)  # noqa: E731
    else:
        seg = lambda t: tok.lcut(t, HMM=hmm)  # noqa: E731
    sep = next((c for c in _SEPARATORS if not any(c in t for t in texts)), None)
    STATS["segment_calls"] += len(gaps)
    if sep is not None:
        joined = sep.join(gaps)
        words = seg(joined) if gaps else []
    else:
        sep, words = "\x00", []
        for i, gap in enumerate(gaps):
            words.extend([sep, *seg(gap)] if i else seg(gap))
        joined = sep.join(gaps)
    if "".join(words) != joined:  # a segmenter that does not return its text would corrupt every offset
        raise RuntimeError(f"{segmenter} changed the text while cutting")
    lengths = np.fromiter(map(len, gaps), np.int64, len(gaps))
    return words, np.concatenate([[0], np.cumsum(lengths[:-1] + 1)]).astype(np.int64) if gaps else lengths


def segmenter_agreement(units, *, resources: Resources | None = None, hmm: bool = True) -> dict[str, float]:
    """Compare the jieba and rjieba backends on the same units.

    Returns
    -------
    dict
        ``jieba_tokens``, ``rjieba_tokens``, ``common`` (tokens with identical span and text) and
        ``agreement`` = 2·common / (jieba_tokens + rjieba_tokens), the F1 of token spans.
    """
    res = resources if resources is not None else load_resources()
    a = tokenize(units, resources=res, segmenter="jieba", hmm=hmm, context=False)
    b = tokenize(units, resources=res, segmenter="rjieba", hmm=hmm, context=False)
    keys = ["doc_id", "start", "end", "raw"]
    common = len(a[keys].merge(b[keys], on=keys, how="inner"))
    total = len(a) + len(b)
    return {"jieba_tokens": len(a), "rjieba_tokens": len(b), "common": common,
            "agreement": 1.0 if total == 0 else 2 * common / total}
