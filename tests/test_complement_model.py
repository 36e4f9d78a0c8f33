"""The supervised complement saved as a model file: read back to an identical model, and refused when changed.

Trained here on the seeds' gold (the seeds ship with the repository), so no corpus text is involved.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ResourceError
from analysis.themes.complement import (
    load_complement,
    save_complement,
    train_complement,
)

GOLD = Path(__file__).resolve().parent / "gold" / "themes_gold.csv"


@pytest.fixture(scope="module")
def seeds_model():
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    themes = [frozenset(t for t in x.split(";") if t) for x in gold["themes"]]
    types = gold["instrument_type"].str.strip().str.lower().replace("", "none").tolist()
    return train_complement(gold["sentence"].tolist(), themes, types), gold["sentence"].tolist()


def test_saved_model_reads_back_identical_and_holds_no_sentence(tmp_path, seeds_model):
    model, texts = seeds_model
    path = tmp_path / "complement.npz"
    sha = save_complement(model, path)
    assert sha == hashlib.sha1(path.read_bytes()).hexdigest()
    load_complement.cache_clear()
    again = load_complement(str(path), sha)
    assert sorted(again.themes) == sorted(model.themes) and again.threshold == model.threshold
    assert np.array_equal(again.theme_proba(texts).to_numpy(), model.theme_proba(texts).to_numpy())
    x, y = model.vectorizer.transform(texts), again.vectorizer.transform(texts)
    assert np.array_equal(again.types.predict_proba(y), model.types.predict_proba(x))
    assert again.evidence(texts[3], again.types, 0) == model.evidence(texts[3], model.types, 0)
    # the file holds n-grams of at most three characters, never a sentence
    vocab = np.load(path, allow_pickle=False)["vocabulary"]
    assert max(len(str(t)) for t in vocab) <= 3


def test_changed_or_foreign_model_files_are_refused(tmp_path, seeds_model):
    model, _ = seeds_model
    path = tmp_path / "complement.npz"
    sha = save_complement(model, path)
    load_complement.cache_clear()
    with pytest.raises(ResourceError, match="SHA-1 differs"):
        load_complement(str(path), "0" * 40)
    other = tmp_path / "other.npz"
    np.savez(other, something=np.arange(3))
    load_complement.cache_clear()
    with pytest.raises(ResourceError, match="not a saved complement model"):
        load_complement(str(other), hashlib.sha1(other.read_bytes()).hexdigest())
    assert load_complement(str(path), sha).types is not None
    load_complement.cache_clear()
