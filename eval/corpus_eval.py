"""Document metadata and unit parts on the development corpora, per field, against ``sources.csv``.

    python eval/corpus_eval.py                 # print the table (all 63 documents, tune and test halves)
    python eval/corpus_eval.py --write         # also write docs/corpus_accuracy.md (the "current" figures)
    python eval/corpus_eval.py --write --baseline   # record the figures as the first version (kept in the doc)
    python eval/corpus_eval.py --errors        # list the tune split's errors on the terminal (never written)

Truth per file: ``place``, ``level``, ``doc_type`` = gov_work_report, ``summary_year`` = delivered_year - 1,
``plan_year`` = delivered_year; and "every report has both a summary and a plan part". When
``tests/gold/corpora_parts_gold.csv`` exists, each unit's part is compared with the gold part at the unit's position
in the canonical source text (``eval/source_text.py``); a unit the package calls ``preamble`` counts as ``other``.

Documents are parsed by the build's own parse function (``analysis.corpus.load.parse_document``) without the
token, theme and metric stages, which this evaluation does not need. Skips with a message when ``../shared/corpora``
is absent. Nothing from the corpora is written to the repository: the doc holds figures only.
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "eval")]

from source_text import CORPORA, corpora_available, source_text  # noqa: E402

FIELDS = ("place", "level", "doc_type", "summary_year", "plan_year")
DOC = ROOT / "docs" / "corpus_accuracy.md"
SPLIT = ROOT / "tests" / "gold" / "corpora_split.csv"
PARTS_GOLD = ROOT / "tests" / "gold" / "corpora_parts_gold.csv"


def truth() -> pd.DataFrame:
    """sources.csv as the expected value of each field, with the split."""
    src = pd.read_csv(CORPORA / "sources.csv", dtype=str, keep_default_na=False)
    t = pd.DataFrame({"file": src["file"], "place": src["place"], "level": src["level"],
                      "doc_type": "gov_work_report",
                      "summary_year": src["delivered_year"].astype(int) - 1,
                      "plan_year": src["delivered_year"].astype(int)})
    split = pd.read_csv(SPLIT, dtype=str) if SPLIT.is_file() else pd.DataFrame({"file": t["file"], "split": "all"})
    return t.merge(split, on="file", how="left").fillna({"split": "unsplit"})


def predict(files: list[str]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Parse every file (no manifest: pure inference) -> (one row per file, units per file)."""
    from analysis.corpus.load import parse_document

    rows, units = [], {}
    for f in files:
        doc, urows, _sections = parse_document(CORPORA / f, doc_id=f)
        rows.append({"file": f, **{k: doc[k] for k in FIELDS},
                     "has_summary": doc["summary_chars"] > 0, "has_plan": doc["plan_chars"] > 0,
                     **{k: doc.get(k) for k in ("place_evidence", "doc_type_evidence", "years_evidence", "title")}})
        units[f] = pd.DataFrame(urows)
    return pd.DataFrame(rows), units


def _norm_map(text: str) -> tuple[str, list[int]]:
    """NFKC per character (as the package reads text) and, for each output character, its source offset."""
    out, where = [], []
    for i, c in enumerate(text):
        n = unicodedata.normalize("NFKC", c.replace("\u3000", " ").replace("\xa0", " "))
        out.append(n)
        where += [i] * len(n)
    return "".join(out), where


