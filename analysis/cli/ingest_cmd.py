"""``ingest DIR``: walk a folder of downloads, write (or update) its reviewable manifest, print a summary."""
from __future__ import annotations

from . import FORMATS, add_input_args, emit, say


def register(sub) -> None:
    p = sub.add_parser(
        "ingest", help="build or update a folder's manifest (metadata, confidence, evidence, duplicates)",
        description="Walk DIR, read every .txt/.html/.pdf/.docx, infer metadata with confidence and evidence, group "
                    "duplicates, and write the manifest (default DIR/corpus.csv, UTF-8 with BOM for Excel). Values "
                    "already written in the manifest are kept. Prints documents by city x year x type; rejected files "
                    "go to stderr, one line each (exit status 1 if there are any; the manifest is still written).")
    p.add_argument("folder", metavar="DIR", help="folder of source documents (walked recursively, never modified)")
    p.add_argument("--manifest", metavar="OUT.csv", help="manifest to write or update (default: DIR/corpus.csv)")
    p.add_argument("--dry-run", action="store_true", help="do not write the manifest")
    p.add_argument("--threshold", type=float, default=0.9, help="near-duplicate similarity (default 0.9)")
    p.add_argument("--format", choices=list(FORMATS), default="table", help="summary format (default: table)")
    add_input_args(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..corpus.ingest import ingest

    result = ingest(args.folder, manifest=args.manifest, write=not args.dry_run, threshold=args.threshold,
                    max_mb=args.max_mb, progress=True, links=args.follow_links)
    emit(result.summary, args.format)
    if args.format == "table":
        counts = ", ".join(f"{n} {s}" for s, n in result.counts.items())
        where = f"manifest written to {result.path}" if result.path else "dry run: manifest not written"
        print(f"\n{len(result.manifest)} manifest rows ({counts}); {where}")
        if len(result.duplicates):
            print("\nduplicates (not analysed; the kept copy is duplicate_of):")
            emit(result.duplicates, "table")
    for row in result.rejected.itertuples(index=False):
        say("error", f"{row.path}: {row.reason}")
    return 1 if len(result.rejected) else 0
