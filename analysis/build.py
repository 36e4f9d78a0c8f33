"""The cached corpus build: parse, segment, code and extract once; write tidy Parquet tables.

Per-document work is a pure function of (file bytes, manifest row, resources, code): each stage's result is
stored under a content key, so a warm build does nothing but hash, and a change recomputes only what depends
on it — an edited document recomputes that document; an edited lexicon recomputes the tokens, not the themes.
The same per-document function runs in-process, in a process pool (``jobs > 1``) or on Dask.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from . import config
from .corpus import Corpus, _frame, _manifest_rows, _slug, discover, parse_document, DOC_COLUMNS, UNIT_COLUMNS, MANIFEST_NAME
from .errors import AnalysisError, InputError, ParameterError

TABLES = ("docs", "units", "sections", "tokens", "themes", "instruments", "metrics")
Executor = Literal["local", "dask"]
BUILD_FORMAT = 1


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


# --- keys ---------------------------------------------------------------------------------------------------

def _sha(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


@lru_cache(maxsize=64)
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path and Path(path).is_file() else ""


def _resource(path: str | None, default: str) -> str:
    return path or str(config.resource_path(default))


@lru_cache(maxsize=16)
def _code_hash(*modules: str) -> str:
    """Hash of the source of the modules a stage runs, so a code change recomputes that stage."""
    import importlib

    parts = []
    for name in modules:
        try:
            parts.append(inspect.getsource(importlib.import_module(f"analysis.{name}")))
        except (ImportError, OSError, TypeError):
            parts.append(name)
    return _sha(*parts)


def stage_keys(file_hash: str, overrides: dict, opts: Options) -> dict[str, str]:
    """The content key of each stage of one document."""
    from . import __version__

    parse = _sha("parse", BUILD_FORMAT, __version__, file_hash, json.dumps(overrides, sort_keys=True, ensure_ascii=False),
                 _file_hash(_resource(opts.gazetteer, "admin_divisions.csv")),
                 _code_hash("textio", "structure", "metadata", "corpus", "formats"))
    lex = [_file_hash(_resource(p, n)) for p, n in ((opts.lexicon, "policy_lexicon.txt"), (opts.aliases, "aliases.csv"),
                                                   (opts.stopwords, "stopwords.txt"), (opts.formulaic, "formulaic.txt"))]
    return {
        "parse": parse,
        "tokens": _sha("tokens", parse, opts.segmenter, opts.hmm, *lex, _code_hash("segment")),
        "themes": _sha("themes", parse, _file_hash(_resource(opts.taxonomy, "themes.yaml")),
                       _file_hash(_resource(opts.scheme, "instruments.yaml")), _code_hash("themes")),
        "metrics": _sha("metrics", parse, _file_hash(_resource(opts.indicators, "indicators.yaml")),
                        _code_hash("numbers", "metrics")),
    }


# --- the per-document function ------------------------------------------------------------------------------

#: counters a test can read to prove what a build did (per process)
STATS = {"parse": 0, "tokens": 0, "themes": 0, "metrics": 0}


def process_document(path: str, doc_id: str, overrides: dict, opts: Options, store: str) -> dict:
    """Run every stage whose result is not in the store for one document; return {stage: key} or an error.

    A pure function of its arguments and the files they name, safe to run in another process or on Dask.
    """
    store_dir = Path(store)
    fh = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    keys = stage_keys(fh, overrides, opts)
    have = {s: (store_dir / s / f"{k}.parquet").exists() for s, k in keys.items()}
    if all(have.values()):
        return {"doc_id": doc_id, "path": path, "keys": keys, "computed": []}
    computed = []
    units = None
    if have["parse"]:
        parsed = _read(store_dir, "parse", keys["parse"])
        units = parsed[parsed["_table"] == "units"]
    else:
        try:
            doc, urows, srows = parse_document(path, doc_id=doc_id, gazetteer=opts.gazetteer, overrides=overrides)
        except InputError as exc:
            return {"doc_id": doc_id, "path": path, "error": exc.reason}
        STATS["parse"] += 1
        computed.append("parse")
        docs_df = _frame([doc], DOC_COLUMNS)
        units_df = _frame(urows, UNIT_COLUMNS)
        secs = pd.DataFrame(srows)
        _write(store_dir, "parse", keys["parse"], _pack({"docs": docs_df, "units": units_df, "sections": secs}))
        units = units_df.assign(_table="units")
    units = units.drop(columns=[c for c in units.columns if c == "_table"])
    units = units[[c for c in UNIT_COLUMNS if c in units.columns]]
    units = _restore_units(units)
    if not have["tokens"]:
        from .segment import tokenize

        tokens = tokenize(units, lexicon=opts.lexicon, aliases=opts.aliases, stopwords=opts.stopwords,
                          formulaic=opts.formulaic, segmenter=opts.segmenter, hmm=opts.hmm, cache=False)
        STATS["tokens"] += 1
        computed.append("tokens")
        _write(store_dir, "tokens", keys["tokens"], tokens)
    if not have["themes"]:
        from .themes import code_instruments, code_themes

        th = code_themes(units, taxonomy=opts.taxonomy)
        ins = code_instruments(units, scheme=opts.scheme)
        STATS["themes"] += 1
        computed.append("themes")
        _write(store_dir, "themes", keys["themes"], _pack({"themes": th, "instruments": ins}))
    if not have["metrics"]:
        from .metrics import extract_metrics

        kwargs = {"catalogue": opts.indicators} if opts.indicators else {}
        met = extract_metrics(units, **kwargs)
        STATS["metrics"] += 1
        computed.append("metrics")
        _write(store_dir, "metrics", keys["metrics"], met)
    return {"doc_id": doc_id, "path": path, "keys": keys, "computed": computed}


def _restore_units(units: pd.DataFrame) -> pd.DataFrame:
    units = units.reset_index(drop=True)
    for col in ("year",):
        if col in units:
            units[col] = pd.array(units[col], dtype="Int64")
    return units


def _pack(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Several small tables in one Parquet file, told apart by a ``_table`` column (fewer files per document)."""
    return pd.concat([t.assign(_table=name) for name, t in tables.items()], ignore_index=True)


