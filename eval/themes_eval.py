"""Agreement of the theme and instrument coder with the hand-coded gold: the seeds, the development corpora gold
and (only with ``--final``) the fresh, untouched test set.

    python eval/themes_eval.py                  # seeds and the development gold (old gold by half and group,
                                                # fresh-1 to fresh-4 by group, all development)
    python eval/themes_eval.py --complement     # also dictionaries + complement, cross-validated by document
    python eval/themes_eval.py --errors fresh4  # print development disagreements
                                                # (old|tune|test|fresh1|fresh2|fresh3|fresh4|all)
    python eval/themes_eval.py --write          # write docs/themes_accuracy.md (development rows, no test set)
    python eval/themes_eval.py --final --write  # the report: also the fresh-5 test set (dictionaries alone,
                                                # dictionaries + complement, first version), once, by the lead

Protocol (issue 18, round 8): development data are the old corpora gold ``tests/gold/corpora_themes_gold.csv``
(336 sentences, 26 documents; its old tune and test halves), fresh-1 ``tests/gold/corpora_themes_gold_fresh.csv``
(208 sentences, 16 documents; scored once as the test at the end of round 4, recorded in
``themes_fresh1_round4.json``), fresh-2 ``tests/gold/corpora_themes_gold_fresh2.csv`` (180 sentences, 14
documents; test of round 5, ``themes_fresh2_round5.json``), fresh-3 ``tests/gold/corpora_themes_gold_fresh3.csv``
(156 sentences, the seven national reports 1992-1999; test of round 6, ``themes_fresh3_round6.json``) and
fresh-4 ``tests/gold/corpora_themes_gold_fresh4.csv`` (189 sentences, three per report of all 63; test of round 7,
``themes_fresh4_round7.json``), 1069 sentences of all 63 reports: their disagreements may be read and the
complement is trained on them. The untouched test set is ``tests/gold/corpora_themes_gold_fresh5.csv`` (three more
sentences per report from all 63 reports, none in an earlier sample, same codebook): untouched at the sentence
level only, since its reports are development reports. It is read and scored only with ``--final`` and its
disagreements are never printed. Without it, ``--final`` says so in one line.

The corpora are built with the package (``analysis.pipeline.build.build``, cached); each gold sentence's text is
read at run time from the canonical source (``source_text.py``) by its offsets and checked against its
``span_hash``; no document text is written anywhere. Without ``../shared/corpora`` the corpora part is skipped with
a message (the seeds part still runs).
"""
from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
from source_text import CORPORA, corpora_available, source_text, span_hash  # noqa: E402
from themes_protocol import COMPLEMENT_NOTE, HISTORY_NOTE, PROTOCOL  # noqa: E402

from analysis.evaluation.themes import agreement, agreement_report, md_table, read_gold  # noqa: E402

