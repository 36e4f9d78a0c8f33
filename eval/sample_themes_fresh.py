"""Draw the FRESH stratified sentence sample for ``tests/gold/corpora_themes_gold_fresh.csv`` (a second, untouched
hand-annotated test set of themes and policy instruments on 16 development-corpus documents that are in no other
gold sample) and verify its offsets.

Independent of the package: it reuses the design of ``sample_themes.py`` (same folder) - sentence splitting, the
parts gold ``tests/gold/corpora_parts_gold.csv``, the keyword stratum ``ST_PATTERN``, the cells and quotas - and
reads the canonical text through ``source_text`` (same folder); it never imports ``analysis``. It writes nothing:
the sample is printed as offsets (CSV on stdout). No document text is printed or stored.

    python eval/sample_themes_fresh.py            # print the sample (file,start,end,span_hash,part,stratum)
    python eval/sample_themes_fresh.py --counts   # population and sample counts per document and cell
    python eval/sample_themes_fresh.py --verify   # check every offset/hash of the fresh gold and that it
                                                  # equals the drawn sample (restricted to COMPLETED documents)

Design (fixed before coding; see tests/gold/corpora_themes_gold_fresh.md):

* Sentences, parts and strata exactly as in ``sample_themes.py`` (imported, not copied).
* Documents (16): the six national reports n16, n17, n18, n19, n23, n24 (delivered 2006-2009, 2013, 2014), then
  ten provincial 2025 reports drawn with ``random.Random(SEED).sample(PROVINCIAL_POOL, 10)`` from the 18 provincial
  reports that are not in ``corpora_themes_gold.csv``; the drawn ten are listed in file-name order.
* Quotas per document as in the first sample: 2 summary/other, 2 plan/other, 4 + 5 summary/st and plan/st (the 5
  alternates between summary and plan from one listed document to the next; the first document has 5 summary/st).
  Planned 16 x 13 = 208 sentences.
* Randomness: a second, separate ``random.Random(SEED)`` for the sentences; documents in the listed order, cells in
  the order of ``CELLS``, candidates in text order; ``rng.sample`` within each cell (all candidates if too few).
"""
from __future__ import annotations

import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
try:
    import sample_themes as st  # noqa: E402  (same folder in the repository)
except ImportError:  # working copy outside the repository: SAMPLE_THEMES_DIR points to the repository's eval/
    sys.path.insert(0, os.environ.get("SAMPLE_THEMES_DIR", ""))
    import sample_themes as st  # noqa: E402

FRESH_GOLD = HERE.parent / "tests" / "gold" / "corpora_themes_gold_fresh.csv"

SEED = 20261130

NATIONAL = [
    "national_gwr/n16.txt", "national_gwr/n17.txt", "national_gwr/n18.txt", "national_gwr/n19.txt",
    "national_gwr/n23.txt", "national_gwr/n24.txt",
]

#: Provincial 2025 reports not in corpora_themes_gold.csv (the pool of the draw).
PROVINCIAL_POOL = ["p02", "p07", "p08", "p11", "p12", "p14", "p16", "p17", "p18", "p20", "p22", "p23", "p24",
                   "p26", "p27", "p28", "p29", "p31"]


def provincial_draw() -> list[str]:
    """The ten provincial reports, in the order random.Random(SEED).sample returns them."""
    return random.Random(SEED).sample(PROVINCIAL_POOL, 10)


#: Drawn: p12, p07, p22, p27, p14, p31, p29, p28, p08, p24 -> listed in file-name order.
DOCUMENTS = NATIONAL + [f"provincial_gwr_2025/{p}.docx" for p in sorted(provincial_draw())]

#: Documents whose 13 sentences were all coded (the --verify comparison is restricted to these).
COMPLETED = list(DOCUMENTS)


def main(argv):
    if "--counts" in argv:
        print("provincial draw (sample order):", ", ".join(provincial_draw()))
    return st.fresh_main(argv, "fresh", FRESH_GOLD, DOCUMENTS, SEED, COMPLETED, [st.THEMES_GOLD])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
