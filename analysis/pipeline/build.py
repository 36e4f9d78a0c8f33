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
from ..errors import AnalysisWarning, InputError, ParameterError, StorageError
from ..files import display_path
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
from .store import (
    StoreDamaged,
    concat_to_parquet,
    has,
    publish,
    read_pointer,
    store_file,
    tidy,
    verified_folder,
    verify,
)


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
            df = read_parquet(self._file(name), columns, filters)
        if not partial:
            self._cache[name] = df
        return df

    def _tokens(self, columns, filters) -> pd.DataFrame:
        from ..segment import with_context

        lean = read_parquet(self._file("tokens"), None, filters)
        units = read_parquet(self._file("units"), None, filters)
        docs = read_parquet(self._file("docs"), None, filters)
        df = with_context(lean, units, docs)
        if columns is not None:
            df = df[[c for c in columns if c in df.columns]]
        df.attrs = {k: self.manifest.get("options", {}).get(k) for k in ("segmenter", "hmm")}
        return df

    @property
    def build_id(self) -> str:
        """The id of this corpus and options (its folders are ``<id>.<tag>``, its pointer ``<id>.json``)."""
        return self.folder.name.split(".", 1)[0]

    def _file(self, name: str) -> Path:
        """A table's file; if a later build of the same corpus replaced this folder long ago, the current one."""
        path = self.folder / f"{name}.parquet"
        if not path.exists():
            ptr = read_pointer(self.folder.parent, self.build_id)
            if ptr is not None and (self.folder.parent / ptr["folder"]).is_dir():
                self.folder = self.folder.parent / ptr["folder"]
                return self.folder / f"{name}.parquet"
        return path

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
          segmenter: str = "jieba", hmm: bool = True, progress: bool = False, links: bool = False,
          max_mb: float | None = None, **resources) -> Build:
    """Build (or reuse) the corpus tables for files/folders; return the :class:`Build`.

    Parameters
    ----------
    paths : files or folders; None means the bundled seeds.
    manifest : a manifest CSV whose non-empty values override inference; None uses a ``corpus.csv`` found in a
        given folder; False uses none (pure inference).
    cache : the cache folder (default ``config.cache_dir()``); the tables land in ``<cache>/builds/<id>.<tag>/``,
        named by the pointer file ``<cache>/builds/<id>.json``.
    jobs : worker processes for the per-document work (1 = in this process).
    executor : ``"local"`` or ``"dask"`` (needs ``pip install .[dask]``; ``scheduler`` is the address of a
        ``dask.distributed`` scheduler, None starts a ``LocalCluster`` with ``jobs`` worker processes). The
        workers must see ``cache`` and the documents at the same paths (a shared file system).
    segmenter, hmm : the segmentation backend (``"jieba"`` or ``"rjieba"``) and jieba's HMM for unknown words.
    links : read symlinks that lead outside a given folder (refused by default).
    max_mb : the input limit (see :func:`analysis.corpus.decode.check_input`; default 10 MB of text).
    resources : lexicon, aliases, stopwords, formulaic, taxonomy, scheme, indicators, gazetteer (paths).

    Returns
    -------
    Build; ``Build.computed`` counts the stages this call computed (0 everywhere for a warm build) and
    ``Build.timings`` says where the time went. A cache that cannot be written (permissions, a full disk, a
    read-only file system) raises StorageError naming the path; a damaged cache entry is recomputed with an
    AnalysisWarning naming the cache file.
    """
    if executor not in EXECUTORS:
        raise ParameterError("executor", executor, EXECUTORS)
    opts = options(segmenter, hmm, **resources)
    paths = [config.SEEDS_DIR] if paths is None else [paths] if isinstance(paths, (str, Path)) else list(paths)
    root = Path(cache) if cache else config.cache_dir()
    try:
        run_opts = {"jobs": jobs, "executor": executor, "scheduler": scheduler, "progress": progress}
        return _build(paths, manifest, root, opts, run_opts, links=links, max_mb=max_mb)
    except OSError as exc:
        raise StorageError.from_os_error(exc) from None


