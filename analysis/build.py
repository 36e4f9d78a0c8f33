"""The cached corpus build: parse, segment, code and extract once; write tidy Parquet tables.

Per-document work is a pure function of (file bytes, manifest row, resources, code): each stage's result is
stored under a content key, so a warm build does nothing but hash, and a change recomputes only what depends
on it — an edited document recomputes that document; an edited lexicon recomputes the tokens, not the themes.

How it stays cheap:

* The keys are computed in the calling process (file hashes are cached by ``stat`` signature), and only the
  documents with a missing stage are sent to the executor; a warm build starts no worker and loads no model.
* Work is sent in small batches of documents: each stage runs once per batch (one ``tokenize`` call, one
  ``code_themes`` call …) and its result is split by ``doc_id``, which spreads the fixed cost of a pandas
  call over many documents. Every stage treats each document independently, so a batch's result equals the
  per-document results (``tests/test_build.py`` checks ``jobs=2`` and Dask against ``jobs=1``).
* Resources (lexicon, taxonomy, scheme, catalogue) and the segmenter are loaded once per process, keyed by the
  content hash of their files.
* The store holds Arrow IPC files (``<cache>/store/<stage>/<key>.<table>.arrow``, zstd): writing and
  reading them costs a fraction of Parquet for small per-document tables. The build's output tables are
  Parquet, assembled by streaming the store's tables through one ``ParquetWriter`` per table, so memory stays
  bounded by a buffer, not by the corpus.

The same batch function runs in-process (``jobs=1``), in a process pool (``jobs > 1``; jieba's dictionary is
loaded once per worker) or on a ``dask.distributed`` cluster (``executor="dask"``).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from . import config
from .corpus import DOC_COLUMNS, UNIT_COLUMNS, Corpus, _frame, plan_documents
from .errors import AnalysisError, InputError, ParameterError

TABLES = ("docs", "units", "sections", "tokens", "themes", "instruments", "metrics")
#: stage -> the tables it stores, in write order (the last one written marks the stage complete)
STAGES = {"parse": ("docs", "units", "sections"), "tokens": ("tokens",), "themes": ("themes", "instruments"),
          "metrics": ("metrics",)}
_TABLE_STAGE = {t: s for s, ts in STAGES.items() for t in ts}
#: the analysis modules each stage runs (their imports inside the package are followed for the code hash)
_STAGE_MODULES = {"parse": ("corpus",), "tokens": ("segment",), "themes": ("themes",), "metrics": ("metrics",)}
Executor = Literal["local", "dask"]
SEGMENTERS = ("jieba", "rjieba")
BUILD_FORMAT = 2
#: documents per batch sent to a worker (upper bound; smaller when there are few documents per worker)
BATCH_DOCS = 8
#: rows and bytes buffered per output table before a Parquet row group is written
_FLUSH_ROWS = 250_000
_FLUSH_BYTES = 64 << 20
_IPC_COMPRESSION = "zstd"  # 2.5× smaller than lz4 on token tables, ~1 ms/document slower to read


@dataclass(frozen=True)
class Options:
    """What the per-document work depends on besides the file: resources and the segmenter."""

    segmenter: str = "jieba"
    hmm: bool = True
    lexicon: str | None = None
    aliases: str | None = None
    stopwords: str | None = None
    formulaic: str | None = None
    taxonomy: str | None = None
    scheme: str | None = None
    indicators: str | None = None
    gazetteer: str | None = None


_RESOURCE_FILES = {"lexicon": "policy_lexicon.txt", "aliases": "aliases.csv", "stopwords": "stopwords.txt",
                   "formulaic": "formulaic.txt", "taxonomy": "themes.yaml", "scheme": "instruments.yaml",
                   "indicators": "indicators.yaml", "gazetteer": "admin_divisions.csv"}


# --- hashing ------------------------------------------------------------------------------------------------

def _sha(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


_HASHES: dict[str, tuple[tuple, str]] = {}


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes, cached per process by (size, mtime, inode): an edited file is hashed again."""
    path = str(path)
    try:
        st = os.stat(path)
    except OSError:
        return ""
    sig = (st.st_size, st.st_mtime_ns, st.st_ino)
    hit = _HASHES.get(path)
    if hit is not None and hit[0] == sig:
        return hit[1]
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    _HASHES[path] = (sig, digest)
    return digest


