"""Data-level fixes of the study notebooks: design and places, label-normalised shift, emergence rule, keyness
without place names, dodged markers, fixed place colours, English files, and plotting without global state."""
from __future__ import annotations

import matplotlib as mpl
import pandas as pd
import pytest

from analysis import plots, terms
from analysis.pipeline import batch
from analysis.pipeline.study import detect_design, open_study, with_places
from analysis.themes.stats import theme_shift


def _docs(places, years):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(places))], "place": places,
                         "summary_year": [pd.NA] * len(places), "plan_year": years, "published": [None] * len(places)})


def test_unknown_place_is_kept_and_designs_are_told_apart():
    docs = with_places(_docs(["全国", None, "全国"], [2020, 2021, 2022]))
    assert list(docs["place"]) == ["全国", "unknown", "全国"]
    assert detect_design(_docs(["全国"] * 3, [2020, 2021, 2022])) == "longitudinal"
    assert detect_design(_docs(["广东", "江苏", "浙江"], [2025] * 3)) == "cross-section"
    assert detect_design(_docs(["广东", "广东", "江苏", "江苏"], [2024, 2025, 2024, 2025])) == "panel"
    assert detect_design(_docs(["广东"], [2025])) == "single"


def test_theme_shift_normalised_by_labels_removes_the_mechanical_rise():
    # summary: 2 sentences, one label each (a, b); plan: 2 sentences, both labels each
    units = pd.DataFrame({"doc_id": ["x"] * 4, "unit_id": [f"x#{i}" for i in range(4)],
                          "part": ["summary", "summary", "plan", "plan"], "text": ["甲。", "乙。", "甲乙。", "甲乙。"],
                          "start": [0, 2, 4, 7], "end": [2, 4, 7, 10], "is_heading": [False] * 4})
    coded = pd.DataFrame({"unit_id": ["x#0", "x#1", "x#2", "x#2", "x#3", "x#3"], "doc_id": ["x"] * 6,
                          "theme": ["a", "b", "a", "b", "a", "b"], "label": ["A", "B"] * 3})
    tax = None
    by_sent = theme_shift(coded, units, by="doc", normalize="sentences", taxonomy=tax).set_index("theme")
    by_label = theme_shift(coded, units, by="doc", normalize="labels", taxonomy=tax).set_index("theme")
    assert by_sent.loc["a", "shift_pp"] == pytest.approx(50.0)  # 1/2 -> 2/2: a "rise" from label density alone
    assert by_label.loc["a", "shift_pp"] == pytest.approx(0.0)  # 1/2 of labels -> 2/4 of labels
    assert by_label.loc["a", ["before_labels_per_sentence", "after_labels_per_sentence"]].tolist() == [1.0, 2.0]
    assert by_label.attrs["normalize"] == "labels"


def _tokens(rows):
    return pd.DataFrame([{"token": t, "class": "content", "doc_id": d, "year": y} for t, d, y in rows])


def test_emergence_needs_a_later_first_year_and_two_documents():
    toks = _tokens([("旧词", "d1", 2019), ("旧词", "d2", 2021), ("孤词", "d2", 2021),
                    ("新词", "d2", 2021), ("新词", "d3", 2022)])
    em = terms.emergence(toks).set_index("term")
    assert not em.loc["旧词", "emerging"]  # present from the corpus's first year
    assert not em.loc["孤词", "emerging"]  # one document's word
    assert em.loc["新词", "emerging"] and em.loc["新词", "n_docs"] == 2


def test_default_notebook_keyness_has_no_place_name(seed_tokens_by_place):
    toks, docs = seed_tokens_by_place
    names = terms.place_names(docs)
    k = terms.city_vs_rest(toks, by="place", top=30, exclude=names)
    assert not set(k["term"]) & {"阳江", "阳江市", "东莞", "东莞市", "中山", "广州", "广州市"}
    assert (k["score"] > 0).any() and (k["score"] < 0).any()  # both sides
    plain = terms.keyness(toks, by="place", target="阳江")
    assert "阳江" in set(plain.head(5)["term"])  # what the exclusion removes


@pytest.fixture(scope="module")
def seed_tokens_by_place():
    study = open_study("test")
    return study.tokens, study.all_docs