GOLD = REPO / "tests" / "gold"
SEEDS_GOLD = GOLD / "themes_gold.csv"
CORPORA_GOLD = GOLD / "corpora_themes_gold.csv"
FRESH1_GOLD = GOLD / "corpora_themes_gold_fresh.csv"
FRESH2_GOLD = GOLD / "corpora_themes_gold_fresh2.csv"
FRESH3_GOLD = GOLD / "corpora_themes_gold_fresh3.csv"
FRESH4_GOLD = GOLD / "corpora_themes_gold_fresh4.csv"
FRESH_GOLD = GOLD / "corpora_themes_gold_fresh5.csv"
SPLIT = GOLD / "corpora_split.csv"
DOC = REPO / "docs" / "themes_accuracy.md"
FIRST = HERE / "themes_first_version.json"
#: fresh-1 as scored once, as the untouched test set, at the end of round 4 (recorded, never recomputed)
FRESH1_ROUND4 = HERE / "themes_fresh1_round4.json"
#: fresh-2 as scored once, as the untouched test set, at the end of round 5 (recorded, never recomputed)
FRESH2_ROUND5 = HERE / "themes_fresh2_round5.json"
#: fresh-3 as scored once, as the untouched test set, at the end of round 6 (recorded, never recomputed)
FRESH3_ROUND6 = HERE / "themes_fresh3_round6.json"
#: fresh-4 as scored once, as the untouched test set, at the end of round 7 (recorded, never recomputed)
FRESH4_ROUND7 = HERE / "themes_fresh4_round7.json"
#: the seed documents the seed dictionaries were never tuned on (see the seeds' protocol in the doc)
SEEDS_HELD_OUT = ("dongguan_2022_proposal_reply_20220364.txt", "zhongshan_2023_summary_2024_plan.txt")
MIN_SUPPORT = 10
FOLDERS = ("national_gwr", "provincial_gwr_2025")
DEV_TUNE, DEV_TEST = "corpora: development (old tune)", "corpora: development (old test)"
DEV_ALL = "corpora: development (old, all)"
DEV_NATIONAL, DEV_PROVINCIAL = "corpora: development (old), national", "corpora: development (old), provincial"
DEV_FRESH1 = "corpora: development (fresh-1)"
DEV_FRESH2 = "corpora: development (fresh-2)"
DEV_FRESH3 = "corpora: development (fresh-3)"
DEV_FRESH4 = "corpora: development (fresh-4)"
DEV_BOTH = "corpora: all development (old + fresh-1 + fresh-2 + fresh-3 + fresh-4)"
FRESH = "corpora: fresh-5 test (sentence-level: untouched sentences of development reports)"
#: the development rows under the names the first-version records (frozen before the protocol changed) use
FRESH1_HISTORY = "corpora: fresh-1 as scored once at the end of round 4"
FRESH2_HISTORY = "corpora: fresh-2 as scored once at the end of round 5"
FRESH3_HISTORY = "corpora: fresh-3 as scored once at the end of round 6"
FRESH4_HISTORY = "corpora: fresh-4 as scored once at the end of round 7"
RECORDS = ((FRESH1_ROUND4, "round4"), (FRESH2_ROUND5, "round5"), (FRESH3_ROUND6, "round6"),
           (FRESH4_ROUND7, "round7"))
FIRST_NAMES = {DEV_TUNE: "corpora: tune", DEV_TEST: "corpora: test", DEV_ALL: "corpora: all",
               **{f"{d}{g}": f"{h}{g}" for d, h in ((DEV_FRESH1, FRESH1_HISTORY), (DEV_FRESH2, FRESH2_HISTORY),
                                                    (DEV_FRESH3, FRESH3_HISTORY), (DEV_FRESH4, FRESH4_HISTORY))
                  for g in ("", ", national", ", provincial")}}
#: rows that are groups of another row (summary table only, no per-category columns, no full report)
def _is_group(name: str) -> bool:
    return name.endswith((", national", ", provincial")) or name == DEV_BOTH


@lru_cache(maxsize=None)
def _canonical(file: str) -> str:
    return source_text(CORPORA / file)


def text_of(file: str, start: int, end: int, expected: str) -> str:
    """The gold span's text from the canonical source; raises when its hash differs (a changed source file)."""
    text = _canonical(file)
    got = span_hash(text, start, end)
    if got != expected:
        raise ValueError(f"{file} [{start}, {end}): span hash {got} != gold {expected}: the source changed")
    return text[start:end]


def seeds_results(corpus, coder=None) -> dict[str, dict]:
    """Agreement on the seeds' gold: all sentences (every theme with support) and the held-out documents."""
    gold = read_gold(SEEDS_GOLD)
    held = gold[gold["file"].isin(SEEDS_HELD_OUT)].reset_index(drop=True)
    return {"seeds: all": agreement(gold, corpus, coder=coder),
            "seeds: held-out documents": agreement(held, corpus, coder=coder)}


def seeds_block(corpus) -> str:
    """The seeds part of docs/themes_accuracy.md (the test recomputes it and compares it with the doc)."""
    return seeds_block_from(seeds_results(corpus))


def corpora_build():
    """The development corpora built with the package (None when they are absent)."""
    if not corpora_available():
        return None
    from analysis.pipeline.build import build

    return build([CORPORA / f for f in FOLDERS])


