"""Agreement between two human annotators on the corpora themes gold: the ceiling a coder can be held to.

Independent of the package (never imports ``analysis``); reads only the gold CSVs (offsets and codes, no text),
so it runs without ``../shared/corpora``.

    python eval/themes_agreement.py

Pairs scored (the second annotator coded blind: offsets only, without the first annotator's codes):

* fresh test set: ``corpora_themes_gold_fresh.csv`` (annotator A) against ``corpora_themes_gold_fresh_b.csv``
  (annotator B), 208 sentences;
* first corpora gold: ``corpora_themes_gold.csv`` against ``corpora_themes_gold_second.csv`` (annotator B on 104
  sentences, 4 drawn per document with ``random.Random(20261130)``);
* fresh-3 test set: ``corpora_themes_gold_fresh3.csv`` (annotator A of round 6) against
  ``corpora_themes_gold_fresh3_b.csv`` (annotator C, blind), all 156 sentences;
* fresh-4 test set: ``corpora_themes_gold_fresh4.csv`` (annotator D of round 7) against
  ``corpora_themes_gold_fresh4_b.csv`` (annotator E, blind), all 189 sentences.

The measures are the coder's: per-theme F1 (one annotator taken as reference), macro-F1 over the themes with at
least 10 reference sentences, Cohen's kappa of the instrument type, and kappa of "has an S&T theme".
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, f1_score

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold"
PAIRS = [
    ("fresh test set: A vs B", "corpora_themes_gold_fresh.csv", "corpora_themes_gold_fresh_b.csv"),
    ("first corpora gold (104-sentence subsample): first annotator vs B", "corpora_themes_gold.csv",
     "corpora_themes_gold_second.csv"),
    ("fresh-3 test set (national 1992-1999): A vs C", "corpora_themes_gold_fresh3.csv",
     "corpora_themes_gold_fresh3_b.csv"),
    ("fresh-4 test set (three sentences per report, all 63 reports): D vs E", "corpora_themes_gold_fresh4.csv",
     "corpora_themes_gold_fresh4_b.csv"),
]
MIN_SUPPORT = 10


def _load(path: Path) -> dict[tuple[str, str, str], dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["file"], r["start"], r["end"]): r for r in csv.DictReader(fh)}


def _themes(row: dict) -> set[str]:
    return {t for t in row["themes"].split(";") if t}


def agreement(reference: dict, other: dict) -> dict:
    """Scores of ``other`` against ``reference`` on the sentences both coded (same file and offsets)."""
    keys = [k for k in other if k in reference]
    if not keys:
        raise ValueError("the two annotations share no sentence")
    names = sorted({t for k in keys for t in _themes(reference[k]) | _themes(other[k])})
    per_theme = {}
    for name in names:
        gold = [name in _themes(reference[k]) for k in keys]
        pred = [name in _themes(other[k]) for k in keys]
        per_theme[name] = (sum(gold), f1_score(gold, pred, zero_division=0))
    macro = [f1 for n, f1 in per_theme.values() if n >= MIN_SUPPORT]
    return {
        "sentences": len(keys),
        "macro_f1": sum(macro) / len(macro) if macro else float("nan"),
        "themes_in_macro": len(macro),
        "type_kappa": cohen_kappa_score([reference[k]["instrument_type"] for k in keys],
                                        [other[k]["instrument_type"] for k in keys]),
        "any_theme_kappa": cohen_kappa_score([bool(_themes(reference[k])) for k in keys],
                                             [bool(_themes(other[k])) for k in keys]),
        "per_theme": per_theme,
    }


def main() -> int:
    for label, ref_name, other_name in PAIRS:
        ref, other = GOLD / ref_name, GOLD / other_name
        if not (ref.exists() and other.exists()):
            print(f"{label}: skipped, {other_name if ref.exists() else ref_name} is absent")
            continue
        s = agreement(_load(ref), _load(other))
        print(f"{label}: {s['sentences']} sentences, macro-F1 {s['macro_f1']:.3f} over {s['themes_in_macro']} "
              f"themes with >= {MIN_SUPPORT} sentences, instrument-type kappa {s['type_kappa']:.3f}, "
              f"any-theme kappa {s['any_theme_kappa']:.3f}")
        for name, (n, f1) in sorted(s["per_theme"].items()):
            print(f"    {name:24s} n={n:3d}  F1 {f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
