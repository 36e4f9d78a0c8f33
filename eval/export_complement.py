"""Train the supervised complement on the seeds' gold and the development gold and save it as a model file.

    python eval/export_complement.py PATH.npz     # prints the themes.yaml setting that switches it on

The model file holds the character n-gram vocabulary (two and three characters), idf weights and the logistic
regressions' coefficients — no sentence — so unlike the training table (``themes_eval.py --training-table``) it can
be kept in the repository. It is trained on exactly the sentences ``eval/themes_eval.py`` trains the complement on
for its "+ complement" rows (the seeds' gold and every development gold set, never the test set), so the figures
of the fresh test's "+ complement" row are this model's. Needs ``../shared/corpora`` (skips with a message).
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import themes_eval as te  # noqa: E402

from analysis.themes.complement import save_complement, train_complement  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].endswith(".npz"):
        print(__doc__)
        return 2
    b = te.corpora_build()
    if b is None:
        print(f"skipped: {te.CORPORA} not found (set ANALYSIS_CORPORA)")
        return 0
    from analysis import load_corpus

    train = te.training_rows(load_corpus(), b.corpus, te.corpora_gold())
    model = train_complement(train["text"].tolist(), train["themes"].tolist(), train["type"].tolist())
    path = Path(argv[0])
    sha = save_complement(model, path)
    print(f"trained on {len(train)} sentences ({train['doc_id'].nunique()} documents); "
          f"{len(model.vectorizer.vocabulary_)} n-grams, {len(model.themes)} theme models; "
          f"{path.stat().st_size / 1e6:.1f} MB")
    print(f"themes.yaml: complement: {{training: {path.name if path.parent == te.REPO / 'analysis' / 'resources' else path}, "
          f"sha1: {sha}}}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