def corpora_gold() -> pd.DataFrame:
    """The development gold: the old gold (``split`` tune/test), fresh-1, fresh-2, fresh-3 and fresh-4 (``split``
    fresh1 ... fresh4), with each sentence's ``group`` (national/provincial)."""
    gold = read_gold(CORPORA_GOLD, text_of=text_of)
    split = pd.read_csv(SPLIT, dtype=str).set_index("file")["split"]
    gold["split"] = gold["file"].map(split)
    if gold["split"].isna().any():
        raise ValueError(f"gold files missing from {SPLIT}: {sorted(gold.loc[gold['split'].isna(), 'file'])}")
    fresh = [read_gold(path, text_of=text_of).assign(split=name)
             for name, path in (("fresh1", FRESH1_GOLD), ("fresh2", FRESH2_GOLD), ("fresh3", FRESH3_GOLD),
                                ("fresh4", FRESH4_GOLD))]
    gold = pd.concat([gold, *fresh], ignore_index=True)
    gold["gold_row"] = range(1, len(gold) + 1)
    gold["group"] = gold["file"].map(_group)
    return gold


def _group(file: str) -> str:
    return "national" if file.startswith("national") else "provincial"


def fresh_gold() -> pd.DataFrame | None:
    """The fresh-5, untouched test set (None when it is not there); read only with ``--final``."""
    return read_gold(FRESH_GOLD, text_of=text_of) if FRESH_GOLD.is_file() else None


def corpora_results(corpus, gold: pd.DataFrame, coder=None) -> dict[str, dict]:
    """Agreement on the development gold (macro-F1 over themes with >= 10 gold sentences in that set): the old
    gold's tune and test halves, its national and provincial documents and all of it; fresh-1 to fresh-4, each all
    and by group (a group with no sentence, fresh-3's provincial one, has no row); all development sets
    together."""
    old = gold["split"].isin(["tune", "test"])
    nat, prov = gold["group"] == "national", gold["group"] == "provincial"
    sets = [(DEV_TUNE, gold["split"] == "tune"), (DEV_TEST, gold["split"] == "test"),
            (DEV_NATIONAL, old & nat), (DEV_PROVINCIAL, old & prov), (DEV_ALL, old)]
    for name, split in ((DEV_FRESH1, "fresh1"), (DEV_FRESH2, "fresh2"), (DEV_FRESH3, "fresh3"),
                        (DEV_FRESH4, "fresh4")):
        keep = gold["split"] == split
        sets += [(name, keep)] + [(f"{name}, {g}", keep & k) for g, k in (("national", nat), ("provincial", prov))
                                  if (keep & k).any()]
    sets.append((DEV_BOTH, pd.Series(True, index=gold.index)))
    return {name: agreement(gold[keep].reset_index(drop=True), corpus, coder=coder, min_support=MIN_SUPPORT)
            for name, keep in sets}


def fresh_results(corpus, fresh: pd.DataFrame, coder=None) -> dict[str, dict]:
    """Agreement on the fresh test set: all of it (the row that counts), then its national (and provincial, when
    it has any) documents."""
    group = fresh["file"].map(_group)
    out = {FRESH: agreement(fresh, corpus, coder=coder, min_support=MIN_SUPPORT)}
    for g in ("national", "provincial"):
        if (group == g).any():
            out[f"{FRESH}, {g}"] = agreement(fresh[group == g].reset_index(drop=True), corpus, coder=coder,
                                             min_support=MIN_SUPPORT)
    return out


def training_rows(seeds_corpus, corpora_corpus, gold: pd.DataFrame) -> pd.DataFrame:
    """The hand-coded sentences the complement learns from: the seeds' gold and the whole development gold
    (doc_id, text, themes, type): old and fresh-1 to fresh-4. The fresh-5 test set is never among them."""
    from analysis.evaluation.themes import match_gold

    rows = []
    for g, corpus in ((read_gold(SEEDS_GOLD), seeds_corpus), (gold, corpora_corpus)):
        g = g.reset_index(drop=True)
        m = match_gold(g, corpus).set_index("gold_row")
        for r in g.itertuples():
            rows.append((m.at[r.gold_row, "doc_id"], r.sentence, r.gold_themes, r.gold_type))
    return pd.DataFrame(rows, columns=["doc_id", "text", "themes", "type"])


