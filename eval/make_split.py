"""Write the fixed tuning/test split of the development corpora (``tests/gold/corpora_split.csv``).

Run once, before any tuning; the file is committed and never regenerated to fit results. Documents are shuffled
with a recorded seed within each folder and alternately assigned, so each half holds about half of the national
and half of the provincial reports. Only file names are written (no text).
"""
from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from source_text import CORPORA, corpora_available

SEED = 20261129
OUT = Path(__file__).resolve().parents[1] / "tests" / "gold" / "corpora_split.csv"


def main() -> int:
    if not corpora_available():
        print(f"skipped: no development corpora at {CORPORA}")
        return 0
    with open(CORPORA / "sources.csv", encoding="utf-8") as fh:
        files = sorted(r["file"] for r in csv.DictReader(fh))
    rows = []
    for folder in sorted({f.split("/")[0] for f in files}):
        members = [f for f in files if f.startswith(folder + "/")]
        random.Random(f"{SEED}-{folder}").shuffle(members)
        rows += [(f, "tune" if i % 2 == 0 else "test") for i, f in enumerate(members)]
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "split"])
        w.writerows(sorted(rows))
    print(f"wrote {OUT} ({len(rows)} documents, seed {SEED})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
