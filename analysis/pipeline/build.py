"""The cached corpus build: parse, segment, code and extract once; write tidy Parquet tables.

This is the one route by which the tables are made: :func:`load_corpus`, the CLI commands, the notebooks and the
API all read a :class:`Build`. Per-document work is a pure function of (file bytes, manifest row, resources,
code): each stage's result is stored under a content key (:mod:`.hashing`, :mod:`.store`), so a warm build does
nothing but hash, and a change recomputes only what depends on it — an edited document recomputes that document;
an edited lexicon or segmentation code recomputes the tokens, not the themes.

The build's output tables are Parquet, assembled by streaming the store's per-document tables through one
``ParquetWriter`` per table, so memory stays bounded by a buffer, not by the corpus. Token rows are stored lean
(ids, offsets, token, class) and joined with their unit and document columns when read.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..corpus.load import missing_metadata, plan_documents
from ..corpus.model import YEAR_COLUMNS, Corpus
from ..errors import AnalysisWarning, InputError, ParameterError
from .executors import run
from .hashing import file_hash, fingerprint, sha, stage_keys
from .options import (
    BUILD_FORMAT,
    EXECUTORS,
    RESOURCE_FILES,
    STAGES,
    TABLE_STAGE,
    TABLES,
    Executor,
    Options,
)
from .store import concat_to_parquet, has, store_file


@dataclass
class Build:
    """The built corpus: tidy tables read from Parquet, plus the build manifest and what this call computed."""

    folder: Path
    manifest: dict
    rejected: pd.DataFrame
    computed: dict = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    #: seconds of this call: ``hash`` (discover, hash, keys), ``run`` (wall time of the executor), ``assemble``,
    #: ``total``, and per stage the CPU-seconds its workers spent (summed over processes)
    timings: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    def table(self, name: str, *, columns: Sequence[str] | None = None, filters=None) -> pd.DataFrame:
        """One of the tables (docs, units, sections, tokens, themes, instruments, metrics).

        The whole table is read once and kept; with ``columns`` and/or ``filters`` (pyarrow's, e.g.
        ``[("doc_id", "in", ids)]``) only that part is read, and not kept — for large corpora. Tokens come with
        their unit columns (part, year, section …) and document columns (place, years, issuer …) joined.
        """
        if name not in TABLES:
            raise ParameterError("table", name, TABLES)
        partial = columns is not None or filters is not None
        if not partial and name in self._cache:
            return self._cache[name]
        if name == "tokens":
            df = self._tokens(columns, filters)
        else:
            df = read_parquet(self.folder / f"{name}.parquet", columns, filters)
        if not partial:
            self._cache[name] = df
        return df

    def _tokens(self, columns, filters) -> pd.DataFrame:
        from ..segment import with_context

        lean = read_parquet(self.folder / "tokens.parquet", None, filters)
        units = read_parquet(self.folder / "units.parquet", None, filters)
        docs = read_parquet(self.folder / "docs.parquet", None, filters)
        df = with_context(lean, units, docs)
        if columns is not None:
            df = df[[c for c in columns if c in df.columns]]
        df.attrs = {k: self.manifest.get("options", {}).get(k) for k in ("segmenter", "hmm")}
        return df

    def __getattr__(self, name: str):
        if name in TABLES:
            return self.table(name)
        raise AttributeError(name)

    @property
    def corpus(self) -> Corpus:
        """The docs/units/sections as a :class:`Corpus`."""
        return Corpus(self.docs, self.units, self.sections, self.rejected)


def read_parquet(path: Path, columns, filters) -> pd.DataFrame:
    """A Parquet table (or part of it), year columns as nullable integers."""
    df = pd.read_parquet(path, columns=list(columns) if columns else None, filters=filters)
    for col in YEAR_COLUMNS:
        if col in df:
            df[col] = pd.array(df[col], dtype="Int64")
    return df


def options(segmenter: str = "jieba", hmm: bool = True, **resources) -> Options:
    """Check the build options and resource overrides; return them as :class:`Options`."""
    from ..segment import SEGMENTERS

    unknown = sorted(set(resources) - set(RESOURCE_FILES))
    if unknown:
        raise ParameterError("resources", ", ".join(unknown), sorted(RESOURCE_FILES))
    if segmenter not in SEGMENTERS:
        raise ParameterError("segmenter", segmenter, SEGMENTERS)
    for name, value in resources.items():
        if value and not Path(value).is_file():
            raise InputError(value, f"{name} file not found")
    return Options(segmenter=segmenter, hmm=bool(hmm),
                   **{k: (str(Path(v).resolve()) if v else None) for k, v in resources.items()})


def build(paths: str | Path | Sequence[str | Path] | None = None, *, manifest: str | Path | bool | None = None,
          cache: str | Path | None = None, jobs: int = 1, executor: Executor = "local", scheduler: str | None = None,
          segmenter: str = "jieba", hmm: bool = True, progress: bool = False, **resources) -> Build:
    """Build (or reuse) the corpus tables for files/folders; return the :class:`Build`.

    Parameters
    ----------
    paths : files or folders; None means the bundled seeds.
    manifest : a manifest CSV whose non-empty values override inference; None uses a ``corpus.csv`` found in a
        given folder; False uses none (pure inference).
    cache : the cache folder (default ``config.cache_dir()``); the tables land in ``<cache>/builds/<id>/``.
    jobs : worker processes for the per-document work (1 = in this process).
    executor : ``"local"`` or ``"dask"`` (needs ``pip install .[dask]``; ``scheduler`` is the address of a
        ``dask.distributed`` scheduler, None starts a ``LocalCluster`` with ``jobs`` worker processes). The
        workers must see ``cache`` and the documents at the same paths (a shared file system).
    segmenter, hmm : the segmentation backend (``"jieba"`` or ``"rjieba"``) and jieba's HMM for unknown words.
    resources : lexicon, aliases, stopwords, formulaic, taxonomy, scheme, indicators, gazetteer (paths).

    Returns
    -------
    Build; ``Build.computed`` counts the stages this call computed (0 everywhere for a warm build) and
    ``Build.timings`` says where the time went.
    """
    t_start = time.perf_counter()
    if executor not in EXECUTORS:
        raise ParameterError("executor", executor, EXECUTORS)
    opts = options(segmenter, hmm, **resources)
    paths = [config.SEEDS_DIR] if paths is None else [paths] if isinstance(paths, (str, Path)) else list(paths)
    root = Path(cache) if cache else config.cache_dir()
    store = root / "store"
    tasks, rejected, fp = _plan(paths, manifest, opts)
    listing = {s: set(os.listdir(store / s)) if (store / s).is_dir() else set() for s in STAGES}
    t_run = time.perf_counter()
    todo = [(p, d, o, k) for p, _g, d, o, _h, k in tasks if not all(has(store, s, k[s], listing) for s in STAGES)]
    done = {r["doc_id"]: r for r in run(todo, opts, str(store), jobs=jobs, executor=executor, scheduler=scheduler,
                                            progress=progress)}
    timings = {"hash": t_run - t_start, "run": time.perf_counter() - t_run, **dict.fromkeys(STAGES, 0.0)}
    ok, computed = _collect(tasks, done, rejected, timings)
    build_id = sha(*sorted(str(Path(g).resolve()) for g in map(str, paths)),
                   json.dumps(asdict(opts), sort_keys=True), str(manifest))[:16]
    out = root / "builds" / build_id
    manifest_doc = {"format": BUILD_FORMAT, "options": asdict(opts), "fingerprint": fp,
                    "documents": [{"doc_id": d, "path": g, "sha256": h, "keys": k} for g, d, h, k in ok],
                    "rejected": [list(r) for r in rejected]}
    t_asm = time.perf_counter()
    if not _current(out, manifest_doc):
        _assemble(out, store, ok, manifest_doc, threads=min(max(jobs, 1), 4))
    timings["assemble"] = time.perf_counter() - t_asm
    timings["total"] = time.perf_counter() - t_start
    rejected_df = pd.DataFrame(rejected, columns=["path", "reason"])
    return Build(out, manifest_doc, rejected_df, computed, {k: round(v, 4) for k, v in timings.items()})


def _plan(paths, manifest, opts: Options):
    """The documents to build with their content keys, the files rejected, and the build's fingerprint."""
    planned, rejected = plan_documents(paths, manifest)
    fp = fingerprint(opts)
    tasks = []
    for fpath, given, doc_id, over in planned:
        digest = file_hash(fpath)
        keys = stage_keys(digest, doc_id, fpath.name, over, fp)
        tasks.append((str(fpath), given, doc_id, over, digest, keys))
    return tasks, rejected, fp