def _build(paths, manifest, root: Path, opts: Options, run_opts: dict, *, links: bool, max_mb) -> Build:
    """The steps of :func:`build`: tidy the cache, plan, compute what is missing, assemble and swap in."""
    t_start = time.perf_counter()
    store, builds = root / "store", root / "builds"
    tidy(root)
    tasks, rejected, fp = _plan(paths, manifest, opts, links=links, max_mb=max_mb)
    t_run = time.perf_counter()
    timings = {"hash": t_run - t_start, **dict.fromkeys(STAGES, 0.0)}
    done = _compute(tasks, opts, store, run_opts)
    timings["run"] = time.perf_counter() - t_run
    ok, computed = _collect(tasks, done, rejected, timings)
    build_id = sha(*sorted(display_path(Path(g).resolve()) for g in map(str, paths)),
                   json.dumps(asdict(opts), sort_keys=True), display_path(str(manifest)))[:16]
    manifest_doc = {"format": BUILD_FORMAT, "options": asdict(opts), "fingerprint": fp,
                    "documents": [{"doc_id": d, "path": g, "sha256": h, "keys": k} for g, d, h, k in ok],
                    "rejected": [list(r) for r in rejected]}
    t_asm = time.perf_counter()
    out = current_folder(root, build_id, manifest_doc)
    for attempt in range(3):
        if out is not None:
            break
        try:
            out = _assemble(builds, build_id, store, ok, manifest_doc, threads=min(max(run_opts["jobs"], 1), 4))
        except StoreDamaged as exc:  # a store file damaged since it was written: recompute it, then assemble again
            if attempt == 2:
                raise
            discard(store, Path(exc.path), exc.reason)
            again = _collect(tasks, _compute(tasks, opts, store, run_opts), [], timings)[1]
            computed = {s: computed[s] + again[s] for s in STAGES}
    timings["assemble"] = time.perf_counter() - t_asm
    timings["total"] = time.perf_counter() - t_start
    rejected_df = pd.DataFrame(rejected, columns=["path", "reason"])
    return Build(out, manifest_doc, rejected_df, computed, {k: round(v, 4) for k, v in timings.items()})


def _compute(tasks, opts: Options, store: Path, run_opts: dict) -> dict:
    """Run the documents with a missing stage; a cached parse they need is verified first (a damaged one is
    discarded and recomputed, so that it is never reported as a fault of the source file)."""
    listing = {s: set(os.listdir(store / s)) if (store / s).is_dir() else set() for s in STAGES}
    todo = [(p, d, o, k) for p, _g, d, o, _h, k in tasks if not all(has(store, s, k[s], listing) for s in STAGES)]
    for _p, _d, _o, keys in todo:
        if has(store, "parse", keys["parse"], listing):
            for name in STAGES["parse"]:
                path = store_file(store, "parse", keys["parse"], name)
                try:
                    verify(path)
                except StoreDamaged as exc:
                    discard(store, path, exc.reason)
                    break
    return {r["doc_id"]: r for r in run(todo, opts, str(store), **run_opts)}


def discard(store: Path, path: Path, reason: str) -> None:
    """Remove every table of the stage entry a damaged store file belongs to, with a warning naming the file."""
    stage, key = path.parent.name, path.name.split(".", 1)[0]
    for name in STAGES.get(stage, ()):
        store_file(store, stage, key, name).unlink(missing_ok=True)
    warnings.warn(f"{display_path(path)}: damaged cache entry ({reason}); recomputed", AnalysisWarning, stacklevel=3)


def _plan(paths, manifest, opts: Options, *, links: bool = False, max_mb: float | None = None):
    """The documents to build with their content keys, the files rejected, and the build's fingerprint."""
    planned, rejected = plan_documents(paths, manifest, links=links, max_mb=max_mb)
    fp = fingerprint(opts)
    tasks = []
    for fpath, given, doc_id, over in planned:
        try:
            digest = file_hash(fpath)
        except OSError as exc:
            rejected.append((display_path(given), f"cannot read file: {exc.strerror or exc}"))
            continue
        keys = stage_keys(digest, doc_id, display_path(fpath.name), over, fp)
        tasks.append((str(fpath), display_path(given), doc_id, over, digest, keys))
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


def current_folder(root: Path, build_id: str, manifest_doc: dict | None = None) -> Path | None:
    """The folder the build's pointer names, if its tables are intact (and, given ``manifest_doc``, it is exactly
    that build); None otherwise. A damaged table is reported with a warning and rebuilt by :func:`build`."""
    folder, problem = verified_folder(root / "builds", build_id, TABLES)
    if problem:
        warnings.warn(problem, AnalysisWarning, stacklevel=3)
    if folder is None or manifest_doc is None:
        return folder
    try:
        same = json.loads((folder / "build.json").read_text(encoding="utf-8")) == manifest_doc
    except (OSError, ValueError):
        return None
    return folder if same else None


def _assemble(builds: Path, build_id: str, store: Path, ok: list[tuple[str, str, str, dict]], manifest_doc: dict, *,
              threads: int = 2) -> Path:
    """Stream the per-document store tables into one Parquet file per table (bounded memory) in a private
    folder, then publish it with one atomic replace of the pointer; return the folder.

    The tables are written by ``threads`` threads at once (Arrow reads, casts and compresses without the GIL).
    """
    from concurrent.futures import ThreadPoolExecutor

    builds.mkdir(parents=True, exist_ok=True)
    tag = f"p{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = builds / f".{build_id}.tmp-{tag}"
    tmp.mkdir()
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
        final = builds / f"{build_id}.{time.strftime('%Y%m%d%H%M%S')}-{tag}"
        tmp.rename(final)
        publish(builds, build_id, final, TABLES)
        return final
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
    """Delete the build cache (store and builds); nothing else has to be deleted by hand, ever: a damaged entry
    heals on the next build."""
    root = Path(cache) if cache else config.cache_dir()
    for sub in ("store", "builds"):
        shutil.rmtree(root / sub, ignore_errors=True)
