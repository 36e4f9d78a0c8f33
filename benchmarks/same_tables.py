"""Build the same folders with another revision's code and with this checkout's; compare every table.

    .venv/bin/python benchmarks/same_tables.py                      # main vs this checkout: seeds + shared corpora
    .venv/bin/python benchmarks/same_tables.py --ref HEAD~3 --segmenters jieba rjieba --jobs 2 seeds

Speed work must not change a single output: the reference code (``git archive <ref> analysis``) and this
checkout's each build every folder into their own fresh cache in a fresh interpreter, and each stored table
(docs, units, sections, dropped, tokens, themes, instruments, metrics) is compared frame by frame — values, dtypes,
column order, the Arrow schema — as are the rejected documents. Exit status 1 on any difference. The folders are
``seeds`` (the bundled seeds), ``corpora`` (``../shared/corpora`` or ``$ANALYSIS_CORPORA``; skipped with a message
when absent) or paths. Nothing is written to the repository: caches and the exported code go to a temp folder.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from corpora import ROOT, SEEDS, corpora_dir

TABLES = ("docs", "units", "sections", "dropped", "tokens", "themes", "instruments", "metrics")
_CHILD = """
import json, sys
from analysis.pipeline.build import build
b = build(sys.argv[1], cache=sys.argv[2], segmenter=sys.argv[3], jobs=int(sys.argv[4]))
print(json.dumps({"folder": str(b.folder), "rejected": b.rejected.astype(str).to_dict("records")}))
"""


def export(ref: str, into: Path) -> Path:
    """The ``analysis`` package of a git revision, extracted under ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "analysis"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def built(code: Path, folder: Path, cache: Path, segmenter: str, jobs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code), "ANALYSIS_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(cache), segmenter, str(jobs)], env=env,
                         check=True, capture_output=True, text=True, cwd=str(cache))
    return json.loads(out.stdout.strip().splitlines()[-1])


def differences(a: dict, b: dict) -> list[str]:
    """What differs between two builds' tables (empty when they are identical)."""
    import pandas as pd
    import pyarrow.parquet as pq

    out = []
    if a["rejected"] != b["rejected"]:
        out.append(f"rejected: {a['rejected']} != {b['rejected']}")
    for name in TABLES:
        fa, fb = Path(a["folder"]) / f"{name}.parquet", Path(b["folder"]) / f"{name}.parquet"
        sa, sb = pq.read_schema(fa).remove_metadata(), pq.read_schema(fb).remove_metadata()
        if not sa.equals(sb):
            out.append(f"{name}: schema {sa} != {sb}")
            continue
        da, db = pd.read_parquet(fa), pd.read_parquet(fb)
        try:
            pd.testing.assert_frame_equal(da, db, check_exact=True)
        except AssertionError as exc:
            out.append(f"{name}: {str(exc).splitlines()[:6]}")
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="*", default=["seeds", "corpora"])
    ap.add_argument("--ref", default="main", help="the reference revision (default main)")
    ap.add_argument("--segmenters", nargs="+", default=["jieba", "rjieba"])
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory(prefix="same_tables_") as tmp:
        tmp = Path(tmp)
        ref_code = export(args.ref, tmp / "ref")
        for name in args.folders:
            folder = SEEDS if name == "seeds" else corpora_dir() if name == "corpora" else Path(name)
            if folder is None:
                print("corpora: ../shared/corpora not found (set ANALYSIS_CORPORA): skipped")
                continue
            for seg in args.segmenters:
                builds = []
                for label, code in (("ref", ref_code), ("this", ROOT)):
                    cache = tmp / f"cache_{label}_{seg}_{len(builds)}_{abs(hash(name))}"
                    cache.mkdir(parents=True)
                    builds.append(built(code, folder, cache, seg, args.jobs))
                diff = differences(*builds)
                failed |= bool(diff)
                sizes = {t: len(__import__("pandas").read_parquet(Path(builds[1]["folder"]) / f"{t}.parquet"))
                         for t in TABLES}
                print(f"{name} [{seg}, {args.jobs} job(s)] {args.ref} vs this checkout: "
                      + ("identical " + json.dumps(sizes) if not diff else "DIFFERENT"))
                for line in diff:
                    print("   ", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