def part_agreement(units: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per file: characters of units located in the source text, and the share whose part equals the gold part."""
    gold = pd.read_csv(PARTS_GOLD, dtype={"start": int, "end": int})
    rows = []
    for f, g in gold.groupby("file"):
        if f not in units or not (CORPORA / f).is_file():
            continue
        src = source_text(CORPORA / f)
        norm, where = _norm_map(src)
        spans = sorted((r.start, r.end, r.part) for r in g.itertuples())
        cursor, agree, total, missing = 0, 0, 0, 0
        for u in units[f].itertuples():
            text = u.text.strip()
            if len(text) < 4:
                continue
            at = norm.find(text, cursor)
            if at < 0:
                missing += len(text)
                continue
            cursor = at + len(text)
            mid = where[at + len(text) // 2]
            gold_part = next((p for s, e, p in spans if s <= mid < e), None)
            if gold_part is None:
                continue
            mine = "other" if u.part in ("preamble", "other") else u.part
            total += len(text)
            agree += len(text) * (mine == gold_part)
        rows.append({"file": f, "chars": total, "agree": agree, "unlocated": missing})
    return pd.DataFrame(rows)


def _same(pred: pd.Series, true: pd.Series) -> pd.Series:
    """Equal as text, with years compared as integers (a float 2024.0 is 2024; a missing value never matches)."""
    def norm(v):
        if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
            return None
        return str(int(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
    return pd.Series([norm(a) is not None and norm(a) == norm(b) for a, b in zip(pred, true)], index=pred.index)


def table(merged: pd.DataFrame) -> pd.DataFrame:
    """Accuracy per field for all documents and each split."""
    out = []
    for name, g in [("all", merged), *sorted(merged.groupby("split"))]:
        row = {"set": name, "n": len(g)}
        for k in FIELDS:
            row[k] = _same(g[k + "_pred"], g[k + "_true"]).mean()
        row["both_parts"] = (g["has_summary"] & g["has_plan"]).mean()
        out.append(row)
    return pd.DataFrame(out)


def markdown(acc: pd.DataFrame, parts: pd.DataFrame | None) -> str:
    lines = ["| set | n | " + " | ".join(FIELDS) + " | both parts |", "|---|---|" + "---|" * (len(FIELDS) + 1)]
    for r in acc.itertuples(index=False):
        vals = " | ".join(f"{getattr(r, k):.3f}" for k in (*FIELDS, "both_parts"))
        lines.append(f"| {r.set} | {r.n} | {vals} |")
    if parts is not None and len(parts):
        for name, g in parts.groupby("split"):
            lines.append("")
            lines.append(f"Unit parts vs `corpora_parts_gold.csv`, {name}: {g['agree'].sum() / max(g['chars'].sum(), 1):.3f} "
                         f"of {g['chars'].sum():,} characters in {len(g)} files agree "
                         f"({g['unlocated'].sum():,} characters not located in the source text)")
        lines.append(f"\nAll gold files: {parts['agree'].sum() / max(parts['chars'].sum(), 1):.3f}")
    return "\n".join(lines)


def write_doc(body: str, *, baseline: bool) -> None:
    """Write docs/corpus_accuracy.md, keeping the other block (baseline or current) as it was."""
    old = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
    blocks = dict(re.findall(r"<!-- (baseline|current) -->\n(.*?)\n<!-- end -->", old, flags=re.S))
    blocks["baseline" if baseline else "current"] = body
    text = ["# Corpus metadata accuracy on the development corpora", "",
            "Produced by `python eval/corpus_eval.py --write` (figures only; no text from `../shared/corpora`).",
            "Truth: `../shared/corpora/sources.csv` (summary_year = delivered_year - 1, plan_year = delivered_year);",
            "split: `tests/gold/corpora_split.csv`. Errors were looked at on the tune split only.", ""]
    for key, title in (("baseline", "First version (before the issue-12 inference changes)"), ("current", "Current")):
        text += [f"## {title}", "", f"<!-- {key} -->", blocks.get(key, "(not recorded)"), "<!-- end -->", ""]
    DOC.write_text("\n".join(text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="write docs/corpus_accuracy.md")
    ap.add_argument("--baseline", action="store_true", help="with --write: record as the first-version figures")
    ap.add_argument("--errors", action="store_true", help="print the tune split's errors (terminal only)")
    args = ap.parse_args(argv)
    if not corpora_available():
        print(f"skipped: the development corpora are not at {CORPORA} (set ANALYSIS_CORPORA)")
        return 0
    t = truth()
    pred, units = predict(list(t["file"]))
    merged = t.merge(pred, on="file", suffixes=("_true", "_pred"))
    acc = table(merged)
    parts = None
    if PARTS_GOLD.is_file():
        parts = part_agreement(units).merge(t[["file", "split"]], on="file")
    body = markdown(acc, parts)
    print(body)
    if args.errors:
        tune = merged[merged["split"] == "tune"]
        for k in FIELDS:
            bad = tune[~_same(tune[k + "_pred"], tune[k + "_true"])]
            for r in bad.itertuples():
                print(f"{k}\t{r.file}\t{getattr(r, k + '_pred')!r} != {getattr(r, k + '_true')!r}")
        for r in tune[~(tune["has_summary"] & tune["has_plan"])].itertuples():
            print(f"parts\t{r.file}\tsummary={r.has_summary} plan={r.has_plan}")
        if parts is not None:
            for r in parts[parts["split"] == "tune"].itertuples():
                if r.chars and r.agree / r.chars < 0.9:
                    print(f"part-agreement\t{r.file}\t{r.agree / r.chars:.3f}")
    if args.write:
        write_doc(body, baseline=args.baseline)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
