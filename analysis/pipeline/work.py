"""The per-document work of a build: parse, tokens, themes and metrics for a batch of documents.

``process_batch`` is a pure function of its arguments and the files they name, so it runs the same in this
process, in a worker process or on a Dask worker. Each stage runs once per batch (one ``tokenize`` call, one
``code_themes`` call …) and its result is split by ``doc_id`` into the per-document store files; every stage
treats each document independently, so a batch's result equals the per-document results.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..corpus.model import DOC_COLUMNS, UNIT_COLUMNS, frame
from ..errors import AnalysisError, InputError
from .hashing import file_hash, fingerprint, stage_keys
from .options import STAGES, Options, resource_file
from .store import has, read_table, split_by_doc, store_file, write_table

_LOADED: dict[tuple, object] = {}


def _load_once(kind: str, opts: Options):
    """Load a resource (segmentation resources, taxonomy, scheme, catalogue) once per process and content."""
    names = {"segment": ("lexicon", "aliases", "stopwords", "formulaic"), "taxonomy": ("taxonomy",),
             "scheme": ("scheme",), "catalogue": ("indicators",)}[kind]
    key = (kind, *((getattr(opts, n), file_hash(resource_file(opts, n))) for n in names))
    if key not in _LOADED:
        if kind == "segment":
            from ..segment import get_tokenizer, load_resources

            value = load_resources(lexicon=opts.lexicon, aliases=opts.aliases, stopwords=opts.stopwords,
                                   formulaic=opts.formulaic)
            get_tokenizer(value, segmenter=opts.segmenter)  # the dictionary: once per worker process
        elif kind == "taxonomy":
            from ..themes import load_taxonomy

            value = load_taxonomy(opts.taxonomy)
        elif kind == "scheme":
            from ..themes import load_scheme

            value = load_scheme(opts.scheme)
        else:
            from ..metrics import load_catalogue

            value = load_catalogue(opts.indicators)
        _LOADED[key] = value
    return _LOADED[key]

#: counters a test can read to prove what a build did (per process; :attr:`Build.computed` sums all workers)
STATS = {"parse": 0, "tokens": 0, "themes": 0, "metrics": 0}


def reset_stats() -> None:
    """Set every counter in :data:`STATS` to zero."""
    for k in STATS:
        STATS[k] = 0


def process_document(path: str, doc_id: str, overrides: dict, opts: Options, store: str) -> dict:
    """Run every stage whose result is not in the store for one document; return {doc_id, keys, computed} or an error.

    A pure function of its arguments and the files they name, safe to run in another process or on Dask.
    """
    fp = fingerprint(opts)
    keys = stage_keys(file_hash(path), doc_id, Path(path).name, overrides, fp)
    return process_batch([(path, doc_id, overrides, keys)], opts, store)[0]


def process_batch(items: Sequence[tuple[str, str, dict, dict]], opts: Options, store: str | Path) -> list[dict]:
    """Run the missing stages of a batch of documents ``(path, doc_id, overrides, keys)``; one result per item.

    Each stage is called once for the documents of the batch that need it and its result is split by ``doc_id``
    into the per-document store files. A document that fails is reported (``error``) without failing the others.
    Each result carries ``seconds`` per stage (the batch's time shared equally by its documents).
    """
    store = Path(store)
    results = [{"doc_id": d, "keys": k, "computed": [], "seconds": {}} for _p, d, _o, k in items]
    need = [{s: not has(store, s, k[s]) for s in STAGES} for _p, _d, _o, k in items]
    batch = _Batch()
    t0 = time.perf_counter()
    fresh: dict[str, tuple] = {}
    for (path, doc_id, over, keys), res, nd in zip(items, results, need):
        if not any(nd.values()):
            continue
        try:
            if nd["parse"]:
                fresh[doc_id] = _parse(path, doc_id, over, opts)
                batch.docs[doc_id], batch.units[doc_id] = fresh[doc_id][:2]
            else:
                batch.docs[doc_id] = read_table(store_file(store, "parse", keys["parse"], "docs")).to_pandas()
                batch.units[doc_id] = _restore_units(
                    read_table(store_file(store, "parse", keys["parse"], "units")).to_pandas())
        except (AnalysisError, UnicodeError, ValueError, OSError) as exc:  # never a traceback for one bad file
            res["error"] = exc.reason if isinstance(exc, InputError) else f"could not be parsed: {type(exc).__name__}: {exc}"
    if fresh:
        ids = list(fresh)
        parts = {name: split_by_doc(pd.concat([fresh[d][i] for d in ids], ignore_index=True), ids)
                 for i, name in enumerate(STAGES["parse"])}
        for (path, doc_id, over, keys), res in zip(items, results):
            if doc_id in fresh:
                for name in STAGES["parse"]:
                    write_table(store_file(store, "parse", keys["parse"], name), parts[name][doc_id])
                STATS["parse"] += 1
                res["computed"].append("parse")
    _share(results, [r for r in results if "parse" in r["computed"]], "parse", time.perf_counter() - t0)
    for stage, run in (("tokens", _run_tokens), ("themes", _run_themes), ("metrics", _run_metrics)):
        todo = [(it, res) for it, res, nd in zip(items, results, need) if nd[stage] and "error" not in res]
        if todo:
            t0 = time.perf_counter()
            _run_stage(stage, run, todo, batch, opts, store)
            _share(results, [r for _it, r in todo], stage, time.perf_counter() - t0)
    return results


#: a short document of our own for :func:`warm` (a summary and a plan sentence with figures, a heading each)
_WARM_TEXT = ("某市人民政府工作报告\n一、2023年工作回顾\n全社会研发投入增长10%，新增高新技术企业100家。\n"
              "二、2024年工作安排\n我们将加快建设科技创新平台，力争研发投入强度达到3%。\n")


def warm(opts: Options) -> None:
    """Run every stage once on a short document of our own, in a throwaway store (counters kept as they were).

    Called before worker processes are forked: they inherit the tokenizer, the automata, the compiled patterns and
    the caches this loads instead of each building them again (about two CPU-seconds per process).
    """
    import tempfile

    from .. import segment

    saved = dict(STATS), dict(segment.STATS)
    try:
        with tempfile.TemporaryDirectory(prefix="analysis-warm-") as tmp:
            doc = Path(tmp) / "warm.txt"
            doc.write_text(_WARM_TEXT, encoding="utf-8")
            keys = stage_keys(file_hash(str(doc)), "warm", doc.name, {}, fingerprint(opts))
            process_batch([(str(doc), "warm", {}, keys)], opts, Path(tmp) / "store")
    except OSError:  # no writable temp folder: the workers load what they need themselves, as without warming
        pass
    finally:
        STATS.update(saved[0])
        segment.STATS.update(saved[1])


def _share(results, who, stage, seconds) -> None:
    for r in who:
        r["seconds"][stage] = seconds / len(who)


class _Batch:
    """The parsed documents of a batch, and their units concatenated once for all stages."""

    def __init__(self):
        self.docs: dict[str, pd.DataFrame] = {}
        self.units: dict[str, pd.DataFrame] = {}
        self._concat: dict[tuple, pd.DataFrame] = {}

    def units_of(self, ids: Sequence[str]) -> pd.DataFrame:
        key = tuple(ids)
        if key not in self._concat:
            self._concat[key] = self.units[ids[0]] if len(ids) == 1 else pd.concat(
                [self.units[i] for i in ids], ignore_index=True)
        return self._concat[key]

    def docs_of(self, ids: Sequence[str]) -> pd.DataFrame:
        return pd.concat([self.docs[i] for i in ids], ignore_index=True)


def _parse(path: str, doc_id: str, overrides: dict, opts: Options):
    from ..corpus.load import parse_document

    doc, urows, srows, drows = parse_document(path, doc_id=doc_id, gazetteer=opts.gazetteer, chrome=opts.chrome,
                                              overrides=overrides)
    sections = pd.DataFrame(srows) if srows else pd.DataFrame({"doc_id": pd.Series([], dtype="str")})
    dropped = pd.DataFrame(drows, columns=["doc_id", "line", "rule", "length"]).astype(
        {"doc_id": "str", "line": "int64", "rule": "str", "length": "int64"})
    return frame([doc], DOC_COLUMNS), frame(urows, UNIT_COLUMNS), sections, dropped


def _restore_units(units: pd.DataFrame) -> pd.DataFrame:
    if "year" in units:
        units["year"] = pd.array(units["year"], dtype="Int64")
    return units


def _run_stage(stage, run, todo, batch, opts, store) -> None:
    """Run one stage for a batch; if the batch call fails, run it per document so one bad document stays alone."""
    ids = [it[1] for it, _res in todo]
    try:
        parts = run(ids, batch, opts)
    except Exception:  # noqa: BLE001 - isolate the failing document below, then report it as rejected
        if len(ids) == 1:
            exc = sys.exc_info()[1]
            todo[0][1]["error"] = f"{stage} failed: {type(exc).__name__}: {exc}"
            return
        for one in todo:
            _run_stage(stage, run, [one], batch, opts, store)
        return
    for (path, doc_id, over, keys), res in todo:
        for name in STAGES[stage]:
            write_table(store_file(store, stage, keys[stage], name), parts[name][doc_id])
        STATS[stage] += 1
        res["computed"].append(stage)


def _run_tokens(ids, batch, opts):
    from ..segment import tokenize

    res = _load_once("segment", opts)
    tokens = tokenize(batch.units_of(ids), resources=res, segmenter=opts.segmenter, hmm=opts.hmm, context=False)
    return {"tokens": split_by_doc(tokens, ids)}


def _run_themes(ids, batch, opts):
    from ..themes import code_instruments, code_themes

    units = batch.units_of(ids)
    return {"themes": split_by_doc(code_themes(units, taxonomy=_load_once("taxonomy", opts)), ids),
            "instruments": split_by_doc(code_instruments(units, scheme=_load_once("scheme", opts),
                                                         taxonomy=_load_once("taxonomy", opts)), ids)}


def _run_metrics(ids, batch, opts):
    from ..metrics import extract_metrics

    met = extract_metrics(batch.units_of(ids), catalogue=_load_once("catalogue", opts), docs=batch.docs_of(ids))
    return {"metrics": split_by_doc(met, ids)}
