"""The double-coded theme gold: both annotators coded the same sentences, and eval/themes_agreement.py scores them."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _agreement_module():
    spec = importlib.util.spec_from_file_location("themes_agreement", ROOT / "eval" / "themes_agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_second_annotator_coded_the_same_sentences():
    m = _agreement_module()
    fresh_a = m._load(m.GOLD / "corpora_themes_gold_fresh.csv")
    fresh_b = m._load(m.GOLD / "corpora_themes_gold_fresh_b.csv")
    assert set(fresh_a) == set(fresh_b) and len(fresh_a) == 208
    first = m._load(m.GOLD / "corpora_themes_gold.csv")
    second = m._load(m.GOLD / "corpora_themes_gold_second.csv")
    assert len(second) == 104 and set(second) <= set(first)
    assert {row["span_hash"] for row in second.values()} <= {row["span_hash"] for row in first.values()}


def test_agreement_scores_identical_codes_as_perfect_and_a_flip_as_less():
    m = _agreement_module()
    ref = {("f", str(i), str(i + 1)): {"themes": "talent" if i % 2 else "", "instrument_type": "supply" if i % 2
                                        else "none"} for i in range(40)}
    same = m.agreement(ref, ref)
    assert same["macro_f1"] == 1.0 and same["type_kappa"] == 1.0 and same["themes_in_macro"] == 1
    flipped = {k: dict(v) for k, v in ref.items()}
    flipped[("f", "1", "2")] = {"themes": "", "instrument_type": "none"}
    worse = m.agreement(ref, flipped)
    assert 0.9 < worse["macro_f1"] < 1.0 and worse["type_kappa"] < 1.0
