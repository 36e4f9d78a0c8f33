"""A small supervised complement to the dictionary coder: logistic regression on character n-grams.

It is transparent and subordinate to the dictionaries: it may only ADD a theme the dictionaries did not give, and
decide the instrument type only where the dictionary rule is silent (no cue) or tied. Every code it adds carries its
evidence: the character n-grams of the sentence that pushed the decision most (``model:`` followed by the
n-grams), so a reader sees why, as with a dictionary cue.

Nothing trained is shipped: :func:`train_complement` is called with hand-coded sentences (the evaluation script
trains it from the gold at run time). It is off by default. One setting in ``themes.yaml`` switches it on for
``code_themes``, ``classify_instruments`` and ``code_instruments`` (and so for the cached build, whose key includes
``themes.yaml``): ``complement: {training: <file>, sha1: <the file's SHA-1>}``, where the file is either a model
saved by :func:`save_complement` (``.npz``: n-gram vocabulary, idf and coefficients, no sentence; ``python
eval/export_complement.py PATH.npz`` trains it on the seeds' and development gold and prints the setting) or a CSV
of hand-coded sentences (``text, themes, instrument_type``; ``eval/themes_eval.py --training-table PATH`` writes
it, outside the repository since it holds document text), trained once per process. A file whose SHA-1 differs is
refused, so a changed file cannot leave a stale build. Whether it is switched on is decided by ``eval/themes_eval.py
--final`` on the untouched fresh test set (see ``docs/themes_accuracy.md``).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError, ResourceError

#: the dictionary rule's reasons on which the complement may decide the instrument type (silent or tied)
OPEN_REASONS = ("no_cue", "no_action", "tie")


@dataclass
class Complement:
    """A trained complement: the vectorizer, one binary model per theme and one model for the instrument type."""

    vectorizer: object
    themes: dict  # theme id -> LogisticRegression (themes with too few positives are left out)
    types: object | None  # LogisticRegression over instrument types incl. "none"
    threshold: float = 0.7
    top: int = 3
    _names: object = None

    def theme_proba(self, texts: Sequence[str]) -> pd.DataFrame:
        """P(theme | sentence) per theme, one row per text."""
        x = self.vectorizer.transform(list(texts))
        return pd.DataFrame({t: m.predict_proba(x)[:, 1] for t, m in self.themes.items()})

    def evidence(self, text: str, model, cls: int) -> str:
        """The ``top`` n-grams of ``text`` with the largest positive weight x value towards class ``cls``."""
        x = self.vectorizer.transform([text])
        coef = model.coef_[0] if model.coef_.shape[0] == 1 else model.coef_[cls]
        if model.coef_.shape[0] == 1 and cls == 0:
            coef = -coef
        idx = x.indices
        contrib = coef[idx] * x.data
        order = np.argsort(-contrib)[: self.top]
        if self._names is None:
            self._names = self.vectorizer.get_feature_names_out()
        names = self._names
        return "、".join(names[idx[i]] for i in order if contrib[i] > 0)


def train_complement(texts: Sequence[str], themes: Sequence[frozenset], types: Sequence[str], *,
                     min_positive: int = 5, threshold: float = 0.7, c: float = 4.0) -> Complement:
    """Train the complement on hand-coded sentences.

    Parameters
    ----------
    texts, themes, types
        The sentences, their gold theme sets and their gold instrument types (``none`` included).
    min_positive
        A theme with fewer positive sentences gets no model (it can never be added).
    threshold
        The probability above which a theme is added.
    c
        Inverse regularisation strength of the logistic regressions.

    Returns
    -------
    Complement
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if not (len(texts) == len(themes) == len(types)) or not len(texts):
        raise ParameterError("texts", len(texts), reason="texts, themes and types must be non-empty and of equal "
                             "length")
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), min_df=2, sublinear_tf=True)
    x = vec.fit_transform(list(texts))
    models = {}
    for t in sorted(set().union(*themes)):
        y = np.array([t in s for s in themes])
        if y.sum() >= min_positive:
            models[t] = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, y)
    y_types = np.array(list(types))
    type_model = (LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, y_types)
                  if len(set(y_types)) > 1 else None)
    return Complement(vec, models, type_model, threshold)


def complement_themes(coded: pd.DataFrame, units: pd.DataFrame, model: Complement, *,
                      labels: dict | None = None) -> pd.DataFrame:
    """The themes table of :func:`code_themes` plus the themes the model adds (cues ``model:n-grams``)."""
    texts = units["text"].astype(str).tolist()
    if not texts or not model.themes:
        return coded
    proba = model.theme_proba(texts)
    have = set(zip(coded["unit_id"], coded["theme"]))
    rows = []
    for i, uid in enumerate(units["unit_id"]):
        for t, m in model.themes.items():
            if proba[t].iat[i] >= model.threshold and (uid, t) not in have:
                rows.append({**{c: units.iloc[i][c] for c in coded.columns if c in units.columns},
                             "theme": t, "label": (labels or {}).get(t, t), "label_en": t, "n_hits": 0,
                             "cues": "model:" + model.evidence(texts[i], m, 1)})
    if not rows:
        return coded
    return pd.concat([coded, pd.DataFrame(rows)[list(coded.columns)]], ignore_index=True)


