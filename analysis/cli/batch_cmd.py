"""``run``: execute the notebook collection with papermill (the main job)."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import add_input_args, emit, say


def register(sub) -> None:
    p = sub.add_parser("run", help="execute every notebook (papermill) -> reports/ and figures/",
                       description="Run the notebook collection on a corpus; a failing notebook does not stop the "
                                   "others. Input files that were rejected are listed after the summary and make "
                                   "the exit status 1 (unless --accept-rejected).")
    p.add_argument("--corpus", help="corpus folder or file (default: the bundled seeds)")
    p.add_argument("--manifest", help="manifest CSV")
    p.add_argument("--out", type=Path, help="output folder: OUT/notebooks and OUT/figures (default: reports/ and figures/)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only these notebooks (e.g. 02 or 02_policy_themes)")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default min(2, CPU cores))")
    p.add_argument("--lang", nargs="+", choices=["zh", "en"], default=["zh"],
                   help="figure languages; en writes *_en files beside the Chinese ones (default zh; both: --lang zh en)")
    p.add_argument("--formats", nargs="+", choices=["png", "svg", "pdf"], default=None,
                   help="figure formats (default png svg pdf, for publication; png alone for a quicker look)")
    p.add_argument("--no-html", action="store_true", help="skip the HTML export")
    p.add_argument("--accept-rejected", action="store_true",
                   help="exit 0 even when some input files were rejected (they are still listed)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    add_input_args(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..pipeline.batch import run_collection
    from ..pipeline.build import build

    if args.out is not None:
        _check_writable(args.out)
    if args.max_mb is not None:  # the notebooks' kernels read the same limit
        os.environ["ANALYSIS_MAX_MB"] = str(args.max_mb)
    built = build(args.corpus or None, manifest=args.manifest or None, max_mb=args.max_mb, links=args.follow_links)
    summary = run_collection(corpus=args.corpus, manifest=args.manifest, out=args.out, only=args.only, jobs=args.jobs,
                             html=not args.no_html, langs=args.lang,
                             extra={"formats": args.formats} if args.formats else None)
    emit(summary.drop(columns=["output"]), args.format, max_colwidth=120)
    rejected = built.rejected
    if len(rejected):
        if args.format == "table":
            print(f"\n{len(rejected)} input file(s) rejected (not analysed):")
            emit(pd.DataFrame(rejected), "table", max_colwidth=120)
        for row in rejected.itertuples(index=False):
            say("error", f"{row.path}: {row.reason}")
    failed = summary[summary["status"] != "ok"]
    for row in failed.itertuples():
        say("error", f"{row.notebook}: {row.error}")
    return 1 if len(failed) or (len(rejected) and not args.accept_rejected) else 0


def _check_writable(out: Path) -> None:
    """Fail before any notebook runs when --out cannot be written (one line naming it, not a traceback each)."""
    out.mkdir(parents=True, exist_ok=True)
    probe = out / f".write-test-{os.getpid()}"
    probe.write_bytes(b"")
    probe.unlink()