def _resource(opts: Options, name: str) -> str:
    return getattr(opts, name) or str(config.resource_path(_RESOURCE_FILES[name]))


_RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.M)


@lru_cache(maxsize=128)
def _imports_of(mod: str) -> tuple[str, ...]:
    """The analysis modules ``mod`` imports with relative imports (read from the source: a regex, not ``ast``,
    because this runs at the start of every build, warm ones included)."""
    path = _module_file(mod)
    if path is None:
        return ()
    pkg = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []
    for dots, name, names in _RELATIVE_IMPORT.findall(path.read_text(encoding="utf-8")):
        base = pkg.split(".") if pkg else []
        base = base[: len(base) - (len(dots) - 1)] if len(dots) > 1 else base
        target = ".".join([*base, name] if name else base)
        if name:
            out.append(target)
        for alias in names.strip("()").replace("\n", " ").split(","):  # ``from . import config`` names a module
            alias = alias.split(" as ")[0].strip()
            if alias.isidentifier():
                out.append(f"{target}.{alias}" if target else alias)
    return tuple(out)


@lru_cache(maxsize=32)
def _module_closure(name: str) -> tuple[str, ...]:
    """The analysis modules ``name`` imports, directly or not (only those that exist as files)."""
    seen: list[str] = []
    todo = [name]
    while todo:
        mod = todo.pop()
        if mod in seen or _module_file(mod) is None:
            continue
        seen.append(mod)
        todo += _imports_of(mod)
    return tuple(sorted(seen))


def _module_file(mod: str) -> Path | None:
    base = config.PACKAGE_DIR.joinpath(*mod.split(".")) if mod else config.PACKAGE_DIR
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


@lru_cache(maxsize=16)
def _code_hash(stage: str) -> str:
    """Hash of the source of every analysis module a stage runs, so a code change recomputes that stage."""
    mods = sorted({m for top in _STAGE_MODULES[stage] for m in _module_closure(top)})
    return _sha(*(f"{m}:{file_hash(_module_file(m))}" for m in mods))


@lru_cache(maxsize=8)
def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _fingerprint(opts: Options) -> dict:
    """Everything besides a document that its stage keys depend on: resource hashes, code hashes, versions."""
    from . import __version__

    res = {name: file_hash(_resource(opts, name)) for name in _RESOURCE_FILES}
    return {"resources": res, "code": {s: _code_hash(s) for s in STAGES},
            "versions": {"analysis": __version__, "python": sys.version.split()[0], "segmenter": _version(opts.segmenter),
                         "pandas": pd.__version__, "pyarrow": _version("pyarrow")},
            "options": {"segmenter": opts.segmenter, "hmm": opts.hmm}}


def stage_keys(doc_hash: str, doc_id: str, file_name: str, overrides: dict, fp: dict) -> dict[str, str]:
    """The content key of each stage of one document (``fp`` is :func:`_fingerprint` of the build's options)."""
    res, code, ver = fp["resources"], fp["code"], fp["versions"]
    parse = _sha("parse", BUILD_FORMAT, ver["analysis"], doc_hash, doc_id, file_name,
                 json.dumps(overrides, sort_keys=True, ensure_ascii=False, default=str), res["gazetteer"], code["parse"])
    return {
        "parse": parse,
        "tokens": _sha("tokens", parse, fp["options"]["segmenter"], ver["segmenter"], fp["options"]["hmm"],
                       res["lexicon"], res["aliases"], res["stopwords"], res["formulaic"], code["tokens"]),
        "themes": _sha("themes", parse, res["taxonomy"], res["scheme"], code["themes"]),
        "metrics": _sha("metrics", parse, res["indicators"], code["metrics"]),
    }