def _unpack(df: pd.DataFrame, name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    part = df[df["_table"] == name].drop(columns="_table")
    if columns is not None:
        part = part[[c for c in columns if c in part.columns]]
    else:
        part = part.dropna(axis=1, how="all")
    return part.reset_index(drop=True)


def _write(store: Path, stage: str, key: str, df: pd.DataFrame) -> None:
    folder = store / stage
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{key}.tmp-{id(df)}"
    df.to_parquet(tmp, index=False)
    tmp.replace(folder / f"{key}.parquet")  # atomic: a crashed worker never leaves half a file under the key


def _read(store: Path, stage: str, key: str) -> pd.DataFrame:
    return pd.read_parquet(store / stage / f"{key}.parquet")


# --- the build ------------------------------------------------------------------------------------------------

@dataclass
class Build:
    """The built corpus: tidy tables read from Parquet, plus the build manifest."""

    folder: Path
    manifest: dict
    rejected: pd.DataFrame
    _cache: dict = field(default_factory=dict, repr=False)

    def table(self, name: str) -> pd.DataFrame:
        """One of the tables (docs, units, sections, tokens, themes, instruments, metrics), read once."""
        if name not in TABLES:
            raise ParameterError("table", name, TABLES)
        if name not in self._cache:
            df = pd.read_parquet(self.folder / f"{name}.parquet")
            for col in ("summary_year", "plan_year", "year"):
                if col in df:
                    df[col] = pd.array(df[col], dtype="Int64")
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
        ``dask.distributed`` scheduler, None starts a ``LocalCluster``).
    segmenter, hmm : the segmentation backend (``"jieba"`` or ``"rjieba"``).
    resources : lexicon, aliases, stopwords, formulaic, taxonomy, scheme, indicators, gazetteer (paths).
    """
    opts = Options(segmenter=segmenter, hmm=hmm, **{k: (str(v) if v else None) for k, v in resources.items()})
    if paths is None:
        paths = [config.SEEDS_DIR]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    root = Path(cache) if cache else config.cache_dir()
    store = root / "store"
    files, rejected, found = discover(paths)
    manifests = found if manifest is None else ([] if manifest is False else [Path(manifest)])
    if manifest not in (None, False) and not Path(manifest).is_file():
        raise InputError(manifest, "manifest file not found")
    mrows, mrejected = _manifest_rows(manifests)
    rejected += mrejected
    from .textio import READERS

    tasks, used = [], set()
    for fpath, given in files:
        if fpath.suffix.lower() not in READERS:
            rejected.append((given, f"unsupported file type '{fpath.suffix or '(none)'}' (supported: {', '.join(sorted(READERS))})"))
            continue
        over = {k: v for k, v in mrows.get(str(fpath.resolve()), {}).items() if v not in ("", None)}
        if over.get("status") in ("duplicate", "near_duplicate", "rejected"):
            continue
        doc_id = over.get("doc_id") or _slug(fpath.stem)
        base, k = doc_id, 2
        while doc_id in used:
            doc_id, k = f"{base}_{k}", k + 1
        used.add(doc_id)
        tasks.append((str(fpath), given, doc_id, over))
    build_id = _sha(*sorted(str(Path(g).resolve()) for g in map(str, paths)), json.dumps(opts.__dict__, sort_keys=True))[:16]
    out = root / "builds" / build_id
    results = _run(tasks, opts, str(store), jobs=jobs, executor=executor, scheduler=scheduler, progress=progress)
    ok = []
    for (fpath, given, doc_id, over), res in zip(tasks, results):
        if "error" in res:
            rejected.append((given, res["error"]))
        else:
            ok.append((given, res))
    manifest_doc = {"format": BUILD_FORMAT, "options": opts.__dict__,
                    "documents": [{"doc_id": r["doc_id"], "path": g, "keys": r["keys"]} for g, r in ok],
                    "rejected": [list(r) for r in rejected]}
    previous = out / "build.json"
    if previous.exists() and json.loads(previous.read_text(encoding="utf-8")) == manifest_doc and all(
            (out / f"{t}.parquet").exists() for t in TABLES):
        return Build(out, manifest_doc, pd.DataFrame(rejected, columns=["path", "reason"]))
    _assemble(out, store, ok)
    (out / "build.json").write_text(json.dumps(manifest_doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return Build(out, manifest_doc, pd.DataFrame(rejected, columns=["path", "reason"]))


def _run(tasks, opts, store, *, jobs, executor, scheduler, progress) -> list[dict]:
    from tqdm.auto import tqdm

    args = [(path, doc_id, over, opts, store) for path, _given, doc_id, over in tasks]
    if executor == "dask":
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise AnalysisError("the dask executor needs the optional dependency: pip install -e '.[dask]'") from None
        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            futures = client.map(lambda a: process_document(*a), args, pure=False)
            return client.gather(futures)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    if executor != "local":
        raise ParameterError("executor", executor, ("local", "dask"))
    if jobs <= 1 or len(args) <= 1:
        return [process_document(*a) for a in tqdm(args, desc="documents", disable=not progress)]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunks = max(1, len(args) // (jobs * 8))
        return list(tqdm(pool.map(_process_star, args, chunksize=chunks), total=len(args), desc="documents",
                         disable=not progress))


def _process_star(a):
    return process_document(*a)


def _assemble(out: Path, store: Path, ok: list[tuple[str, dict]]) -> None:
    """Concatenate the per-document tables into one Parquet file per table; tokens are streamed (bounded memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES if t != "tokens"}
    writer = None
    for given, res in ok:
        keys = res["keys"]
        parsed = _read(store, "parse", keys["parse"])
        docs = _unpack(parsed, "docs", DOC_COLUMNS)
        docs["path"] = given
        frames["docs"].append(docs)
        frames["units"].append(_unpack(parsed, "units", UNIT_COLUMNS))
        frames["sections"].append(_unpack(parsed, "sections"))
        coded = _read(store, "themes", keys["themes"])
        frames["themes"].append(_unpack(coded, "themes"))
        frames["instruments"].append(_unpack(coded, "instruments"))
        met = _read(store, "metrics", keys["metrics"])
        if "path" in met.columns:
            met["path"] = given
        frames["metrics"].append(met)
        tokens = pa.Table.from_pandas(_read(store, "tokens", keys["tokens"]), preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(tmp / "tokens.parquet", tokens.schema)
        writer.write_table(tokens.cast(writer.schema) if tokens.schema != writer.schema else tokens)
    if writer is not None:
        writer.close()
    else:
        pd.DataFrame().to_parquet(tmp / "tokens.parquet", index=False)
    for name, parts in frames.items():
        parts = [p for p in parts if len(p.columns)]
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        for col in ("summary_year", "plan_year", "year"):
            if col in df:
                df[col] = pd.array(df[col], dtype="Int64")
        df.to_parquet(tmp / f"{name}.parquet", index=False)
    shutil.rmtree(out, ignore_errors=True)
    tmp.replace(out)


def load_build(paths=None, *, manifest=None, **kwargs) -> Build:
    """The built tables for a corpus (building what is missing): the entry point of the notebooks."""
    return build(paths, manifest=manifest, **kwargs)


def clear_cache(cache: str | Path | None = None) -> None:
    """Delete the build cache (store and builds)."""
    root = Path(cache) if cache else config.cache_dir()
    for sub in ("store", "builds"):
        shutil.rmtree(root / sub, ignore_errors=True)
