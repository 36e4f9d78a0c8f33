"""The first version of the theme and instrument coder, scored on any offset gold set (e.g. a new test set).

The first version is the package as it was at commit ``FIRST_COMMIT`` (the commit that froze
``eval/themes_first_version.json``: the seeds' dictionaries, before any change for issue 18). To score it on a gold
set that did not exist then, this script extracts that commit's ``analysis/`` package with ``git archive`` into a
temporary folder and runs, in a subprocess with that folder first on ``PYTHONPATH`` and its own build cache, the
first version's own build and agreement functions on the development corpora. Nothing is written to the
repository; the figures are printed as JSON (the format of ``themes_first_version.json``).

    python eval/themes_first_version.py tests/gold/corpora_themes_gold.csv --name "corpora: all"

Check that it reproduces the frozen figures: on the old test half
(``--only-split test``) it must give the ``"corpora: test"`` entry of ``themes_first_version.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: the commit whose package is the first version (its coder is the one frozen in themes_first_version.json)
FIRST_COMMIT = "9a44657ecc56d2a465a5dda8fdac1eac307719f7"
FOLDERS = ("national_gwr", "provincial_gwr_2025")
MIN_SUPPORT = 10


def extract_first_version(dest: Path) -> Path:
    """Write the first version's ``analysis/`` package under ``dest`` (git archive of ``FIRST_COMMIT``)."""
    blob = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", FIRST_COMMIT, "analysis"],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def first_version_figures(gold: Path, name: str, *, only_split: str | None = None) -> dict:
    """The first version's figures on ``gold`` (offset gold on the development corpora), as ``{name: {...}}``."""
    with tempfile.TemporaryDirectory(prefix="themes_first_") as tmp:
        root = extract_first_version(Path(tmp))
        env = {**os.environ, "PYTHONPATH": str(root), "ANALYSIS_CACHE": str(Path(tmp) / "cache")}
        cmd = [sys.executable, str(Path(__file__).resolve()), str(gold), "--name", name, "--inner"]
        if only_split:
            cmd += ["--only-split", only_split]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=tmp).stdout
    return json.loads(out)


def _inner(gold_path: Path, name: str, only_split: str | None) -> dict:
    """Runs inside the subprocess: ``analysis`` here is the first version's package."""
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from source_text import CORPORA, source_text, span_hash
    from themes_figures import figures

    import analysis
    from analysis.evaluation.themes import agreement, read_gold
    from analysis.pipeline.build import build

    if not str(Path(analysis.__file__).resolve()).startswith(str(Path.cwd().resolve())):
        raise SystemExit(f"not the first version's package: {analysis.__file__}")
    texts: dict[str, str] = {}

    def text_of(file, start, end, expected):
        text = texts.setdefault(file, source_text(CORPORA / file))
        if span_hash(text, start, end) != expected:
            raise ValueError(f"{file} [{start}, {end}): span hash differs from the gold: the source changed")
        return text[start:end]

    gold = read_gold(gold_path, text_of=text_of)
    if only_split:
        split = pd.read_csv(REPO / "tests" / "gold" / "corpora_split.csv", dtype=str).set_index("file")["split"]
        gold = gold[gold["file"].map(split) == only_split].reset_index(drop=True)
    corpus = build([CORPORA / f for f in FOLDERS]).corpus
    return figures({name: agreement(gold, corpus, min_support=MIN_SUPPORT)})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path, help="an offset gold CSV on the development corpora")
    ap.add_argument("--name", default="first version", help="the key of the figures in the JSON")
    ap.add_argument("--only-split", help="only the gold files of this split in tests/gold/corpora_split.csv")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    gold = args.gold.resolve()
    res = (_inner(gold, args.name, args.only_split) if args.inner
           else first_version_figures(gold, args.name, only_split=args.only_split))
    print(json.dumps(res, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
