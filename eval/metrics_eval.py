"""Score ``analysis.metrics`` against the independent gold on ``../shared/corpora`` and on the seeds.

    python eval/metrics_eval.py                   # print the figures of the tune half and the seeds
    python eval/metrics_eval.py --errors tune     # list the tune half's misses, false positives and wrong fields
    python eval/metrics_eval.py --final           # also score the test half (once, at the end of a round)
    python eval/metrics_eval.py --final --write   # and rewrite docs/metrics_accuracy.md

The test half is held out: it is scored only with ``--final`` and its errors are never listed. Whoever tunes the
rules runs the script without ``--final``; the lead runs ``--final --write`` once, on main, after a round.

The corpora are built with the package (``analysis.pipeline.build.build``; the cached build is the one route by
which tables are made). Each gold row (``tests/gold/corpora_metrics_gold_*.csv``) holds character offsets into the
canonical source text (``eval/source_text.py``) and a hash of the span, never text. Here the span and quote are read
from the source at evaluation time, checked against their hashes, and located in the package's ``docs.text`` (which
normalises width and whitespace): the occurrence nearest the proportional position. An extracted row matches a gold
row when it is in the same document, has the same indicator and value (1e-6 relative), and its quote overlaps the
gold quote (its number span overlapping the gold number span is preferred). Matching is one-to-one.

Each gold file covers a stated set of files and indicators (its ``.md``); an extracted row is scored only where a
gold file covers its (file, indicator) — elsewhere nobody annotated, so it is neither right nor wrong.
Skips with a message (exit 0) when the corpora are absent.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from source_text import CORPORA, corpora_available, source_text, span_hash  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold"
SPLIT = GOLD_DIR / "corpora_split.csv"
SEEDS_GOLD = GOLD_DIR / "metrics_gold.csv"
DOC = ROOT / "docs" / "metrics_accuracy.md"
FIRST = ROOT / "eval" / "metrics_first_version.json"
FOLDERS = ("national_gwr", "provincial_gwr_2025")
REL_TOL = 1e-6

_BASE = ("rd_intensity", "rd_expenditure", "high_tech_enterprises", "high_tech_enterprises_new", "tech_sme",
         "tech_sme_new", "tech_contract_value", "tech_contract_count", "new_rd_institutions",
         "new_rd_institutions_new", "incubators", "maker_spaces", "key_labs", "key_labs_new", "tech_credit",
         "sci_tech_awards", "innovation_teams")
_EXTRA = ("invention_patents_per_10k", "specialized_smes", "specialized_smes_new", "little_giants",
          "little_giants_new", "high_tech_manufacturing_share")


def _files(folder: str, prefix: str, lo: int, hi: int) -> set[str]:
    return {f"{folder}/{prefix}{i:02d}" for i in range(lo, hi + 1)}


_NAT_NEW = _files("national_gwr", "n", 16, 35)
_NAT_OLD = _files("national_gwr", "n", 2, 15)
_PROV = _files("provincial_gwr_2025", "p", 1, 31)
#: gold file -> [(files covered (path without suffix), indicators covered)], from each file's .md
COVERAGE = {
    "corpora_metrics_gold_national.csv": [(_NAT_NEW, _BASE)],
    "corpora_metrics_gold_provincial.csv": [(_files("provincial_gwr_2025", "p", 1, 16), _BASE)],
    "corpora_metrics_gold_provincial2.csv": [(_files("provincial_gwr_2025", "p", 17, 31), _BASE)],
    "corpora_metrics_gold_extra.csv": [(_PROV | _NAT_NEW, _EXTRA)],
    "corpora_metrics_gold_more.csv": [
        (_PROV | _NAT_NEW, ("digital_economy_share", "high_tech_industry_share", "rd_personnel")),
        (_NAT_OLD, ("rd_intensity", "rd_expenditure", "high_tech_enterprises", "tech_contract_value"))],
}


def _key(path_or_file: str) -> str:
    """``.../national_gwr/n18.txt`` -> ``national_gwr/n18``."""
    p = Path(str(path_or_file))
    return f"{p.parent.name}/{p.stem}"


def _norm(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", s) if not ch.isspace())


def _locate(doc_text: str, needle: str, expected: int) -> tuple[int, int] | None:
    """The span of ``needle`` in ``doc_text`` nearest ``expected`` (whitespace in the doc text is skipped)."""
    target = _norm(needle)
    if not target:
        return None
    # a whitespace-free view of the doc with a map back to its offsets
    keep = [i for i, ch in enumerate(doc_text) if not ch.isspace()]
    flat = unicodedata.normalize("NFKC", "".join(doc_text[i] for i in keep))
    if len(flat) != len(keep):  # NFKC changed the length (rare ligatures): fall back to the raw text
        flat, keep = "".join(doc_text[i] for i in keep), keep
    best = None
    pos = flat.find(target)
    while pos >= 0:
        a, b = keep[pos], keep[pos + len(target) - 1] + 1
        if best is None or abs(a - expected) < abs(best[0] - expected):
            best = (a, b)
        pos = flat.find(target, pos + 1)
    return best


def read_corpora_gold() -> pd.DataFrame:
    """All corpora gold rows with ``split``, ``gold_file`` and the span/quote text read from the source."""
    split = pd.read_csv(SPLIT)
    split_of = {_key(f): s for f, s in zip(split["file"], split["split"])}
    frames = []
    for name in COVERAGE:
        g = pd.read_csv(GOLD_DIR / name, keep_default_na=False)
        g["gold_file"] = name
        frames.append(g)
    gold = pd.concat(frames, ignore_index=True)
    texts: dict[str, str] = {}
    spans, quotes = [], []
    for r in gold.itertuples(index=False):
        if r.file not in texts:
            texts[r.file] = source_text(CORPORA / r.file)
        t = texts[r.file]
        if span_hash(t, r.start, r.end) != r.span_hash or span_hash(t, r.quote_start, r.quote_end) != r.quote_hash:
            raise SystemExit(f"gold offsets no longer match the source: {r.gold_file} {r.file} {r.start}-{r.end}")
        spans.append(t[r.start:r.end])
        quotes.append(t[r.quote_start:r.quote_end])
    gold["span_text"], gold["quote_text"] = spans, quotes
    gold["src_len"] = [len(texts[f]) for f in gold["file"]]
    gold["key"] = gold["file"].map(_key)
    gold["split"] = gold["key"].map(split_of)
    for c in ("value", "year"):
        gold[c] = pd.to_numeric(gold[c], errors="coerce")
    return gold


def _in_scope(key: str, indicator: str) -> bool:
    return any(key in files and indicator in inds for spans in COVERAGE.values() for files, inds in spans)


def _overlap(a: tuple[int, int] | None, b: tuple[int, int]) -> int:
    if a is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_corpora(metrics: pd.DataFrame, docs: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """One row per gold row (tp/fn) and per unmatched in-scope extracted row (fp), with both sides' fields."""
    docs = docs.assign(key=docs["path"].map(_key))
    text_of = dict(zip(docs["key"], docs["text"]))
    ext = metrics.assign(key=metrics["path"].map(_key)).reset_index(drop=True)
    ext = ext[[_in_scope(k, i) for k, i in zip(ext["key"], ext["indicator"])]]
    used: set[int] = set()
    rows = []
    for g in gold.itertuples(index=False):
        dt = text_of.get(g.key, "")
        exp = int(g.start / max(g.src_len, 1) * len(dt))
        span = _locate(dt, g.span_text, exp)
        quote = _locate(dt, g.quote_text, int(g.quote_start / max(g.src_len, 1) * len(dt)))
        best, best_score = None, 0
        for idx, r in ext[(ext["key"] == g.key) & (ext["indicator"] == g.indicator)].iterrows():
            if idx in used or not math.isclose(r["value"], g.value, rel_tol=REL_TOL):
                continue
            q_ov = _overlap(quote, (r["start"], r["end"]))
            n_ov = _overlap(span, (r["number_start"], r["number_end"]))
            score = q_ov + 1000 * n_ov
            if score > best_score:
                best, best_score = idx, score
        rec = {"outcome": "fn", "split": g.split, "doc": g.key, "indicator": g.indicator, "value": g.value,
               "gold_year": g.year, "gold_kind": g.kind, "gold_qualifier": g.qualifier,
               "gold_period": g.period or None, "year": None, "kind": None, "qualifier": None, "period": None,
               "located": span is not None, "doc_start": span[0] if span else None, "quote": None,
               "gold_file": g.gold_file}
        if best is not None:
            used.add(best)
            r = ext.loc[best]
            rec.update(outcome="tp", year=r["year"], kind=r["kind"], qualifier=r["qualifier"],
                       period=r["period"], quote=r["quote"])
        rows.append(rec)
    split_of = dict(zip(gold["key"], gold["split"]))
    split = pd.read_csv(SPLIT)
    split_of.update({_key(f): s for f, s in zip(split["file"], split["split"])})
    for idx, r in ext.iterrows():
        if idx not in used:
            rows.append({"outcome": "fp", "split": split_of.get(r["key"]), "doc": r["key"],
                         "indicator": r["indicator"], "value": r["value"], "year": r["year"], "kind": r["kind"],
                         "qualifier": r["qualifier"], "period": r["period"], "quote": r["quote"],
                         "doc_start": r["number_start"]})
    return pd.DataFrame(rows)