def complement_types(inst: pd.DataFrame, units: pd.DataFrame, model: Complement,
                     themed: set | None = None) -> pd.DataFrame:
    """The table of :func:`classify_instruments` with the type decided by the model where the rule is silent or
    tied (reasons in :data:`OPEN_REASONS`); ``themed``: when given, only units in it may get a type other than
    none (the corpora codebook's rule 15). Changed rows get reason ``model`` and cues ``model:n-grams``."""
    if model.types is None:
        return inst
    out = inst.copy()
    text = units.set_index("unit_id")["text"].astype(str)
    open_rows = out.index[out["reason"].isin(OPEN_REASONS)]
    if not len(open_rows):
        return out
    texts = [text[u] for u in out.loc[open_rows, "unit_id"]]
    classes = list(model.types.classes_)
    proba = model.types.predict_proba(model.vectorizer.transform(texts))
    for row, p, t in zip(open_rows, proba, texts):
        tied = [c for c in ("supply", "environment", "demand") if out.at[row, f"hits_{c}"] ==
                max(out.at[row, f"hits_{k}"] for k in ("supply", "environment", "demand"))]
        allowed = tied if out.at[row, "reason"] == "tie" else classes
        if themed is not None and out.at[row, "unit_id"] not in themed:
            allowed = ["none"]
        best = max((c for c in classes if c in allowed), key=lambda c: p[classes.index(c)], default=None)
        if best is None or best == out.at[row, "instrument_type"]:
            continue
        out.at[row, "instrument_type"] = best
        out.at[row, "reason"] = "model"
        out.at[row, "cues"] = "model:" + model.evidence(t, model.types, classes.index(best))
    return out


TRAINING_COLUMNS = ("text", "themes", "instrument_type")


#: Version of the saved-model format written by :func:`save_complement`.
MODEL_FORMAT = 1


def save_complement(model: Complement, path: str | Path) -> str:
    """Save a trained complement as a NumPy ``.npz`` file (its n-gram vocabulary, idf weights and the models'
    coefficients; no sentence of the training data) and return the file's SHA-1 for ``themes.yaml``'s
    ``complement: {training: <file>, sha1: <SHA-1>}``. :func:`load_complement` reads it back to an identical model.
    """
    vec = model.vectorizer
    theme_ids = sorted(model.themes)
    arrays = {
        "meta": np.array(json.dumps({"format": MODEL_FORMAT, "analyzer": vec.analyzer,
                                     "ngram_range": list(vec.ngram_range), "sublinear_tf": bool(vec.sublinear_tf),
                                     "threshold": model.threshold, "top": model.top})),
        "vocabulary": np.array(vec.get_feature_names_out().tolist(), dtype=str),
        "idf": vec.idf_,
        "theme_ids": np.array(theme_ids, dtype=str),
        "theme_coef": np.array([model.themes[t].coef_[0] for t in theme_ids]).reshape(len(theme_ids), -1),
        "theme_intercept": np.array([model.themes[t].intercept_[0] for t in theme_ids]),
    }
    if model.types is not None:
        arrays.update(type_classes=np.array(model.types.classes_, dtype=str), type_coef=model.types.coef_,
                      type_intercept=model.types.intercept_)
    path = Path(path)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _model_from_npz(path: Path, data: bytes) -> Complement:
    """The complement saved by :func:`save_complement` (``data``: the file's bytes)."""
    import io

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    try:
        z = np.load(io.BytesIO(data), allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        if meta.get("format") != MODEL_FORMAT:
            raise ValueError(f"model format {meta.get('format')} (this version reads {MODEL_FORMAT})")
        vocab = [str(t) for t in z["vocabulary"]]
        vec = TfidfVectorizer(analyzer=meta["analyzer"], ngram_range=tuple(meta["ngram_range"]),
                              sublinear_tf=meta["sublinear_tf"], vocabulary={t: i for i, t in enumerate(vocab)})
        vec.idf_ = z["idf"]

        def logistic(classes, coef, intercept):
            m = LogisticRegression()
            m.classes_, m.coef_, m.intercept_ = np.asarray(classes), np.asarray(coef), np.asarray(intercept)
            return m

        themes = {str(t): logistic([False, True], z["theme_coef"][i:i + 1], z["theme_intercept"][i:i + 1])
                  for i, t in enumerate(z["theme_ids"])}
        types = (logistic([str(c) for c in z["type_classes"]], z["type_coef"], z["type_intercept"])
                 if "type_classes" in z.files else None)
    except (ValueError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise ResourceError(path, f"not a saved complement model: {exc}") from None
    return Complement(vec, themes, types, float(meta["threshold"]), int(meta["top"]))


def _complement_path(training: str) -> Path:
    """A complement file as given, or (a bare name not found there) the bundled resource of that name."""
    path = Path(training)
    if not path.is_absolute() and not path.exists() and len(path.parts) == 1:
        from ..config import resource_path

        return resource_path(training)
    return path


@lru_cache(maxsize=4)
def load_complement(training: str, sha1: str) -> Complement:
    """The complement from ``training``: a model saved by :func:`save_complement` (``.npz``), or trained from a table
    of hand-coded sentences (``text``, ``themes`` ";"-separated, ``instrument_type``), once per process; raises
    :class:`ResourceError` when the file's SHA-1 is not ``sha1``."""
    path = _complement_path(training)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ResourceError(path, f"cannot read the complement's file: {exc}") from exc
    if hashlib.sha1(data).hexdigest() != sha1:
        raise ResourceError(path, "the complement's file changed (its SHA-1 differs from themes.yaml's "
                                  "complement.sha1)")
    if path.suffix.lower() == ".npz":
        return _model_from_npz(path, data)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in TRAINING_COLUMNS if c not in table.columns]
    if missing:
        raise ResourceError(path, f"training table lacks columns: {', '.join(missing)}")
    themes = [frozenset(t for t in x.split(";") if t) for x in table["themes"]]
    types = table["instrument_type"].str.strip().str.lower().replace("", "none").tolist()
    return train_complement(table["text"].tolist(), themes, types)
