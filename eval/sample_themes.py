"""Draw the stratified sentence sample for ``tests/gold/corpora_themes_gold.csv`` (hand annotation of themes and
policy instruments on the development corpora) and verify the gold files' offsets.

Independent of the package: it reads the canonical text through ``source_text`` (same folder) and the parts gold
``tests/gold/corpora_parts_gold.csv``; it never imports ``analysis``. It writes nothing: the sample is printed as
offsets (CSV on stdout). No document text is printed or stored.

    python eval/sample_themes.py            # print the sample (file,start,end,span_hash,part,stratum)
    python eval/sample_themes.py --counts   # print population and sample counts per document and stratum
    python eval/sample_themes.py --verify   # check every offset/hash in the parts and themes gold files

Design (fixed before coding; see tests/gold/corpora_themes_gold.md):

* Sentences: spans of the canonical text between the terminators 。！？ (and ASCII ! ?, as in the seed codebook)
  or a line break; the terminator belongs to the sentence; surrounding whitespace is trimmed; spans shorter than
  6 characters are dropped.
* Part: the part (summary / plan / other) of the parts-gold block containing the sentence start. Only summary and
  plan sentences are sampled.
* Stratum: ``st`` if the sentence matches ``ST_PATTERN`` (the keyword test below), else ``other``.
* Documents: 13 national reports from 2010 on and 13 provincial 2025 reports, both splits in each group (list
  below). Per document 13 sentences: 2 summary/other, 2 plan/other, and 4+5 summary/st + plan/st (the 5 alternates
  between summary and plan from one document to the next). Planned: 26 x 13 = 338 sentences. Realised: 336
  (p25 has only 3 summary/st sentences against a quota of 5): 232 st (69 %) and 104 other, 167 summary and 169
  plan.
* Randomness: one ``random.Random(SEED)``; documents in the listed order, cells in the order of ``CELLS``,
  candidates in text order; ``rng.sample`` picks within each cell (all candidates if the cell is too small).
"""
from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from source_text import CORPORA, source_text, span_hash  # noqa: E402

GOLD = HERE.parent / "tests" / "gold"
PARTS_GOLD = GOLD / "corpora_parts_gold.csv"
THEMES_GOLD = GOLD / "corpora_themes_gold.csv"
SPLIT = GOLD / "corpora_split.csv"

SEED = 20250305

#: 13 national (6 tune, 7 test) and 13 provincial (7 tune, 6 test) documents.
DOCUMENTS = [
    "national_gwr/n20.txt", "national_gwr/n21.txt", "national_gwr/n22.txt", "national_gwr/n25.txt",
    "national_gwr/n26.txt", "national_gwr/n27.txt", "national_gwr/n28.txt", "national_gwr/n29.txt",
    "national_gwr/n31.txt", "national_gwr/n32.txt", "national_gwr/n33.txt", "national_gwr/n34.txt",
    "national_gwr/n35.txt",
    "provincial_gwr_2025/p01.docx", "provincial_gwr_2025/p03.docx", "provincial_gwr_2025/p04.docx",
    "provincial_gwr_2025/p05.docx", "provincial_gwr_2025/p06.docx", "provincial_gwr_2025/p09.docx",
    "provincial_gwr_2025/p10.docx", "provincial_gwr_2025/p13.docx", "provincial_gwr_2025/p15.docx",
    "provincial_gwr_2025/p19.docx", "provincial_gwr_2025/p21.docx", "provincial_gwr_2025/p25.docx",
    "provincial_gwr_2025/p30.docx",
]

#: The S&T keyword test (the keyword list given in the annotation brief).
ST_PATTERN = re.compile(
    "科技|创新|研发|技术|人才|高新|实验室|成果转化|知识产权|数字|人工智能|专利|孵化|新型研发|科研|高校|产学研|攻关"
)

TERMINATORS = "。！？!?"
MIN_LEN = 6

CELLS = [("summary", "st"), ("plan", "st"), ("summary", "other"), ("plan", "other")]