def test_markers_are_dodged_and_conflicts_and_partial_years_flagged():
    data = pd.DataFrame({"place": ["东莞", "东莞", "中山", "东莞"], "year": [2021, 2021, 2021, 2021],
                         "value": [7400, 7387, 2850, 7400], "kind": ["actual", "estimate", "actual", "target"],
                         "period": [None, None, "1-10月", None]})
    pts = plots.trends.metric_points(data)
    assert pts["x"].nunique() == 4  # no marker on top of another
    assert list(pts["conflict"]) == [True, True, False, False]
    assert list(pts["partial"]) == [False, False, True, False]


def test_place_colours_are_fixed_across_figures():
    everyone = plots.place_colors(["广州", "东莞", "中山", "阳江", "unknown"])
    again = plots.place_colors(["阳江", "中山", "东莞", "广州"])
    assert everyone["东莞"] == again["东莞"] and everyone["阳江"] == again["阳江"]
    assert everyone["unknown"] == plots.style.UNKNOWN_COLOR
    data = pd.DataFrame({"place": ["阳江", "阳江"], "year": [2021, 2022], "value": [1.0, 2.0],
                         "kind": ["actual", "actual"]})
    ax = plots.plot_metric_trend(data, colors=everyone)
    assert mpl.colors.to_hex(ax.lines[0].get_color()) == everyone["阳江"].lower()


def test_plotting_leaves_global_rcparams_alone(monkeypatch):
    from analysis.plots import style

    monkeypatch.setitem(style._state, "style", None)  # as in a fresh process: no set_theme call yet
    before = dict(mpl.rcParams)
    plots.plot_keyness(pd.DataFrame({"term": ["甲", "乙"], "score": [3.0, -2.0]}))
    assert dict(mpl.rcParams) == before


def test_english_runs_write_en_files_beside_the_chinese(tmp_path):
    jobs = batch.plan_jobs(out=tmp_path, only=["04"], langs=("zh", "en"))
    assert [j.output.name for j in jobs] == ["04_metric_trends.ipynb", "04_metric_trends_en.ipynb"]
    assert jobs[1].parameters["lang"] == "en"
    study = open_study("test", figures_dir=str(tmp_path / "figs"), lang="en", formats=("png",))
    ax = plots.plot_keyness(pd.DataFrame({"term": ["甲", "乙"], "score": [3.0, -2.0]}), lang="en")
    paths = study.save(ax.figure, "k", caption="c")
    assert [p.name for p in paths] == ["k_en.png"]
    assert plots.unit_label("亿元", "en") == "100 million yuan"


def test_exploring_never_writes_to_the_committed_figures():
    from analysis import config

    assert open_study("test").figures_dir == config.FIGURES_DIR
    assert open_study("test", places=["东莞"]).figures_dir == config.FIGURES_DIR / "explore" / "东莞"
    assert open_study("test", years=[2022], compare="place").figures_dir.name == "2022_by_place"


def test_pick_emerging_spreads_over_first_years():
    import pandas as pd

    from analysis import terms

    em = pd.DataFrame({"term": ["a", "b", "c", "d", "e"], "first_year": [2001, 2001, 2001, 2005, 2009],
                       "total_count": [90, 80, 70, 9, 3], "emerging": [True, True, True, True, False]})
    chosen = terms.pick_emerging(em, n=3)
    assert chosen["term"].tolist() == ["a", "b", "d"]  # one per first year first, later years first on ties


def test_year_labels_are_integers():
    from analysis.plots import label

    assert label(1992.0) == "1992"
    assert label(2.5) == "2.5"


def test_relative_corpus_survives_papermill_changing_the_working_directory(tmp_path, monkeypatch, seeds_dir):
    """papermill changes the batch process's working directory while a notebook runs (two at a time, the last one
    restored may not be the first); a relative --corpus must still name the same corpus after the notebooks."""
    import os

    import analysis.explore as explore
    import analysis.pipeline.batch as batch

    def fake_run(job, html=True):
        os.chdir(tmp_path)  # as papermill's chdir(cwd) can leave it
        job.status = "ok"
        return job

    seen = []
    monkeypatch.setattr(batch, "run_job", fake_run)
    monkeypatch.setattr(explore, "write_explorers", lambda built, *a, **k: seen.append(len(built.docs)) or [])
    monkeypatch.chdir(seeds_dir.parent)
    batch.run_collection(corpus="seeds", out=tmp_path / "out", only=["02"], progress=False)
    assert seen == [5]
