"""Draw the THIRD FRESH stratified sentence sample for ``tests/gold/corpora_themes_gold_fresh3.csv`` (a fourth,
untouched hand-annotated test set of themes and policy instruments on the seven development-corpus documents that
are in no other themes gold sample: the national reports delivered 1992-1999) and verify its offsets.

Same design as the other fresh samples (``sample_themes.py``: sentence splitting, parts gold, keyword stratum,
cells, quotas); the quotas are doubled (26 sentences per document) because only seven documents are left.

    python eval/sample_themes_fresh3.py            # print the sample (file,start,end,span_hash,part,stratum)
    python eval/sample_themes_fresh3.py --counts   # population and sample counts per document and cell
    python eval/sample_themes_fresh3.py --verify   # check every offset/hash of the fresh3 gold and that it
                                                   # equals the drawn sample (restricted to COMPLETED documents)

Fixed before any coding: the seed, the documents (all seven remaining, in corpus order) and the scale.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
try:
    import sample_themes as st  # noqa: E402  (same folder in the repository)
except ImportError:  # working copy outside the repository: SAMPLE_THEMES_DIR points to the repository's eval/
    sys.path.insert(0, os.environ.get("SAMPLE_THEMES_DIR", ""))
    import sample_themes as st  # noqa: E402

FRESH3_GOLD = HERE.parent / "tests" / "gold" / "corpora_themes_gold_fresh3.csv"
#: Earlier themes gold sets (their documents must not reappear here).
EARLIER_GOLD = [st.THEMES_GOLD, st.GOLD / "corpora_themes_gold_fresh.csv", st.GOLD / "corpora_themes_gold_fresh2.csv"]

SEED = 20261202
SCALE = 2

DOCUMENTS = [f"national_gwr/n{k:02d}.txt" for k in (2, 3, 4, 5, 7, 8, 9)]

#: Documents whose sentences were all coded (the --verify comparison is restricted to these).
COMPLETED = list(DOCUMENTS)


def main(argv):
    return st.fresh_main(argv, "fresh3", FRESH3_GOLD, DOCUMENTS, SEED, COMPLETED, EARLIER_GOLD, SCALE)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