# --- per-process resources ----------------------------------------------------------------------------------

_LOADED: dict[tuple, object] = {}


def _load_once(kind: str, opts: Options):
    """Load a resource (segmentation resources, taxonomy, scheme, catalogue) once per process and content."""
    names = {"segment": ("lexicon", "aliases", "stopwords", "formulaic"), "taxonomy": ("taxonomy",),
             "scheme": ("scheme",), "catalogue": ("indicators",)}[kind]
    key = (kind, *((getattr(opts, n), file_hash(_resource(opts, n))) for n in names))
    if key not in _LOADED:
        if kind == "segment":
            from .segment import get_tokenizer, load_resources

            value = load_resources(lexicon=opts.lexicon, aliases=opts.aliases, stopwords=opts.stopwords,
                                   formulaic=opts.formulaic)
            get_tokenizer(value, segmenter=opts.segmenter)  # the dictionary: once per worker process
        elif kind == "taxonomy":
            from .themes import load_taxonomy

            value = load_taxonomy(opts.taxonomy)
        elif kind == "scheme":
            from .themes import load_scheme

            value = load_scheme(opts.scheme)
        else:
            from .metrics import load_catalogue

            value = load_catalogue(opts.indicators)
        _LOADED[key] = value
    return _LOADED[key]


# --- the store ----------------------------------------------------------------------------------------------

def _store_file(store: Path, stage: str, key: str, table: str) -> Path:
    return store / stage / f"{key}.{table}.arrow"


def _has(store: Path, stage: str, key: str, listing: dict[str, set[str]] | None = None) -> bool:
    last = f"{key}.{STAGES[stage][-1]}.arrow"
    if listing is not None:
        return last in listing.get(stage, ())
    return (store / stage / last).exists()


def _write_table(path: Path, table) -> None:
    import pyarrow as pa

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    opts = pa.ipc.IpcWriteOptions(compression=_IPC_COMPRESSION)
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema, options=opts) as writer:
        writer.write_table(table)
    tmp.replace(path)  # atomic: a crashed worker never leaves half a file under the key


def _read_table(path: Path):
    import pyarrow as pa

    # a plain read beats memory-mapping for these small compressed files, and one thread beats Arrow's pool
    with open(path, "rb") as fh:
        data = fh.read()
    return pa.ipc.open_file(pa.BufferReader(data), options=pa.ipc.IpcReadOptions(use_threads=False)).read_all()


def _to_arrow(df: pd.DataFrame):
    import pyarrow as pa

    return pa.Table.from_pandas(df, preserve_index=False)


def _split(df: pd.DataFrame, doc_ids: Sequence[str]) -> dict[str, object]:
    """One Arrow table per document of a batch result (an empty one for a document without rows)."""
    table = _to_arrow(df)
    if not len(df):
        return {d: table for d in doc_ids}
    groups = df.groupby("doc_id", sort=False).indices
    out = {}
    for d in doc_ids:
        pos = groups.get(d)
        if pos is None:
            out[d] = table.slice(0, 0)
        elif pos[-1] - pos[0] + 1 == len(pos):  # contiguous (always, for the stages here): zero-copy
            out[d] = table.slice(int(pos[0]), len(pos))
        else:
            out[d] = table.take(pos)
    return out