def complement_coder(train: pd.DataFrame, base=None, **options):
    """The dictionaries plus the supervised complement, cross-validated by document: a unit of a document that is
    in ``train`` is coded by a model trained without that document, so seeds and development figures are not
    in-sample (so are the fresh-5 sentences, whose reports are development reports); a document not in ``train``
    is coded by the model trained on all of it."""
    from analysis.evaluation.themes import dictionary_coder
    from analysis.themes.complement import (
        complement_themes,
        complement_types,
        train_complement,
    )

    base = base or dictionary_coder()
    models: dict = {}
    docs = set(train["doc_id"])

    def model_for(doc):
        key = doc if doc in docs else None
        if key not in models:
            t = train[train["doc_id"] != key]
            models[key] = train_complement(t["text"].tolist(), t["themes"].tolist(), t["type"].tolist(), **options)
        return models[key]

    def coder(units: pd.DataFrame):
        themes, inst = base(units)
        out_t, out_i = [], []
        for doc, u in units.groupby("doc_id", sort=False):
            m = model_for(doc)
            out_t.append(complement_themes(themes[themes["doc_id"] == doc], u.reset_index(drop=True), m,
                                           labels=base.theme_labels))
            out_i.append(complement_types(inst[inst["doc_id"] == doc].reset_index(drop=True), u, m))
        return pd.concat(out_t, ignore_index=True), pd.concat(out_i, ignore_index=True)

    coder.theme_ids, coder.theme_labels, coder.type_ids = base.theme_ids, base.theme_labels, base.type_ids
    return coder


def write_training_table(path: Path, train: pd.DataFrame) -> None:
    """Write the complement's training table (it holds document text, so never inside the repository) and
    print the ``complement:`` setting of themes.yaml that switches the complement on with it."""
    import hashlib

    path = path.resolve()
    if path.is_relative_to(REPO):
        raise SystemExit(f"{path}: the training table holds document text; write it outside the repository")
    table = pd.DataFrame({"text": train["text"], "themes": train["themes"].map(lambda t: ";".join(sorted(t))),
                          "instrument_type": train["type"]})
    table.to_csv(path, index=False, encoding="utf-8")
    sha1 = hashlib.sha1(path.read_bytes()).hexdigest()
    print(f"wrote {len(table)} sentences to {path}\nthemes.yaml: complement: {{training: {path}, sha1: {sha1}}}")


def complement_results(seeds_corpus, corpus, gold, fresh) -> dict[str, dict]:
    """Dictionaries + complement on every gold set (cross-validated by document; the fresh set, when given, coded
    by the model trained on all the seeds' and development sentences)."""
    coder = complement_coder(training_rows(seeds_corpus, corpus, gold))
    out = {**seeds_results(seeds_corpus, coder=coder), **corpora_results(corpus, gold, coder=coder)}
    if fresh is not None:
        out.update(fresh_results(corpus, fresh, coder=coder))
    return out


def complement_section(base: dict, comp: dict, recorded: dict | None = None) -> str:
    """Dictionaries alone next to dictionaries + complement, one row per gold set; ``recorded`` adds rows copied
    from an earlier test run (name -> the four figures)."""
    rows = []
    for name, r in comp.items():
        a, b = base[name]["summary"].iloc[0], r["summary"].iloc[0]
        rows.append({"gold": name, "macro-F1 dictionaries": _fmt(a.macro_f1), "macro-F1 + complement":
                     _fmt(b.macro_f1), "kappa dictionaries": _fmt(a.kappa), "kappa + complement": _fmt(b.kappa)})
    for name, figures in (recorded or {}).items():
        rows.append({"gold": f"{name} (recorded)", **{k: _fmt(v) for k, v in figures.items()}})
    return "\n".join(["## The supervised complement, measured against the dictionaries alone", "", COMPLEMENT_NOTE,
                      "", md_table(pd.DataFrame(rows))])


