"""``build``: parse, segment, code and extract once into cached Parquet tables."""
from __future__ import annotations

import sys
import time

import pandas as pd

from . import add_input_args, emit, report_rejected


def register(sub) -> None:
    p = sub.add_parser("build", help="build the cached corpus tables (Parquet)",
                       description="Parse, segment, code themes/instruments and extract indicators once; "
                                   "a warm build with unchanged inputs only hashes. Prints the tables written; "
                                   "what was computed goes to stderr.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled seeds)")
    p.add_argument("--manifest", help="manifest CSV whose values override inference")
    p.add_argument("--cache", help="cache folder (default: $ANALYSIS_CACHE or .cache/analysis)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local process pool, or dask.distributed (pip install .[dask])")
    p.add_argument("--scheduler", help="dask.distributed scheduler address, e.g. tcp://10.0.0.5:8786 "
                                       "(default: a LocalCluster with --jobs workers)")
    p.add_argument("--segmenter", choices=["jieba", "rjieba"], default="jieba",
                   help="segmentation backend (default jieba; rjieba is the faster Rust port)")
    p.add_argument("--no-hmm", action="store_true", help="do not guess unknown words with jieba's HMM")
    for name in ("lexicon", "aliases", "stopwords", "formulaic", "taxonomy", "scheme", "indicators", "gazetteer",
                 "chrome"):
        p.add_argument(f"--{name}", metavar="FILE", help=f"your own {name} file instead of the bundled one")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    add_input_args(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..pipeline.build import build
    from ..pipeline.options import TABLES

    resources = {k: getattr(args, k) for k in ("lexicon", "aliases", "stopwords", "formulaic", "taxonomy", "scheme",
                                               "indicators", "gazetteer", "chrome") if getattr(args, k)}
    t0 = time.perf_counter()
    b = build(args.paths or None, manifest=args.manifest, cache=args.cache, jobs=args.jobs, executor=args.executor,
              scheduler=args.scheduler, segmenter=args.segmenter, hmm=not args.no_hmm, progress=not args.quiet,
              max_mb=args.max_mb, links=args.follow_links, **resources)
    c = b.computed
    print(f"build: {len(b.manifest['documents'])} documents in {time.perf_counter() - t0:.1f} s; computed: "
          f"{c['parse']} parsed, {c['tokens']} segmented, {c['themes']} coded, {c['metrics']} extracted",
          file=sys.stderr)
    report_rejected(b)
    import pyarrow.parquet as pq

    rows = [{"table": t, "rows": pq.ParquetFile(b.folder / f"{t}.parquet").metadata.num_rows,
             "file": str(b.folder / f"{t}.parquet")} for t in TABLES]
    emit(pd.DataFrame(rows), args.format, max_colwidth=None)
    return 0