# --- the per-document work ----------------------------------------------------------------------------------

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
    fp = _fingerprint(opts)
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
    need = [{s: not _has(store, s, k[s]) for s in STAGES} for _p, _d, _o, k in items]
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
                batch.docs[doc_id] = _read_table(_store_file(store, "parse", keys["parse"], "docs")).to_pandas()
                batch.units[doc_id] = _restore_units(
                    _read_table(_store_file(store, "parse", keys["parse"], "units")).to_pandas())
        except (AnalysisError, UnicodeError, ValueError, OSError) as exc:  # never a traceback for one bad file
            res["error"] = exc.reason if isinstance(exc, InputError) else f"could not be parsed: {type(exc).__name__}: {exc}"
    if fresh:
        ids = list(fresh)
        parts = {name: _split(pd.concat([fresh[d][i] for d in ids], ignore_index=True), ids)
                 for i, name in enumerate(STAGES["parse"])}
        for (path, doc_id, over, keys), res in zip(items, results):
            if doc_id in fresh:
                for name in STAGES["parse"]:
                    _write_table(_store_file(store, "parse", keys["parse"], name), parts[name][doc_id])
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
    from .corpus import parse_document

    doc, urows, srows = parse_document(path, doc_id=doc_id, gazetteer=opts.gazetteer, overrides=overrides)
    sections = pd.DataFrame(srows) if srows else pd.DataFrame({"doc_id": pd.Series([], dtype="str")})
    return _frame([doc], DOC_COLUMNS), _frame(urows, UNIT_COLUMNS), sections


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
            _write_table(_store_file(store, stage, keys[stage], name), parts[name][doc_id])
        STATS[stage] += 1
        res["computed"].append(stage)


def _run_tokens(ids, batch, opts):
    from .segment import tokenize

    res = _load_once("segment", opts)
    tokens = tokenize(batch.units_of(ids), resources=res, segmenter=opts.segmenter, hmm=opts.hmm, cache=False)
    return {"tokens": _split(tokens, ids)}


def _run_themes(ids, batch, opts):
    from .themes import code_instruments, code_themes

    units = batch.units_of(ids)
    return {"themes": _split(code_themes(units, taxonomy=_load_once("taxonomy", opts)), ids),
            "instruments": _split(code_instruments(units, scheme=_load_once("scheme", opts)), ids)}


def _run_metrics(ids, batch, opts):
    from .metrics import extract_metrics

    met = extract_metrics(batch.units_of(ids), catalogue=_load_once("catalogue", opts), docs=batch.docs_of(ids))
    return {"metrics": _split(met, ids)}


