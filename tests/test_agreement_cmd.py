"""``python -m analysis agreement``: a researcher's own hand-coded gold scored like the project's evaluation.

The documents and gold here are written for the test. The gold is first made equal to the coder's own output
(agreement must then be perfect), then one sentence's codes are changed by hand (the figures must drop by exactly
that sentence and it alone is listed as a disagreement) — so the test holds whatever the dictionaries say.
"""
from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from analysis.cli import main

REPORT = """芜湖市2024年政府工作报告

去年全市研发经费投入强度达到3.1%，创新能力持续增强。
新认定国家高新技术企业420家，科技型中小企业突破2000家。
建设市级重点实验室12个，支持企业牵头组建创新联合体。
设立科技成果转化引导基金5亿元，完善技术转移服务体系。
城乡居民收入稳步增长，新增城镇就业8.6万人。
今年，我们将深化科技体制改革，落实研发费用加计扣除政策。
围绕关键核心技术组织攻关，启动重大科技专项10项。
推进老旧小区改造，完善养老服务体系。
"""


def _run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "mycity_2024_gwr.txt").write_text(REPORT, encoding="utf-8")
    return d


def _coder_gold(folder):
    """Gold equal to the coder's output on every body sentence of the test report."""
    from analysis import load_corpus
    from analysis.themes import classify_instruments, code_themes

    corpus = load_corpus(folder, cache=str(folder.parent / "cache"))
    units = corpus.units[~corpus.units["is_heading"].astype(bool)]
    themes = code_themes(units).groupby("unit_id")["theme"].agg(lambda s: ";".join(sorted(s)))
    types = classify_instruments(units).set_index("unit_id")["instrument_type"]
    return pd.DataFrame({"file": "mycity_2024_gwr.txt", "sentence": units["text"].tolist(),
                         "themes": [themes.get(u, "") for u in units["unit_id"]],
                         "instrument_type": [types.get(u, "none") for u in units["unit_id"]]})


def _summary(folder, gold_csv, *extra):
    rc, out, err = _run(["agreement", "--gold", str(gold_csv), str(folder), "--cache", str(folder.parent / "cache"),
                         "--format", "csv", "--min-support", "1", *extra])
    assert rc == 0, err
    return pd.read_csv(io.StringIO(out))


def test_gold_equal_to_the_coder_agrees_perfectly_and_one_changed_sentence_is_the_only_disagreement(folder):
    gold = _coder_gold(folder)
    assert len(gold) >= 8 and (gold["themes"] != "").sum() >= 3 and (gold["themes"] == "").sum() >= 2
    path = folder.parent / "gold.csv"
    gold.to_csv(path, index=False)
    s = _summary(folder, path).iloc[0]
    assert (s["n_gold"], s["n_matched"], s["n_unmatched"]) == (len(gold), len(gold), 0)
    assert s["macro_f1"] == pytest.approx(1.0) and s["type_accuracy"] == pytest.approx(1.0)

    # hand-change one themed sentence: drop its themes and call it "none"
    k = int(gold.index[gold["themes"] != ""][0])
    changed = gold.copy()
    changed.loc[k, ["themes", "instrument_type"]] = ["", "none"]
    changed.to_csv(path, index=False)
    s2 = _summary(folder, path).iloc[0]
    assert s2["macro_f1"] < 1.0 and s2["micro_f1"] < 1.0
    same_type = gold.loc[k, "instrument_type"] == "none"
    assert s2["type_accuracy"] == pytest.approx(1.0 if same_type else (len(gold) - 1) / len(gold))
    listed = _summary(folder, path, "--disagreements")
    assert listed["gold_row"].tolist() == [k + 1]
    assert listed["sentence"].iloc[0] == gold.loc[k, "sentence"]


def test_table_output_names_the_figures(folder):
    path = folder.parent / "gold.csv"
    _coder_gold(folder).to_csv(path, index=False)
    rc, out, _ = _run(["agreement", "--gold", str(path), str(folder), "--cache", str(folder.parent / "cache")])
    assert rc == 0
    # no theme has the default 10 gold sentences in this small gold: said, not a number made up
    assert "macro-F1 nan over 0 themes with >= 10 gold sentences" in out
    rc, out, _ = _run(["agreement", "--gold", str(path), str(folder), "--cache", str(folder.parent / "cache"),
                       "--min-support", "1"])
    assert rc == 0 and "macro-F1 1.000 over" in out and "Cohen's kappa" in out and "confusion" in out


def test_indicator_gold_is_recognised_and_scored(folder):
    path = folder.parent / "metrics_gold.csv"
    pd.DataFrame([
        {"file": "mycity_2024_gwr.txt", "indicator": "rd_intensity", "value": 3.1, "unit": "%", "year": 2023,
         "kind": "actual"},
        {"file": "mycity_2024_gwr.txt", "indicator": "hightech_enterprises_new", "value": 999, "unit": "家",
         "year": 2023, "kind": "actual"},
    ]).to_csv(path, index=False)
    rc, out, err = _run(["agreement", "--gold", str(path), str(folder), "--cache", str(folder.parent / "cache"),
                         "--format", "csv"])
    assert rc == 0, err
    scores = pd.read_csv(io.StringIO(out)).set_index("indicator")
    assert scores.loc["rd_intensity", "tp"] == 1 and scores.loc["rd_intensity", "fn"] == 0
    # the wrong gold value (999 for 420) is one miss and one extracted value without gold
    assert scores.loc["hightech_enterprises_new", "fn"] == 1
    assert scores.loc["overall", "tp"] == 1


@pytest.mark.parametrize("content, reason", [
    ("a,b\n1,2\n", "not a gold CSV"),
    ("file,start,end,span_hash,themes,instrument_type\nx.txt,0,5,abc,,none\n", "needs a 'sentence' column"),
])
def test_bad_gold_gets_one_line_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad_gold.csv"
    path.write_text(content, encoding="utf-8")
    rc, out, err = _run(["agreement", "--gold", str(path)])
    assert rc != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "bad_gold.csv" in lines[0] and reason in lines[0]
