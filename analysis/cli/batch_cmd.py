"""``run``: execute the notebook collection with papermill (the main job)."""
from __future__ import annotations

import sys
from pathlib import Path

from . import emit


def register(sub) -> None:
    p = sub.add_parser("run", help="execute every notebook (papermill) -> reports/ and figures/",
                       description="Run the notebook collection on a corpus; a failing notebook does not stop the others.")
    p.add_argument("--corpus", help="corpus folder or file (default: the bundled seeds)")
    p.add_argument("--manifest", help="manifest CSV")
    p.add_argument("--out", type=Path, help="output folder: OUT/notebooks and OUT/figures (default: reports/ and figures/)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only these notebooks (e.g. 02 or 02_policy_themes)")
    p.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    p.add_argument("--lang", nargs="+", choices=["zh", "en"], default=["zh"],
                   help="figure languages; en writes *_en files beside the Chinese ones (default zh; both: --lang zh en)")
    p.add_argument("--no-html", action="store_true", help="skip the HTML export")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..pipeline.batch import run_collection

    summary = run_collection(corpus=args.corpus, manifest=args.manifest, out=args.out, only=args.only, jobs=args.jobs,
                             html=not args.no_html, langs=args.lang)
    emit(summary.drop(columns=["output"]), args.format, max_colwidth=120)
    failed = summary[summary["status"] != "ok"]
    for row in failed.itertuples():
        print(f"error: {row.notebook}: {row.error}", file=sys.stderr)
    return 1 if len(failed) else 0
