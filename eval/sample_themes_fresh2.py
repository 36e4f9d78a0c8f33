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
from source_text import CORPORA, source_text, span_hash  # noqa: E402

FRESH2_GOLD = HERE.parent / "tests" / "gold" / "corpora_themes_gold_fresh2.csv"
#: Earlier themes gold sets (their documents must not reappear here); looked up next to the parts gold.
EARLIER_GOLD = [st.THEMES_GOLD, st.GOLD / "corpora_themes_gold_fresh.csv"]

SEED = 20261201

NATIONAL = [f"national_gwr/n{k}.txt" for k in (10, 11, 12, 13, 14, 15)]
PROVINCIAL = [f"provincial_gwr_2025/{p}.docx" for p in ("p02", "p11", "p16", "p17", "p18", "p20", "p23", "p26")]
DOCUMENTS = NATIONAL + PROVINCIAL

#: Documents whose 13 sentences were all coded (the --verify comparison is restricted to these).
COMPLETED = list(DOCUMENTS)

ST_PATTERN = st.ST_PATTERN
CELLS = st.CELLS
quotas = st.quotas


def draw(documents=None):
    parts = st.load_parts()
    rng = random.Random(SEED)
    sample = []
    for k, file in enumerate(DOCUMENTS):
        text, rows = st.population(file, parts)
        q = quotas(k)
        for cell in CELLS:
            cands = [r for r in rows if (r[2], r[3]) == cell]
            picked = rng.sample(cands, q[cell]) if len(cands) > q[cell] else list(cands)
            for s, e, p, stratum in sorted(picked):
                sample.append((file, s, e, span_hash(text, s, e), p, stratum))
    if documents is not None:
        sample = [r for r in sample if r[0] in documents]
    return sample


def counts():
    parts = st.load_parts()
    print("file,summary_st,plan_st,summary_other,plan_other,other_part,sampled")
    sample = draw()
    for file in DOCUMENTS:
        _, rows = st.population(file, parts)
        c = {cell: sum(1 for r in rows if (r[2], r[3]) == cell) for cell in CELLS}
        o = sum(1 for r in rows if r[2] == "other")
        n = sum(1 for r in sample if r[0] == file)
        print(",".join([file] + [str(c[cell]) for cell in CELLS] + [str(o), str(n)]))
    for cell in CELLS:
        print("cell", "/".join(cell), sum(1 for r in sample if (r[4], r[5]) == cell))
    print("sample", len(sample), "st", sum(1 for r in sample if r[5] == "st"),
          "summary", sum(1 for r in sample if r[4] == "summary"),
          "national", sum(1 for r in sample if r[0].startswith("national")))


def verify() -> int:
    bad = 0
    if not FRESH2_GOLD.exists():
        print("missing", FRESH2_GOLD)
        return 1
    texts: dict[str, str] = {}
    with open(FRESH2_GOLD, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["file"] not in texts:
            texts[r["file"]] = source_text(CORPORA / r["file"])
        t = texts[r["file"]]
        s, e = int(r["start"]), int(r["end"])
        if not (0 <= s < e <= len(t)) or span_hash(t, s, e) != r["span_hash"]:
            bad += 1
            print("fresh2 gold mismatch", r["file"], s, e)
    drawn = {(f, s, e, p, stratum) for f, s, e, _h, p, stratum in draw(set(COMPLETED))}
    gold = {(r["file"], int(r["start"]), int(r["end"]), r["part"], r["stratum"]) for r in rows}
    if drawn != gold:
        bad += 1
        print("fresh2 gold differs from the drawn sample:", len(drawn ^ gold), "spans")
    old = set()
    for path in EARLIER_GOLD:
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                old |= {r["file"] for r in csv.DictReader(fh)}
    overlap = old & set(DOCUMENTS)
    if overlap:
        bad += 1
        print("documents also in an earlier themes gold:", sorted(overlap))
    print(f"fresh2 themes rows {len(rows)} from {len({r['file'] for r in rows})} documents "
          f"({len(COMPLETED)} completed), problems {bad}")
    print("fresh2 gold offsets OK" if not bad else "fresh2 gold offsets NOT OK")
    return 1 if bad else 0


def main(argv):
    if "--verify" in argv:
        return verify()
    if "--counts" in argv:
        counts()
        return 0
    w = csv.writer(sys.stdout)
    w.writerow(["file", "start", "end", "span_hash", "part", "stratum"])
    for row in draw():
        w.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