def _fmt(v) -> str:
    return "–" if v is None or pd.isna(v) else f"{v:.3f}"


def _first_of(first: dict, name: str) -> dict:
    return first.get(name) or first.get(FIRST_NAMES.get(name, ""), {})


def _summary_table(results: dict[str, dict], first: dict | None, history: dict | None = None) -> str:
    """One row per gold set; ``history`` adds recorded rows (summary dicts, e.g. fresh-1 as scored in round 4)."""
    rows = []
    recorded = {n: {"summary": pd.DataFrame([h["summary"]])} for n, h in (history or {}).items()}
    for name, r in {**results, **recorded}.items():
        s = r["summary"].iloc[0]
        f = _first_of(first or {}, name).get("summary", {})
        rows.append({"gold": name if name not in recorded else f"{name} (recorded)", "sentences": int(s.n_matched),
                     "themes in macro": int(s.n_themes_scored),
                     **({"macro-F1 first": _fmt(f.get("macro_f1"))} if first else {}),
                     "macro-F1": _fmt(s.macro_f1), "micro-F1": _fmt(s.micro_f1),
                     **({"kappa first": _fmt(f.get("kappa"))} if first else {}),
                     "type kappa": _fmt(s.kappa), "type accuracy": _fmt(s.type_accuracy)})
    return md_table(pd.DataFrame(rows))


def _per_category(results: dict[str, dict], first: dict, key: str, col: str) -> str:
    """Per theme (or instrument type): support and F1, first version next to tuned, one column pair per gold."""
    names = [n for n in results if n != DEV_ALL and not _is_group(n)]
    cats = list(dict.fromkeys(c for n in names for c in results[n][key][col]))
    rows = []
    for c in cats:
        row = {col: c}
        for n in names:
            t = results[n][key].set_index(col)
            f = _first_of(first, n).get(key, {}).get(c, {})
            row[f"{n} n"] = int(t.loc[c, "support"]) if c in t.index else 0
            row[f"{n} F1 first"] = _fmt(f.get("f1"))
            row[f"{n} F1"] = _fmt(t.loc[c, "f1"]) if c in t.index else "–"
        rows.append(row)
    return md_table(pd.DataFrame(rows))


def errors(results: dict, which: str) -> None:
    """Print the development gold's disagreements (old tune, old test, old, fresh-1 ... fresh-4 or all) to the
    terminal, never a file."""
    names = {"tune": DEV_TUNE, "test": DEV_TEST, "old": DEV_ALL, "fresh1": DEV_FRESH1, "fresh2": DEV_FRESH2,
             "fresh3": DEV_FRESH3, "fresh4": DEV_FRESH4, "all": DEV_BOTH}
    if which not in names:
        raise SystemExit("--errors takes tune, test, old, fresh1, fresh2, fresh3, fresh4 or all (development gold; "
                         "the fresh-5 test set is never shown)")
    s = results[names[which]]["sentences"]
    bad = s[(s["gold_themes"] != s["pred_themes"]) | (s["gold_type"] != s["pred_type"])]
    for r in bad.itertuples():
        print(f"[{r.gold_row}] {r.doc_id} {r.match}\n  {r.sentence}\n  gold  {r.gold_themes or '-'} / {r.gold_type}"
              f"\n  pred  {r.pred_themes or '-'} / {r.pred_type}   {r.theme_cues}  ||  {r.instrument_cues}")
    print(f"{len(bad)} of {len(s)} development sentences ({which}) disagree")


