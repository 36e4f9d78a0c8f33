"""Draw the FIFTH FRESH sample for ``tests/gold/corpora_themes_gold_fresh5.csv``: three more sentences per report
from all 63 reports, in no earlier sample (fresh-4 included), hand-coded before round 8 as its sentence-level test;
the design of ``sample_themes_fresh4.py`` with its own seed.

    python eval/sample_themes_fresh5.py [--counts | --verify]
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
try:
    import sample_themes_fresh4 as f4  # noqa: E402  (same folder in the repository)
except ImportError:  # working copy outside the repository: SAMPLE_THEMES_DIR points to the repository's eval/
    sys.path.insert(0, os.environ.get("SAMPLE_THEMES_DIR", ""))
    import sample_themes_fresh4 as f4  # noqa: E402

FRESH5_GOLD = HERE.parent / "tests" / "gold" / "corpora_themes_gold_fresh5.csv"
EARLIER_GOLD = [*f4.EARLIER_GOLD, f4.FRESH4_GOLD]
SEED = 20261204

if __name__ == "__main__":
    sys.exit(f4.main(sys.argv[1:], FRESH5_GOLD, SEED, EARLIER_GOLD, "fresh5"))
