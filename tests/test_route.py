"""One route through the data: the CLI and the API read the same cached build, and every cache follows the code."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import terms
from analysis.cli import main as cli_main
from analysis.pipeline.build import build

REPO = Path(__file__).resolve().parents[1]


def _cli_csv(capsys, *argv) -> pd.DataFrame:
    assert cli_main([*argv, "--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(cache=tmp_path_factory.mktemp("route-cache"))


def test_keyness_through_the_cli_equals_keyness_of_the_build(built, capsys):
    via_cli = _cli_csv(capsys, "keyness", "--by", "summary_year", "--target", "2021", "--top", "0",
                       "--direction", "both", "--cache", str(built.folder.parents[1]))
    direct = terms.keyness(built.tokens, by="summary_year", target=2021)
    cols = list(via_cli.columns)
    assert len(via_cli) == len(direct) > 20
    assert via_cli["term"].tolist() == direct["term"].tolist()
    pd.testing.assert_frame_equal(via_cli[["target_count", "reference_count"]].reset_index(drop=True),
                                  direct[["target_count", "reference_count"]].reset_index(drop=True),
                                  check_dtype=False)
    assert {"g2", "log_ratio", "p_value"} <= set(cols)


def test_kwic_through_the_cli_equals_kwic_of_the_build(built, capsys):
    via_cli = _cli_csv(capsys, "kwic", "高新技术企业", "--window", "8", "--cache", str(built.folder.parents[1]))
    direct = terms.kwic(built.corpus, "高新技术企业", window=8)
    assert len(via_cli) == len(direct) > 5
    for col in ("doc_id", "unit_id", "keyword", "start", "end"):
        assert via_cli[col].tolist() == direct[col].tolist(), col


def test_metrics_through_the_cli_equal_the_build_table(built, capsys):
    via_cli = _cli_csv(capsys, "metrics", "--all-columns", "--cache", str(built.folder.parents[1]))
    direct = built.metrics
    assert len(via_cli) == len(direct) > 20
    for col in ("doc_id", "unit_id", "indicator", "start", "end", "kind"):
        assert via_cli[col].tolist() == direct[col].tolist(), col
    assert via_cli["value"].tolist() == pytest.approx(direct["value"].tolist())


def test_token_table_carries_the_document_columns_a_grouping_needs(built):
    tokens = built.tokens
    for col in ("summary_year", "plan_year", "published", "issuer", "place", "level", "part", "year", "doc_type"):
        assert col in tokens.columns, col
    # the same call works on the build's tokens and on a freshly tokenized corpus
    assert len(terms.keyness(tokens, by="summary_year", target=2021))


def test_a_change_to_the_segmentation_code_recomputes_the_tokens(tmp_path):
    """Copy the package, edit one line of the segmenter's code, build again with the same cache: the tokens (and
    only they) are recomputed, because every stage key hashes the source of the modules the stage runs."""
    pkg = tmp_path / "src"
    shutil.copytree(REPO / "analysis", pkg / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "cache"
    script = ("import json, sys; from analysis.pipeline.build import build; b = build(sys.argv[1], cache=sys.argv[2]); "
              "print(json.dumps(b.computed))")
    seed = str(REPO / "seeds" / "yangjiang_2022_plan.txt")
    env = {**os.environ, "PYTHONPATH": str(pkg)}

    def run() -> dict:
        out = subprocess.run([sys.executable, "-c", script, seed, str(cache)], env=env, capture_output=True,
                             text=True, check=True, cwd=tmp_path)
        return json.loads(out.stdout.strip().splitlines()[-1])

    assert run() == {"parse": 1, "tokens": 1, "themes": 1, "metrics": 1}
    assert run() == {"parse": 0, "tokens": 0, "themes": 0, "metrics": 0}
    cut = pkg / "analysis" / "segment" / "cut.py"
    cut.write_text(cut.read_text(encoding="utf-8") + "\n# an edit to the segmentation code\n", encoding="utf-8")
    assert run() == {"parse": 0, "tokens": 1, "themes": 0, "metrics": 0}