def _collect(tasks, done: dict, rejected: list, timings: dict):
    """The documents built (given path, doc_id, hash, keys) and the stages computed; failures join ``rejected``."""
    computed = dict.fromkeys(STAGES, 0)
    ok = []
    for _fpath, given, doc_id, _over, digest, keys in tasks:
        res = done.get(doc_id, {"doc_id": doc_id, "keys": keys, "computed": []})
        for s in res["computed"]:
            computed[s] += 1
        for s, sec in res.get("seconds", {}).items():
            timings[s] += sec
        if "error" in res:
            rejected.append((given, res["error"]))
        else:
            ok.append((given, doc_id, digest, keys))
    return ok, computed


def _current(out: Path, manifest_doc: dict) -> bool:
    """True when the build folder holds every table of exactly this build."""
    try:
        same = json.loads((out / "build.json").read_text(encoding="utf-8")) == manifest_doc
    except (OSError, ValueError):
        return False
    return same and all((out / f"{t}.parquet").exists() for t in TABLES)


def _assemble(out: Path, store: Path, ok: list[tuple[str, str, str, dict]], manifest_doc: dict, *,
              threads: int = 2) -> None:
    """Stream the per-document store tables into one Parquet file per table (bounded memory), then swap the
    finished folder (tables and ``build.json``) in, so no reader and no concurrent build sees half a build.

    The tables are written by ``threads`` threads at once (Arrow reads, casts and compresses without the GIL).
    """
    from concurrent.futures import ThreadPoolExecutor

    tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = out.with_name(f".{out.name}.tmp-{tag}")
    tmp.mkdir(parents=True)
    try:
        def one(name: str) -> None:
            stage = TABLE_STAGE[name]
            files = [(given, store_file(store, stage, keys[stage], name)) for given, _d, _h, keys in ok]
            concat_to_parquet(files, tmp / f"{name}.parquet", set_path=name in ("docs", "metrics"))

        # the largest table first, so the others fill the second thread meanwhile
        order = sorted(TABLES, key=lambda t: t != "tokens")
        with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
            list(pool.map(one, order))
        (tmp / "build.json").write_text(json.dumps(manifest_doc, ensure_ascii=False, indent=1), encoding="utf-8")
        old = out.with_name(f".{out.name}.old-{tag}")
        try:
            out.rename(old)
        except FileNotFoundError:
            pass
        try:
            tmp.rename(out)
        except OSError:  # another build of the same corpus swapped its (equivalent) folder in meanwhile
            pass
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load_build(paths=None, *, manifest=None, **kwargs) -> Build:
    """The built tables for a corpus (building what is missing): the entry point of the notebooks."""
    return build(paths, manifest=manifest, **kwargs)