# --- the build ----------------------------------------------------------------------------------------------

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
        ``[("doc_id", "in", ids)]``) only that part is read, and not kept — for large corpora.
        """
        if name not in TABLES:
            raise ParameterError("table", name, TABLES)
        partial = columns is not None or filters is not None
        if partial or name not in self._cache:
            df = pd.read_parquet(self.folder / f"{name}.parquet", columns=list(columns) if columns else None,
                                 filters=filters)
            for col in ("summary_year", "plan_year", "year"):
                if col in df:
                    df[col] = pd.array(df[col], dtype="Int64")
            if name == "tokens":
                df.attrs = {k: self.manifest.get("options", {}).get(k) for k in ("segmenter", "hmm")}
            if partial:
                return df
            self._cache[name] = df
        return self._cache[name]

    def __getattr__(self, name: str):
        if name in TABLES:
            return self.table(name)
        raise AttributeError(name)

    @property
    def corpus(self) -> Corpus:
        """The docs/units/sections as a :class:`Corpus`."""
        return Corpus(self.docs, self.units, self.sections, self.rejected)


def build(paths: str | Path | Sequence[str | Path] | None = None, *, manifest: str | Path | bool | None = None,
          cache: str | Path | None = None, jobs: int = 1, executor: Executor = "local", scheduler: str | None = None,
          segmenter: str = "jieba", hmm: bool = True, progress: bool = False, **resources) -> Build:
    """Build (or reuse) the corpus tables for files/folders; return the :class:`Build`.

    Parameters
    ----------
    paths : files or folders; None means the bundled seeds.
    manifest : as in :func:`analysis.corpus.load_corpus`.
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
    unknown = sorted(set(resources) - set(_RESOURCE_FILES))
    if unknown:
        raise ParameterError("resources", ", ".join(unknown), sorted(_RESOURCE_FILES))
    if segmenter not in SEGMENTERS:
        raise ParameterError("segmenter", segmenter, SEGMENTERS)
    if executor not in ("local", "dask"):
        raise ParameterError("executor", executor, ("local", "dask"))
    for name, value in resources.items():
        if value and not Path(value).is_file():
            raise InputError(value, f"{name} file not found")
    opts = Options(segmenter=segmenter, hmm=bool(hmm),
                   **{k: (str(Path(v).resolve()) if v else None) for k, v in resources.items()})
    if paths is None:
        paths = [config.SEEDS_DIR]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    root = Path(cache) if cache else config.cache_dir()
    store = root / "store"
    planned, rejected = plan_documents(paths, manifest)
    fp = _fingerprint(opts)
    tasks = []
    for fpath, given, doc_id, over in planned:
        digest = file_hash(fpath)
        keys = stage_keys(digest, doc_id, fpath.name, over, fp)
        tasks.append((str(fpath), given, doc_id, over, digest, keys))
    listing = {s: set(os.listdir(store / s)) if (store / s).is_dir() else set() for s in STAGES}
    t_run = time.perf_counter()
    todo = [(p, d, o, k) for p, _g, d, o, _h, k in tasks if not all(_has(store, s, k[s], listing) for s in STAGES)]
    done = {r["doc_id"]: r for r in _run(todo, opts, str(store), jobs=jobs, executor=executor, scheduler=scheduler,
                                             progress=progress)}
    timings = {"hash": t_run - t_start, "run": time.perf_counter() - t_run, **dict.fromkeys(STAGES, 0.0)}
    computed = dict.fromkeys(STAGES, 0)
    ok = []
    for fpath, given, doc_id, over, digest, keys in tasks:
        res = done.get(doc_id, {"doc_id": doc_id, "keys": keys, "computed": []})
        for s in res["computed"]:
            computed[s] += 1
        for s, sec in res.get("seconds", {}).items():
            timings[s] += sec
        if "error" in res:
            rejected.append((given, res["error"]))
        else:
            ok.append((given, doc_id, digest, keys))
    build_id = _sha(*sorted(str(Path(g).resolve()) for g in map(str, paths)),
                    json.dumps(asdict(opts), sort_keys=True), str(manifest))[:16]
    out = root / "builds" / build_id
    manifest_doc = {"format": BUILD_FORMAT, "options": asdict(opts), "fingerprint": fp,
                    "documents": [{"doc_id": d, "path": g, "sha256": h, "keys": k} for g, d, h, k in ok],
                    "rejected": [list(r) for r in rejected]}
    rejected_df = pd.DataFrame(rejected, columns=["path", "reason"])
    previous = out / "build.json"
    try:
        same = json.loads(previous.read_text(encoding="utf-8")) == manifest_doc
    except (OSError, ValueError):
        same = False
    t_asm = time.perf_counter()
    if not (same and all((out / f"{t}.parquet").exists() for t in TABLES)):
        _assemble(out, store, ok, manifest_doc, threads=min(max(jobs, 1), 4))
    timings["assemble"] = time.perf_counter() - t_asm
    timings["total"] = time.perf_counter() - t_start
    return Build(out, manifest_doc, rejected_df, computed, {k: round(v, 4) for k, v in timings.items()})


