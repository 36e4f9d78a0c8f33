"""Draw the FOURTH FRESH sample for ``tests/gold/corpora_themes_gold_fresh4.csv``: sentences of the development
corpora that are in no earlier themes gold sample, three per report from all 63 reports, hand-coded before round 7
as its test set; and verify its offsets.

Every report of the corpora has been in an earlier sample, so this test is untouched at the level of the SENTENCE,
not of the document: the coder was tuned on other sentences of the same reports (their vocabulary and genre), never
on these. Its figures are therefore expected to be higher than a test on unseen reports (fresh-1, fresh-2, fresh-3
were such tests, scored once each); both kinds are reported apart.

Same sentences, parts and keyword stratum as ``sample_themes.py``. Per report, in corpus order: one summary/st, one
plan/st and one "other" sentence (summary/other for even positions in the list, plan/other for odd ones; the st
cells fall back to the other part's st sentences when a part has none left). Sentences overlapping any span of the
earlier gold files are never candidates.

    python eval/sample_themes_fresh4.py            # print the sample (file,start,end,span_hash,part,stratum)
    python eval/sample_themes_fresh4.py --counts   # candidates per report and the realised cells
    python eval/sample_themes_fresh4.py --verify   # hashes of the fresh4 gold, equality with the drawn sample and
                                                   # no overlap with an earlier gold span
"""
from __future__ import annotations

import csv
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

FRESH4_GOLD = HERE.parent / "tests" / "gold" / "corpora_themes_gold_fresh4.csv"
EARLIER_GOLD = [st.THEMES_GOLD] + [st.GOLD / f"corpora_themes_gold_{n}.csv" for n in ("fresh", "fresh2", "fresh3")]
SEED = 20261203


def documents() -> list[str]:
    """All reports of the parts gold (every corpora report), in the gold's order."""
    return list(st.load_parts())


def earlier_spans(earlier=None) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for path in EARLIER_GOLD if earlier is None else earlier:
        with open(path, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                spans.setdefault(r["file"], []).append((int(r["start"]), int(r["end"])))
    return spans


def draw(seed=None, earlier=None):
    """The sample (default: fresh-4's seed and earlier gold files; a later sample passes its own)."""
    parts = st.load_parts()
    used = earlier_spans(earlier)
    rng = random.Random(SEED if seed is None else seed)
    sample = []
    for k, file in enumerate(documents()):
        text, rows = st.population(file, parts)
        rows = [r for r in rows if not any(r[0] < e and s < r[1] for s, e in used.get(file, []))]
        other_part = "summary" if k % 2 == 0 else "plan"
        picked = []
        for part, stratum in (("summary", "st"), ("plan", "st"), (other_part, "other")):
            cands = [r for r in rows if (r[2], r[3]) == (part, stratum) and r not in picked]
            if not cands and stratum == "st":  # a part without S&T sentences left: the other part's
                cands = [r for r in rows if r[3] == "st" and r[2] in ("summary", "plan") and r not in picked]
            if cands:
                picked.append(rng.choice(cands))
        for s, e, p, stratum in sorted(picked):
            sample.append((file, s, e, st.span_hash(text, s, e), p, stratum))
    return sample


def verify(gold_path=None, seed=None, earlier=None, name="fresh4") -> int:
    bad = 0
    gold_path = FRESH4_GOLD if gold_path is None else gold_path
    if not gold_path.exists():
        print("missing", gold_path)
        return 1
    with open(gold_path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    texts: dict[str, str] = {}
    used = earlier_spans(earlier)
    for r in rows:
        t = texts.setdefault(r["file"], st.source_text(st.CORPORA / r["file"]))
        s, e = int(r["start"]), int(r["end"])
        if not (0 <= s < e <= len(t)) or st.span_hash(t, s, e) != r["span_hash"]:
            bad += 1
            print(f"{name} gold mismatch", r["file"], s, e)
        if any(s < e2 and s2 < e for s2, e2 in used.get(r["file"], [])):
            bad += 1
            print(f"{name} span overlaps an earlier gold span", r["file"], s, e)
    drawn = {(f, s, e, p, x) for f, s, e, _h, p, x in draw(seed, earlier)}
    gold = {(r["file"], int(r["start"]), int(r["end"]), r["part"], r["stratum"]) for r in rows}
    if drawn != gold:
        bad += 1
        print(f"{name} gold differs from the drawn sample:", len(drawn ^ gold), "spans")
    print(f"{name} themes rows {len(rows)} from {len({r['file'] for r in rows})} documents, problems {bad}")
    print(f"{name} gold offsets OK" if not bad else f"{name} gold offsets NOT OK")
    return 1 if bad else 0


def main(argv, gold_path=None, seed=None, earlier=None, name="fresh4"):
    """The command line of this sample (or, with its arguments, of a later one of the same design)."""
    if "--verify" in argv:
        return verify(gold_path, seed, earlier, name)
    sample = draw(seed, earlier)
    if "--counts" in argv:
        for cell in st.CELLS:
            print("cell", "/".join(cell), sum(1 for r in sample if (r[4], r[5]) == cell))
        print("sample", len(sample), "documents", len({r[0] for r in sample}),
              "national", sum(1 for r in sample if r[0].startswith("national")))
        return 0
    w = csv.writer(sys.stdout)
    w.writerow(["file", "start", "end", "span_hash", "part", "stratum"])
    for row in sample:
        w.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
