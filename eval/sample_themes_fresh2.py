"""Draw the SECOND FRESH stratified sentence sample for ``tests/gold/corpora_themes_gold_fresh2.csv`` (a third,
untouched hand-annotated test set of themes and policy instruments on 14 development-corpus documents that are in
no other themes gold sample) and verify its offsets.

Independent of the package: it reuses the design of ``sample_themes.py`` (same folder) - sentence splitting, the
parts gold ``tests/gold/corpora_parts_gold.csv``, the keyword stratum ``ST_PATTERN``, the cells and quotas - and
reads the canonical text through ``source_text`` (same folder); it never imports ``analysis``. It writes nothing:
the sample is printed as offsets (CSV on stdout). No document text is printed or stored.

    python eval/sample_themes_fresh2.py            # print the sample (file,start,end,span_hash,part,stratum)
    python eval/sample_themes_fresh2.py --counts   # population and sample counts per document and cell
    python eval/sample_themes_fresh2.py --verify   # check every offset/hash of the fresh2 gold and that it
                                                   # equals the drawn sample (restricted to COMPLETED documents)

Design (fixed before coding; see tests/gold/corpora_themes_gold_fresh2.md):

* Sentences, parts and strata exactly as in ``sample_themes.py`` (imported, not copied).
* Documents (14, fixed by the lead): the six national reports n10-n15 (delivered 2000-2005), then the eight
  provincial 2025 reports that are in no themes gold sample yet: p02, p11, p16, p17, p18, p20, p23, p26.
* Quotas per document as in the first sample: 2 summary/other, 2 plan/other, 4 + 5 summary/st and plan/st (the 5
  alternates between summary and plan from one listed document to the next; the first document has 5 summary/st).
  Planned 14 x 13 = 182 sentences.
* Randomness: one ``random.Random(SEED)``; documents in the listed order, cells in the order of ``CELLS``,
  candidates in text order; ``rng.sample`` within each cell (all candidates if too few).
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

FRESH2_GOLD = HERE.parent / "tests" / "gold" / "corpora_themes_gold_fresh2.csv"
#: Earlier themes gold sets (their documents must not reappear here); looked up next to the parts gold.
EARLIER_GOLD = [st.THEMES_GOLD, st.GOLD / "corpora_themes_gold_fresh.csv"]

SEED = 20261201

NATIONAL = [f"national_gwr/n{k}.txt" for k in (10, 11, 12, 13, 14, 15)]
PROVINCIAL = [f"provincial_gwr_2025/{p}.docx" for p in ("p02", "p11", "p16", "p17", "p18", "p20", "p23", "p26")]
DOCUMENTS = NATIONAL + PROVINCIAL

#: Documents whose 13 sentences were all coded (the --verify comparison is restricted to these).
COMPLETED = list(DOCUMENTS)


def main(argv):
    return st.fresh_main(argv, "fresh2", FRESH2_GOLD, DOCUMENTS, SEED, COMPLETED, EARLIER_GOLD)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