def _batches(todo: list, jobs: int) -> list[list]:
    size = max(1, min(BATCH_DOCS, math.ceil(len(todo) / (max(1, jobs) * 4))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _run(todo, opts, store, *, jobs, executor, scheduler, progress) -> list[dict]:
    """Run the batches of documents with missing stages on the chosen executor; return one result per document."""
    if not todo:
        return []
    from tqdm.auto import tqdm

    bar = tqdm(total=len(todo), desc="documents", unit="doc", disable=not progress)
    out: list[dict] = []
    batches = _batches(todo, jobs)
    try:
        if executor == "dask":
            out = _run_dask(batches, opts, store, jobs=jobs, scheduler=scheduler, bar=bar)
        elif jobs <= 1 or len(todo) <= 1:
            for b in batches:
                out += process_batch(b, opts, store)
                bar.update(len(b))
        else:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(jobs, len(batches))) as pool:
                for b, res in zip(batches, pool.map(process_batch, batches, [opts] * len(batches),
                                                    [store] * len(batches))):
                    out += res
                    bar.update(len(b))
    finally:
        bar.close()
    return out


def _run_dask(batches, opts, store, *, jobs, scheduler, bar) -> list[dict]:
    try:
        import logging

        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise AnalysisError("the dask executor needs the optional dependency: pip install -e '.[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        futures = client.map(process_batch, batches, opts=opts, store=store, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[list[dict] | None] = [None] * len(batches)
        for fut in as_completed(futures):
            results[index[fut.key]] = fut.result()
            bar.update(len(batches[index[fut.key]]))
        return [r for part in results for r in part]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- assembling the output tables ---------------------------------------------------------------------------

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
            stage = _TABLE_STAGE[name]
            files = [(given, _store_file(store, stage, keys[stage], name)) for given, _d, _h, keys in ok]
            _concat_to_parquet(files, tmp / f"{name}.parquet", set_path=name in ("docs", "metrics"))

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


def _concat_to_parquet(files: list[tuple[str, Path]], target: Path, *, set_path: bool) -> None:
    """Concatenate Arrow IPC files (schemas unified: a column that is all null in one document is not a
    different type) into one Parquet file, writing a row group per ~250k rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = []
    for _given, path in files:
        with pa.memory_map(str(path)) as source:
            schemas.append(pa.ipc.open_file(source).schema)
    if not schemas:
        pq.write_table(pa.table({}), target)
        return
    meta = next((s.metadata for s in schemas if len(s)), schemas[0].metadata)
    schema = pa.unify_schemas([s.remove_metadata() for s in schemas], promote_options="permissive")
    if set_path and "path" in schema.names:
        schema = schema.set(schema.get_field_index("path"), pa.field("path", pa.string()))
    schema = _non_null(schema).with_metadata(meta)
    buffer, rows, size = [], 0, 0
    with pq.ParquetWriter(target, schema, compression="zstd", compression_level=1) as writer:
        for given, path in files:
            t = _read_table(path).replace_schema_metadata(None)
            if set_path and "path" in t.column_names:
                t = t.set_column(t.column_names.index("path"), "path", pa.array([given] * len(t), pa.string()))
            buffer.append(_conform(t, schema))
            rows += len(t)
            size += t.nbytes
            if rows >= _FLUSH_ROWS or size >= _FLUSH_BYTES:
                writer.write_table(pa.concat_tables(buffer))
                buffer, rows, size = [], 0, 0
        if buffer:
            writer.write_table(pa.concat_tables(buffer))


def _non_null(schema):
    """A column that is null in every document is written as (null) strings, the type pandas reads it back as."""
    import pyarrow as pa

    for i, f in enumerate(schema):
        if pa.types.is_null(f.type):
            schema = schema.set(i, f.with_type(pa.string()))
    return schema


def _conform(t, schema):
    """Table ``t`` with ``schema``'s columns, in its order and types (missing columns as nulls)."""
    import pyarrow as pa

    if t.schema.equals(schema, check_metadata=False):
        return t.replace_schema_metadata(schema.metadata)
    cols = []
    for f in schema:
        if f.name in t.column_names:
            col = t.column(f.name)
            cols.append(col if col.type == f.type else col.cast(f.type))
        else:
            cols.append(pa.nulls(len(t), f.type))
    return pa.Table.from_arrays(cols, schema=schema)


def load_build(paths=None, *, manifest=None, **kwargs) -> Build:
    """The built tables for a corpus (building what is missing): the entry point of the notebooks."""
    return build(paths, manifest=manifest, **kwargs)


def clear_cache(cache: str | Path | None = None) -> None:
    """Delete the build cache (store and builds)."""
    root = Path(cache) if cache else config.cache_dir()
    for sub in ("store", "builds"):
        shutil.rmtree(root / sub, ignore_errors=True)
