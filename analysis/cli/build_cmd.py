"""``build``: parse, segment, code and extract once into cached Parquet tables."""
from __future__ import annotations

import pandas as pd

from . import emit, report_rejected


def register(sub) -> None:
    p = sub.add_parser("build", help="build the cached corpus tables (Parquet)",
                       description="Parse, segment, code themes/instruments and extract indicators once; "
                                   "a warm build with unchanged inputs only hashes.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled seeds)")
    p.add_argument("--manifest", help="manifest CSV whose values override inference")
    p.add_argument("--cache", help="cache folder (default: $ANALYSIS_CACHE or .cache/analysis)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="dask.distributed scheduler address (default: a LocalCluster)")
    p.add_argument("--segmenter", choices=["jieba", "rjieba"], default="jieba")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..build import STATS, build

    b = build(args.paths or None, manifest=args.manifest, cache=args.cache, jobs=args.jobs, executor=args.executor,
              scheduler=args.scheduler, segmenter=args.segmenter, progress=True)
    report_rejected(b)
    rows = [{"table": t, "rows": len(b.table(t)), "file": str(b.folder / f"{t}.parquet")} for t in
            ("docs", "units", "sections", "tokens", "themes", "instruments", "metrics")]
    emit(pd.DataFrame(rows), args.format, max_colwidth=None)
    return 0