def load_corpus(paths: str | Path | Sequence[str | Path] | None = None, manifest: str | Path | bool | None = None,
                **kwargs) -> Corpus:
    """Load documents from files and/or folders into a :class:`Corpus` (through the cached build).

    Parameters
    ----------
    paths : files or folders; None means the bundled seeds.
    manifest : a manifest CSV whose non-empty values override inference; None uses a ``corpus.csv`` found in a
        given folder; False uses none (pure inference). Rows whose ``status`` is duplicate, near_duplicate,
        rejected or missing (see ``analysis.corpus.ingest``) are skipped.
    kwargs : other :func:`build` options (cache, jobs, gazetteer and other resources).

    Returns
    -------
    Corpus with ``docs``, ``units``, ``sections`` and ``rejected`` (path, reason). A document whose place, type
    or year cannot be inferred is kept, with a warning naming the manifest column to fill.
    """
    corpus = build(paths, manifest=manifest, **kwargs).corpus
    for message in missing_metadata(corpus.docs):
        warnings.warn(message, AnalysisWarning, stacklevel=2)
    return corpus


def clear_cache(cache: str | Path | None = None) -> None:
    """Delete the build cache (store and builds)."""
    root = Path(cache) if cache else config.cache_dir()
    for sub in ("store", "builds"):
        shutil.rmtree(root / sub, ignore_errors=True)
