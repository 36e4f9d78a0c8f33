"""Ablation of the dictionary coder's rules on the development sets, separately: each rule switched off by
reverse-applying the data change of the commit that introduced it (``themes.yaml`` / ``instruments.yaml`` only)
onto the current files, then scored on the old corpora gold, on fresh-1 and on fresh-2.

    python eval/themes_ablation.py                     # the round-4 rules (commits listed in ROUND4)
    python eval/themes_ablation.py COMMIT [COMMIT ...]  # any other commits' data changes
    python eval/themes_ablation.py --cues              # each work-report cue (not_genres groups) removed alone

A rule whose removal raises one set's figures is fitted to the other set's sentences (or to none): it is a
candidate for removal or restriction. Needs ``../shared/corpora``; prints a table, writes nothing.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
import themes_eval as ev  # noqa: E402

from analysis.evaluation.themes import agreement, dictionary_coder  # noqa: E402

RESOURCES = ("analysis/resources/themes.yaml", "analysis/resources/instruments.yaml")
#: round 4's rule commits that changed the data files (see docs/notes/themes.md, round 4)
ROUND4 = {
    "05b0e70": "clause-anchored themes (rules 2, 3, 12)",
    "1d1d111": "field subjects (rule 23)",
    "583c053": "field subjects: FTZ, opening-up, SOE, prices (rule 6)",
    "8590b2d": "regional cooperation: bureau-only place names",
    "2730e1b": "institutional reform vocabulary (rules 6, 25)",
    "064a6c6": "全球 bureau-only",
    "1b506bb": "action fallback (rule 19)",
    "d83a42b": "rules 7/9/10 wording",
    "731764e": "enumerated leads (rules 17, 24)",
    "bb7e1b1": "挂牌/揭牌/入选 as actions",
    "accc126": "talent: education as talent (rule 11)",
    "a8da4d8": "rules 2/12: high-tech industry, R&D budgets",
}


def _theme(tax: dict, tid: str) -> dict:
    return next(t for t in tax["themes"] if t["id"] == tid)


def drop_cues(tax: dict, tid: str, cues) -> None:
    """Remove ``cues`` from theme ``tid``, in plain entries and in cue groups alike."""
    cues = set(cues)
    t = _theme(tax, tid)
    t["cues"] = [c for c in t["cues"] if not (isinstance(c, str) and c in cues)]
    for g in t["cues"]:
        if isinstance(g, dict) and "cues" in g:
            g["cues"] = [c for c in g["cues"] if not (isinstance(c, str) and c in cues)]
    t["cues"] = [g for g in t["cues"] if not (isinstance(g, dict) and "cues" in g and not g["cues"])]


REFORM_R4 = ["知识产权", "专利", "创新引领", "全面创新", "科技支撑", "科教兴国", "市场准入", "双随机", "招标投标"]
#: rules switched off in the parsed data (for rules whose commit can no longer be reverse-applied)
SWITCHES = {
    "clause-anchored themes off": lambda t, s: [th.pop("clause_anchored", None) for th in t["themes"]],
    "field subjects off (scope.fields)": lambda t, s: t["scope"].pop("fields"),
    "institutional reform round-4 cues off": lambda t, s: drop_cues(t, "institutional_reform", REFORM_R4),
    "action fallback off (rule 19)": lambda t, s: s.update(action_fallback={}),
    "leads off (rules 17, 24)": lambda t, s: s.update(leads=[]),
    "plan fallback off (rule 18)": lambda t, s: s.update(fallback={}),
    "result rule off (rule 16)": lambda t, s: s.pop("result_rule"),
}


def switched(name: str):
    """The dictionary coder with one rule switched off in the parsed data."""
    import yaml

    tax, sch = (yaml.safe_load((REPO / p).read_text(encoding="utf-8")) for p in RESOURCES)
    SWITCHES[name](tax, sch)
    return dictionary_coder(tax, sch)


def without(commit: str, folder: Path) -> Path | None:
    """Copy the current data files into ``folder`` and reverse-apply ``commit``'s change to them (None: the
    reverse patch does not apply any more)."""
    for p in RESOURCES:
        (folder / p).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / p, folder / p)
    patch = subprocess.run(["git", "show", "--format=", commit, "--", *RESOURCES], cwd=REPO, check=True,
                           capture_output=True).stdout
    done = subprocess.run(["git", "apply", "-R", "-"], cwd=folder, input=patch, capture_output=True)
    return folder if done.returncode == 0 else None


HEAD = ("| {} | old macro-F1 | old kappa | fresh-1 macro-F1 | fresh-1 kappa | fresh-2 macro-F1 | fresh-2 kappa |\n"
        "|---|---|---|---|---|---|---|")


def scores(corpus, gold, coder) -> list[float]:
    """macro-F1 and type kappa on the old gold, on fresh-1 and on fresh-2."""
    out = []
    for split in (["tune", "test"], ["fresh1"], ["fresh2"]):
        g = gold[gold["split"].isin(split)].reset_index(drop=True)
        s = agreement(g, corpus, coder=coder, min_support=ev.MIN_SUPPORT)["summary"].iloc[0]
        out += [s.macro_f1, s.kappa]
    return out


def work_report_cues(tax: dict):
    """(theme, cue) for every plain cue of a ``not_genres`` group: the work-report vocabulary."""
    for t in tax["themes"]:
        for g in t["cues"]:
            if isinstance(g, dict) and "cues" in g and "not_genres" in g:
                yield from ((t["id"], c) for c in g["cues"] if isinstance(c, str))


def cue_ablation(corpus, gold, base) -> None:
    """One row per work-report cue whose removal changes a figure on either development set."""
    import yaml

    tax0, sch = (yaml.safe_load((REPO / p).read_text(encoding="utf-8")) for p in RESOURCES)
    print(HEAD.format("cue removed"))
    for tid, cue in list(work_report_cues(tax0)):
        tax = yaml.safe_load((REPO / RESOURCES[0]).read_text(encoding="utf-8"))
        drop_cues(tax, tid, [cue])
        d = [v - w for v, w in zip(scores(corpus, gold, dictionary_coder(tax, sch)), base)]
        if any(abs(x) > 5e-4 for x in d):
            print(f"| {tid}: {cue} | " + " | ".join(f"{x:+.3f}" for x in d) + " |")


def main(argv=None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    commits = [a for a in args if a != "--cues"] or list(ROUND4)
    b = ev.corpora_build()
    if b is None:
        print(f"skipped: {ev.CORPORA} not found (set ANALYSIS_CORPORA)")
        return 0
    gold = ev.corpora_gold()
    base = scores(b.corpus, gold, dictionary_coder())
    if "--cues" in args:
        cue_ablation(b.corpus, gold, base)
        return 0
    print(HEAD.format("rule switched off"))
    print("| (none: current coder) | " + " | ".join(f"{v:.3f}" for v in base) + " |")
    for name in SWITCHES if argv is None and len(sys.argv) == 1 else []:
        got = scores(b.corpus, gold, switched(name))
        print(f"| {name} | " + " | ".join(f"{v - w:+.3f}" for v, w in zip(got, base)) + " |")
    for c in commits:
        with tempfile.TemporaryDirectory() as tmp:
            folder = without(c, Path(tmp))
            if folder is None:
                print(f"| {c} {ROUND4.get(c, '')} | reverse patch does not apply | | | | | |")
                continue
            coder = dictionary_coder(folder / RESOURCES[0], folder / RESOURCES[1])
            got = scores(b.corpus, gold, coder)
        print(f"| {c} {ROUND4.get(c, '')} | " + " | ".join(f"{v - w:+.3f}" for v, w in zip(got, base)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