def sentences(text: str):
    """(start, end) of every sentence span (see module docstring)."""
    out = []
    start = 0
    n = len(text)
    for i, ch in enumerate(text):
        if ch in TERMINATORS or ch == "\n" or i == n - 1:
            end = i + 1 if ch != "\n" else i
            s, e = start, end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e - s >= MIN_LEN:
                out.append((s, e))
            start = i + 1
    return out


def load_parts():
    parts: dict[str, list[tuple[int, int, str]]] = {}
    with open(PARTS_GOLD, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            parts.setdefault(r["file"], []).append((int(r["start"]), int(r["end"]), r["part"]))
    return parts


def part_of(blocks, pos: int) -> str:
    for s, e, p in blocks:
        if s <= pos < e or (s <= pos and pos == e):
            return p
    # between blocks (whitespace only) cannot hold a sentence start; fall back to the preceding block
    prev = [b for b in blocks if b[0] <= pos]
    return prev[-1][2] if prev else "other"


def population(file: str, parts):
    text = source_text(CORPORA / file)
    rows = []
    for s, e in sentences(text):
        p = part_of(parts[file], s)
        stratum = "st" if ST_PATTERN.search(text[s:e]) else "other"
        rows.append((s, e, p, stratum))
    return text, rows


def quotas(doc_index: int, scale: int = 1) -> dict[tuple[str, str], int]:
    """Sentences per cell for the ``doc_index``-th listed document; ``scale`` multiplies every quota (a later
    sample with fewer documents draws more per document)."""
    big_summary = doc_index % 2 == 0
    return {
        ("summary", "st"): (5 if big_summary else 4) * scale,
        ("plan", "st"): (4 if big_summary else 5) * scale,
        ("summary", "other"): 2 * scale,
        ("plan", "other"): 2 * scale,
    }


def draw(documents=None, seed=None, scale=1):
    """The sample of ``documents`` (default: this sample's) drawn with ``seed`` (default: this sample's), quotas
    multiplied by ``scale``."""
    parts = load_parts()
    rng = random.Random(SEED if seed is None else seed)
    sample = []
    for k, file in enumerate(DOCUMENTS if documents is None else documents):
        text, rows = population(file, parts)
        q = quotas(k, scale)
        for cell in CELLS:
            cands = [r for r in rows if (r[2], r[3]) == cell]
            picked = rng.sample(cands, q[cell]) if len(cands) > q[cell] else list(cands)
            for s, e, p, stratum in sorted(picked):
                sample.append((file, s, e, span_hash(text, s, e), p, stratum))
    return sample


def counts():
    parts = load_parts()
    split = {r["file"]: r["split"] for r in csv.DictReader(open(SPLIT, encoding="utf-8"))}
    print("file,split,summary_st,plan_st,summary_other,plan_other,other_part")
    for file in DOCUMENTS:
        _, rows = population(file, parts)
        c = {cell: sum(1 for r in rows if (r[2], r[3]) == cell) for cell in CELLS}
        o = sum(1 for r in rows if r[2] == "other")
        print(",".join([file, split[file]] + [str(c[cell]) for cell in CELLS] + [str(o)]))
    sample = draw()
    print("sample", len(sample), "st", sum(1 for r in sample if r[5] == "st"),
          "summary", sum(1 for r in sample if r[4] == "summary"))


def verify() -> int:
    bad = 0
    texts: dict[str, str] = {}

    def text_of(f):
        if f not in texts:
            texts[f] = source_text(CORPORA / f)
        return texts[f]

    with open(PARTS_GOLD, encoding="utf-8") as fh:
        prow = list(csv.DictReader(fh))
    for r in prow:
        t = text_of(r["file"])
        s, e = int(r["start"]), int(r["end"])
        le = t.find("\n", s)
        le = e if le == -1 or le > e else le
        while le > s and t[le - 1].isspace():
            le -= 1
        if span_hash(t, s, le) != r["heading_hash"] or not (0 <= s < e <= len(t)):
            bad += 1
            print("parts mismatch", r["file"], s, e)
    files = {r["file"] for r in prow}
    if len(files) != 63:
        bad += 1
        print("parts gold covers", len(files), "files, expected 63")
    n = 0
    if THEMES_GOLD.exists():
        with open(THEMES_GOLD, encoding="utf-8") as fh:
            trow = list(csv.DictReader(fh))
        for r in trow:
            t = text_of(r["file"])
            if span_hash(t, int(r["start"]), int(r["end"])) != r["span_hash"]:
                bad += 1
                print("themes mismatch", r["file"], r["start"], r["end"])
            n += 1
        drawn = {(f, s, e) for f, s, e, *_ in draw()}
        gold = {(r["file"], int(r["start"]), int(r["end"])) for r in trow}
        if drawn != gold:
            bad += 1
            print("themes gold differs from the drawn sample:", len(drawn ^ gold), "spans")
    print(f"parts rows {len(prow)}, themes rows {n}, problems {bad}")
    print("gold offsets OK" if not bad else "gold offsets NOT OK")
    return 1 if bad else 0


def fresh_counts(documents, seed, scale=1) -> None:
    """Population per document and cell of a later (fresh) sample, and its sampled counts."""
    parts = load_parts()
    print("file,summary_st,plan_st,summary_other,plan_other,other_part,sampled")
    sample = draw(documents, seed, scale)
    for file in documents:
        _, rows = population(file, parts)
        c = {cell: sum(1 for r in rows if (r[2], r[3]) == cell) for cell in CELLS}
        o = sum(1 for r in rows if r[2] == "other")
        n = sum(1 for r in sample if r[0] == file)
        print(",".join([file] + [str(c[cell]) for cell in CELLS] + [str(o), str(n)]))
    for cell in CELLS:
        print("cell", "/".join(cell), sum(1 for r in sample if (r[4], r[5]) == cell))
    print("sample", len(sample), "st", sum(1 for r in sample if r[5] == "st"),
          "summary", sum(1 for r in sample if r[4] == "summary"),
          "national", sum(1 for r in sample if r[0].startswith("national")))


def fresh_verify(name: str, gold_path: Path, documents, seed, completed, earlier, scale=1) -> int:
    """Check a fresh gold file: every hash, equality with the drawn sample (restricted to the ``completed``
    documents) and no document shared with the ``earlier`` gold files."""
    bad = 0
    if not gold_path.exists():
        print("missing", gold_path)
        return 1
    texts: dict[str, str] = {}
    with open(gold_path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["file"] not in texts:
            texts[r["file"]] = source_text(CORPORA / r["file"])
        t = texts[r["file"]]
        s, e = int(r["start"]), int(r["end"])
        if not (0 <= s < e <= len(t)) or span_hash(t, s, e) != r["span_hash"]:
            bad += 1
            print(f"{name} gold mismatch", r["file"], s, e)
    drawn = {(f, s, e, p, stratum) for f, s, e, _h, p, stratum in draw(documents, seed, scale)
             if f in set(completed)}
    gold = {(r["file"], int(r["start"]), int(r["end"]), r["part"], r["stratum"]) for r in rows}
    if drawn != gold:
        bad += 1
        print(f"{name} gold differs from the drawn sample:", len(drawn ^ gold), "spans")
    old = set()
    for path in earlier:
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                old |= {r["file"] for r in csv.DictReader(fh)}
    overlap = old & set(documents)
    if overlap:
        bad += 1
        print("documents also in an earlier themes gold:", sorted(overlap))
    print(f"{name} themes rows {len(rows)} from {len({r['file'] for r in rows})} documents "
          f"({len(completed)} completed), problems {bad}")
    print(f"{name} gold offsets OK" if not bad else f"{name} gold offsets NOT OK")
    return 1 if bad else 0


def fresh_main(argv, name: str, gold_path: Path, documents, seed, completed, earlier, scale=1) -> int:
    """The command line of a fresh sample's script: the sample, ``--counts`` or ``--verify``."""
    if "--verify" in argv:
        return fresh_verify(name, gold_path, documents, seed, completed, earlier, scale)
    if "--counts" in argv:
        fresh_counts(documents, seed, scale)
        return 0
    w = csv.writer(sys.stdout)
    w.writerow(["file", "start", "end", "span_hash", "part", "stratum"])
    for row in draw(documents, seed, scale):
        w.writerow(row)
    return 0


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