def write_doc(seeds: dict, corpora: dict | None, first: dict, extra: str = "", fresh_note: str = "",
              history: dict | None = None) -> str:
    """The whole docs/themes_accuracy.md."""
    allres = {**seeds, **(corpora or {})}
    lines = ["# Theme and instrument coding: agreement with the hand-coded gold", "", PROTOCOL,
             "## Summary: first version next to tuned", "", _summary_table(allres, first, history), "",
             HISTORY_NOTE, ""]
    if corpora is None:
        lines += ["(The corpora rows are missing: `../shared/corpora` was not available when this was written.)", ""]
    if fresh_note:
        lines += [fresh_note, ""]
    lines += ["## Per theme: F1, first version next to tuned", "",
              _per_category(allres, first, "themes", "theme"), "",
              "## Per instrument type: F1, first version next to tuned", "",
              _per_category(allres, first, "types", "instrument_type"), ""]
    if extra:
        lines += [extra, ""]
    for name, r in (corpora or {}).items():
        if _is_group(name):
            continue
        lines += [agreement_report(r, title=f"{name[0].upper()}{name[1:]} (tuned coder)", level=2), ""]
    lines += ["## Seeds' gold (tuned coder)", "", seeds_block_from(seeds), ""]
    return "\n".join(lines)


def seeds_block_from(res: dict) -> str:
    out = ["<!-- seeds:begin -->", _summary_table(res, None), "",
           agreement_report(res["seeds: all"], title="Seeds' gold, all 246 sentences (tuned coder)", level=3),
           "<!-- seeds:end -->"]
    return "\n".join(out)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--final", action="store_true",
                    help="also score the fresh-5 test set (the report, run once by the lead; never while tuning)")
    ap.add_argument("--write", action="store_true", help="write docs/themes_accuracy.md")
    ap.add_argument("--errors", metavar="WHICH", help="print the development gold's disagreements: "
                                                                  "tune|test|old|fresh1|fresh2|fresh3|fresh4|all")
    ap.add_argument("--complement", action="store_true",
                    help="also score the dictionaries + the supervised complement (always on with --final)")
    ap.add_argument("--training-table", metavar="PATH", type=Path,
                    help="write the complement's training table (seeds' gold + development gold, with their text) "
                         "to PATH outside the repository and print the themes.yaml setting that switches it on")
    ap.add_argument("--no-first", action="store_true",
                    help="with --final: do not re-run the first version on the fresh-5 set (it takes a build)")
    return ap


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from analysis import load_corpus

    seeds_corpus = load_corpus()
    seeds = seeds_results(seeds_corpus)
    first = json.loads(FIRST.read_text(encoding="utf-8")) if FIRST.is_file() else {}
    recs = [(json.loads(p.read_text(encoding="utf-8")), key) for p, key in RECORDS]
    first = {**first, **{k: v for r, _ in recs for k, v in r["first"].items()}}
    history = {k: v for r, key in recs for k, v in r[key].items()}
    recorded_complement = {k: v for r, _ in recs for k, v in r.get("complement", {}).items()}
    b = corpora_build()
    corpora, extra, note, fresh = None, "", "", None
    if b is None:
        print(f"corpora part skipped: {CORPORA} not found (set ANALYSIS_CORPORA)")
    else:
        corpus, gold = b.corpus, corpora_gold()
        corpora = corpora_results(corpus, gold)
        if args.final:
            fresh = fresh_gold()
            if fresh is None:
                note = f"fresh test set absent: {FRESH_GOLD.relative_to(REPO)} not found; no fresh-set row"
                print(note)
            else:
                corpora.update(fresh_results(corpus, fresh))
                if not args.no_first:
                    from themes_first_version import first_version_figures

                    first = {**first, **first_version_figures(FRESH_GOLD, FRESH)}
        if args.complement or args.final:
            comp = complement_results(seeds_corpus, corpus, gold, fresh)
            extra = complement_section({**seeds, **corpora}, comp, recorded_complement)
    print(_summary_table({**seeds, **(corpora or {})}, first or None, history))
    if extra:
        print(extra)
    if args.errors and corpora is not None:
        errors(corpora, args.errors)
    if args.training_table and corpora is not None:
        write_training_table(args.training_table, training_rows(seeds_corpus, corpus, gold))
    if args.write:
        DOC.write_text(write_doc(seeds, corpora, first, extra, note, history), encoding="utf-8")
        print(f"wrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