def summary(m: pd.DataFrame) -> dict:
    from analysis.evaluation.metrics import match_summary

    return match_summary(m)


def seeds_matches() -> pd.DataFrame:
    """The seeds' build scored against ``tests/gold/metrics_gold.csv`` (the package's own matching rule)."""
    from analysis.evaluation.metrics import match_gold, read_gold
    from analysis.pipeline.build import build

    b = build(None)
    gold = read_gold(SEEDS_GOLD)
    met = b.table("metrics")
    # scored on the indicators the seeds' gold lists (flows catalogued later were out of its scope)
    return match_gold(met[met["indicator"].isin(set(gold["indicator"]))], gold)


def corpora_matches() -> pd.DataFrame:
    from analysis.pipeline.build import build

    b = build([CORPORA / f for f in FOLDERS])
    return match_corpora(b.table("metrics"), b.table("docs"), read_corpora_gold()), b.table("metrics")


def national_series(metrics: pd.DataFrame) -> str:
    """The R&D-intensity values of the national reports (numbers, years and kinds only: no document text)."""
    m = metrics[(metrics["indicator"] == "rd_intensity") & metrics["path"].str.contains("national_gwr")]
    lines = ["| report | value (%) | qualifier | year | kind |", "|---|---:|---|---:|---|"]
    for r in m.sort_values(["doc_id", "number_start"]).itertuples(index=False):
        lines.append(f"| {r.doc_id} | {r.value:g} | {r.qualifier} | {r.year} | {r.kind} |")
    return "\n".join(lines)


def figures(corp: pd.DataFrame, seeds: pd.DataFrame, *, final: bool = False) -> dict:
    """Tune half and seeds; the held-out test half only when ``final``."""
    figs = {"tune": summary(corp[corp["split"] == "tune"])}
    if final:
        figs["test"] = summary(corp[corp["split"] == "test"])
    figs["seeds"] = summary(seeds)
    return figs


def table(figs: dict, label: str = "") -> str:
    from analysis.evaluation.metrics import summary_markdown

    return summary_markdown({f"{label}{k}": v for k, v in figs.items()})


def seeds_table(seeds: pd.DataFrame) -> str:
    """The seeds row alone (what a test recomputes and looks for in the doc)."""
    return table({"seeds": summary(seeds)}).splitlines()[-1]


def per_indicator(corp: pd.DataFrame, split: str) -> str:
    sub = corp[corp["split"] == split]
    return table({f"`{ind}`": summary(g) for ind, g in sub.groupby("indicator", sort=True)})


def errors(corp: pd.DataFrame, split: str) -> pd.DataFrame:
    sub = corp[corp["split"] == split]
    wrong = (sub["outcome"] == "tp") & ((pd.to_numeric(sub["gold_year"], errors="coerce")
                                          != pd.to_numeric(sub["year"], errors="coerce"))
                                         | (sub["gold_kind"].astype(str) != sub["kind"].astype(str)))
    return sub[(sub["outcome"] != "tp") | wrong].sort_values(["doc", "doc_start"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--final", action="store_true",
                    help="also score the held-out test half (once, by the lead, at the end of a round)")
    ap.add_argument("--write", action="store_true", help="rewrite docs/metrics_accuracy.md (needs --final)")
    ap.add_argument("--record-first", action="store_true",
                    help="store these figures as the first version (done once; needs --final)")
    ap.add_argument("--errors", choices=("tune",), help="list the errors of the tune half (never the test half)")
    args = ap.parse_args(argv)
    if (args.write or args.record_first) and not args.final:
        ap.error("--write and --record-first report the test half: they need --final")
    if not corpora_available():
        print(f"metrics_eval: skipped, the development corpora are absent ({CORPORA})")
        return 0
    (corp, metrics), seeds = corpora_matches(), seeds_matches()
    figs = figures(corp, seeds, final=args.final)
    print(table(figs))
    shown = corp if args.final else corp[corp["split"] == "tune"]
    unlocated = shown[(shown["outcome"] != "fp") & ~shown["located"].astype(bool)]
    if len(unlocated):
        print(f"{len(unlocated)} gold rows could not be located in docs.text")
    if args.errors:
        with pd.option_context("display.width", 250, "display.max_rows", 500, "display.max_colwidth", 60):
            print(errors(corp, args.errors).drop(columns=["split", "located", "gold_file"]).to_string())
    if args.record_first:
        FIRST.write_text(json.dumps(figs, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.write:
        from metrics_doc import render

        first = json.loads(FIRST.read_text(encoding="utf-8")) if FIRST.is_file() else None
        DOC.write_text(render(figs, first, corp, seeds, table, per_indicator, seeds_table, national_series(metrics)),
                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
