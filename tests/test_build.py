"""The cached build: what a warm build, an edited document or lexicon recomputes; executors agree."""
from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import resource_path

# ``analysis.build`` the attribute is the function (lazy re-export); the module is this one
B = importlib.import_module("analysis.pipeline.build")
W = importlib.import_module("analysis.pipeline.work")
O = importlib.import_module("analysis.pipeline.options")
segment = importlib.import_module("analysis.segment")
SEED_IDS = ["dongguan_2021_summary_2022_plan", "dongguan_2022_proposal_reply_20220364",
            "guangzhou_2019_summary_2020_plan", "yangjiang_2022_plan", "zhongshan_2023_summary_2024_plan"]
ALL = dict.fromkeys(O.STAGES, 5)
NONE = dict.fromkeys(O.STAGES, 0)


def _reset():
    W.reset_stats()
    segment.reset_stats()


def assert_same_tables(a: B.Build, b: B.Build) -> None:
    for name in B.TABLES:
        pd.testing.assert_frame_equal(a.table(name), b.table(name), obj=name)


@pytest.fixture
def seeds_copy(tmp_path, seeds_dir) -> Path:
    """The seeds (and their manifest) in a folder the test may edit."""
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir, folder)
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """One cold in-process build of the bundled seeds (jobs=1), the reference for the other executors."""
    _reset()
    cache = tmp_path_factory.mktemp("reference")
    built = B.build(cache=cache)
    return built, dict(W.STATS), dict(segment.STATS), cache


def test_cold_build_computes_every_stage_once(reference):
    built, stats, seg, _cache = reference
    assert built.computed == ALL
    assert stats == ALL
    assert seg["docs_segmented"] == 5 and seg["segment_calls"] > 1000
    assert list(built.docs["doc_id"]) == SEED_IDS
    assert built.rejected.empty
    # every table is there, non-empty and tied to the documents
    for name in B.TABLES:
        df = built.table(name)
        if name == "dropped":  # the lines cleaning removed: the bureau plan was pasted without site chrome
            assert set(df["doc_id"]) == set(SEED_IDS) - {"yangjiang_2022_plan"}
            continue
        assert len(df) and set(df["doc_id"]) == set(SEED_IDS), name
    assert built.units["unit_id"].is_unique
    tokens = built.tokens
    assert tokens.attrs == {"segmenter": "jieba", "hmm": True}
    # offsets point into the document text, so a token goes back to its sentence
    text = built.docs.set_index("doc_id")["text"]
    sample = tokens.iloc[::997]
    assert all(text[d][s:e] == raw for d, s, e, raw in zip(sample["doc_id"], sample["start"], sample["end"], sample["raw"]))
    # the docs path is the path as given; metrics carry their document's path and file
    assert set(built.metrics["file"]) <= set(built.docs["file"])


def test_build_manifest_records_inputs_resources_and_versions(reference):
    built = reference[0]
    doc = json.loads((built.folder / "build.json").read_text(encoding="utf-8"))
    assert doc == built.manifest
    assert [d["doc_id"] for d in doc["documents"]] == SEED_IDS
    first = doc["documents"][0]
    assert len(first["sha256"]) == 64 and set(first["keys"]) == set(O.STAGES)
    assert set(doc["fingerprint"]["resources"]) >= {"lexicon", "aliases", "stopwords", "formulaic", "taxonomy",
                                                     "scheme", "indicators", "gazetteer"}
    assert doc["fingerprint"]["versions"]["segmenter"] not in ("", "-")


def test_warm_build_does_no_parse_and_no_segmentation(reference, monkeypatch):
    cold, cache = reference[0], reference[3]
    _reset()

    def forbidden(*args, **kwargs):
        raise AssertionError("a warm build must not parse or segment")

    monkeypatch.setattr("analysis.corpus.load.parse_document", forbidden)
    monkeypatch.setattr("analysis.segment.tokenize", forbidden)
    monkeypatch.setattr("analysis.segment.tokens._cut_gaps", forbidden)
    warm = B.build(cache=cache)
    assert warm.computed == NONE
    assert W.STATS == NONE
    assert segment.STATS["segment_calls"] == 0 and segment.STATS["docs_segmented"] == 0
    assert warm.folder == cold.folder
    assert_same_tables(cold, B.Build(warm.folder, warm.manifest, warm.rejected))
    # a warm build with more workers starts none
    assert B.build(cache=cache, jobs=2).computed == NONE


@pytest.fixture
def warm_cache(tmp_path, reference) -> Path:
    """A cache of this test's own holding the reference build's store (content-addressed: any copy of the seeds hits it)."""
    cache = tmp_path / "cache"
    shutil.copytree(reference[3] / "store", cache / "store")
    return cache


def test_a_moved_corpus_reuses_the_store(seeds_copy, warm_cache, reference):
    _reset()
    moved = B.build(seeds_copy, cache=warm_cache)
    assert moved.computed == NONE and W.STATS == NONE
    assert moved.folder != reference[0].folder
    assert list(moved.docs["path"]) == [str(seeds_copy / f) for f in reference[0].docs["file"]]
    assert list(moved.metrics["path"].unique()) == [str(seeds_copy / f) for f in moved.metrics["file"].unique()]
    for name in B.TABLES:  # the same rows but for the paths
        pd.testing.assert_frame_equal(reference[0].table(name).drop(columns="path", errors="ignore"),
                                      moved.table(name).drop(columns="path", errors="ignore"), obj=name)


def test_editing_one_document_recomputes_exactly_that_document(seeds_copy, warm_cache):
    before = B.build(seeds_copy, cache=warm_cache)
    edited = seeds_copy / "yangjiang_2022_plan.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n全年新增高新技术企业50家。\n", encoding="utf-8")
    _reset()
    after = B.build(seeds_copy, cache=warm_cache)
    assert after.computed == dict.fromkeys(O.STAGES, 1)
    assert W.STATS == dict.fromkeys(O.STAGES, 1)
    assert segment.STATS["docs_segmented"] == 1
    assert after.build_id == before.build_id  # the same corpus, rebuilt: a new folder swapped in by its pointer
    assert after.folder != before.folder
    keys = {d["doc_id"]: d["keys"] for d in before.manifest["documents"]}
    new_keys = {d["doc_id"]: d["keys"] for d in after.manifest["documents"]}
    assert [d for d in SEED_IDS if keys[d] != new_keys[d]] == ["yangjiang_2022_plan"]
    docs = after.docs.set_index("doc_id")
    assert docs.loc["yangjiang_2022_plan", "text"].endswith("全年新增高新技术企业50家。")
    assert (after.units["text"] == "全年新增高新技术企业50家。").sum() == 1
    # the other documents' rows are unchanged
    others = [d for d in SEED_IDS if d != "yangjiang_2022_plan"]
    for name in ("units", "tokens", "themes", "metrics"):
        a = before.table(name)
        b = after.table(name)
        pd.testing.assert_frame_equal(a[a["doc_id"].isin(others)].reset_index(drop=True),
                                      b[b["doc_id"].isin(others)].reset_index(drop=True), obj=name)


def test_new_and_removed_documents(seeds_copy, warm_cache):
    shutil.copy(seeds_copy / "yangjiang_2022_plan.txt", seeds_copy / "yangjiang_copy.txt")
    (seeds_copy / "dongguan_2022_proposal_reply_20220364.txt").unlink()
    _reset()
    after = B.build(seeds_copy, cache=warm_cache)
    # the copy has the same bytes but its own doc_id, so its own parse; nothing else is recomputed
    assert after.computed == dict.fromkeys(O.STAGES, 1)
    assert sorted(after.docs["doc_id"]) == sorted([*(d for d in SEED_IDS if "proposal" not in d), "yangjiang_copy"])
    assert set(after.tokens["doc_id"]) == set(after.docs["doc_id"])


def test_changing_the_lexicon_recomputes_tokens_not_themes_or_metrics(tmp_path, warm_cache, reference, seeds_dir):
    base = reference[0]
    lexicon = tmp_path / "my_lexicon.txt"
    term = _frequent_bigram(base.tokens)  # two adjacent tokens the bundled lexicon does not join
    lexicon.write_text(resource_path("policy_lexicon.txt").read_text(encoding="utf-8") + f"\n{term} 2000 n\n",
                       encoding="utf-8")
    _reset()
    mine = B.build(cache=warm_cache, lexicon=lexicon)
    assert mine.computed == {"parse": 0, "tokens": 5, "themes": 0, "metrics": 0}
    assert W.STATS == mine.computed
    assert segment.STATS["docs_segmented"] == 5
    assert (mine.tokens["raw"] == term).sum() > 0 == (base.tokens["raw"] == term).sum()
    for name in ("docs", "units", "sections", "themes", "instruments", "metrics"):
        pd.testing.assert_frame_equal(base.table(name), mine.table(name), obj=name)
    # editing the lexicon file in place is seen too (file hashes are cached by size and mtime, not by path)
    one = seeds_dir / "yangjiang_2022_plan.txt"
    assert B.build(one, manifest=seeds_dir / "corpus.csv", cache=warm_cache, lexicon=lexicon).computed == NONE
    with lexicon.open("a", encoding="utf-8") as fh:
        fh.write("科技特派员制度 2000 n\n")
    again = B.build(one, manifest=seeds_dir / "corpus.csv", cache=warm_cache, lexicon=lexicon)
    assert again.computed == {"parse": 0, "tokens": 1, "themes": 0, "metrics": 0}


def _frequent_bigram(tokens: pd.DataFrame) -> str:
    t = tokens[["unit_id", "raw", "class", "start", "end"]]
    nxt = t.shift(-1)
    pair = (t["unit_id"] == nxt["unit_id"]) & (t["end"] == nxt["start"]) & (t["class"] == "content") & (
        nxt["class"] == "content") & (t["raw"].str.len() >= 2) & (nxt["raw"].str.len() >= 2)
    joined = (t["raw"] + nxt["raw"])[pair]
    lexicon = segment.load_resources().lexicon
    return next(w for w in joined.value_counts().index if w not in lexicon and w not in set(tokens["raw"]))


def test_two_jobs_give_the_same_tables_as_one(tmp_path, reference):
    _reset()
    two = B.build(cache=tmp_path, jobs=2)
    assert two.computed == ALL
    assert W.STATS == NONE  # the work ran in the worker processes
    assert_same_tables(reference[0], two)


def test_warming_the_parent_before_the_workers_fork_counts_nothing_and_loads_the_tokenizer():
    _reset()
    seg_before = dict(segment.STATS)
    opts = B.options()
    W.warm(opts)
    assert W.STATS == NONE and segment.STATS == seg_before
    assert {key[0] for key in W._LOADED} == {"segment", "taxonomy", "scheme", "catalogue"}


def test_warming_without_a_writable_temp_folder_is_skipped(monkeypatch):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/tmp")

    _reset()
    monkeypatch.setattr(tempfile, "TemporaryDirectory", refused)
    W.warm(B.options())  # no error: the workers load their resources themselves
    assert W.STATS == NONE


def test_dask_local_cluster_gives_the_same_tables(tmp_path, reference):
    pytest.importorskip("dask.distributed")
    built = B.build(cache=tmp_path, executor="dask", jobs=1)  # one worker process: the same code path, faster
    assert built.computed == ALL
    assert_same_tables(reference[0], built)


def test_rjieba_backend_builds_with_the_same_lexicon(tmp_path, reference):
    pytest.importorskip("rjieba")
    fast = B.build(cache=tmp_path, segmenter="rjieba")
    assert fast.computed == ALL
    assert fast.manifest["options"]["segmenter"] == "rjieba"
    assert fast.tokens.attrs["segmenter"] == "rjieba"
    keys = ["doc_id", "start", "end", "raw"]
    ref = reference[0].tokens[keys]
    common = len(ref.merge(fast.tokens[keys], on=keys))
    assert 2 * common / (len(ref) + len(fast.tokens)) > 0.99


def test_a_bad_file_is_rejected_and_the_rest_is_built(seeds_copy, warm_cache):
    (seeds_copy / "empty.txt").write_text("\n\n", encoding="utf-8")
    (seeds_copy / "notes.xyz").write_text("x", encoding="utf-8")
    built = B.build(seeds_copy, cache=warm_cache)
    reasons = dict(zip(built.rejected["path"].map(lambda p: Path(p).name), built.rejected["reason"]))
    assert set(reasons) == {"empty.txt", "notes.xyz"}
    assert "unsupported file type" in reasons["notes.xyz"]
    assert sorted(built.docs["doc_id"]) == SEED_IDS


def test_bad_options_raise_parameter_errors(tmp_path):
    from analysis.errors import InputError, ParameterError

    with pytest.raises(ParameterError, match="segmenter"):
        B.build(cache=tmp_path, segmenter="thulac")
    with pytest.raises(ParameterError, match="executor"):
        B.build(cache=tmp_path, executor="spark")
    with pytest.raises(ParameterError, match="lexikon"):
        B.build(cache=tmp_path, lexikon="x.txt")
    with pytest.raises(InputError, match="lexicon file not found"):
        B.build(cache=tmp_path, lexicon=tmp_path / "missing.txt")
    with pytest.raises(ParameterError):
        B.Build(tmp_path, {}, pd.DataFrame()).table("words")


def test_partial_table_reads(reference):
    built = reference[0]
    part = built.table("tokens", columns=["doc_id", "token"], filters=[("doc_id", "in", ["yangjiang_2022_plan"])])
    full = built.tokens
    assert list(part.columns) == ["doc_id", "token"]
    assert part["token"].tolist() == full.loc[full["doc_id"] == "yangjiang_2022_plan", "token"].tolist()


def test_cli_build(tmp_path, capsys, seeds_dir):
    from analysis.cli import main

    one = str(seeds_dir / "yangjiang_2022_plan.txt")
    assert main(["build", one, "--cache", str(tmp_path), "--format", "csv", "--quiet"]) == 0
    out = capsys.readouterr()
    table = pd.read_csv(pd.io.common.StringIO(out.out))
    assert list(table["table"]) == list(B.TABLES)
    rows = table.set_index("table")["rows"]
    assert (rows.drop("dropped") > 0).all() and rows["dropped"] == 0  # the pasted bureau plan has no site chrome
    assert "1 parsed, 1 segmented, 1 coded, 1 extracted" in out.err
    assert main(["build", one, "--cache", str(tmp_path), "--format", "csv", "--quiet"]) == 0
    assert "0 parsed, 0 segmented" in capsys.readouterr().err


def _build_in_child(folder: str, cache: str) -> int:
    return len(B.build(folder, cache=cache).tokens)


def test_concurrent_builds_of_one_corpus_agree(tmp_path, reference, seeds_dir):
    """Two processes building the same corpus into one cache at once: both succeed, one pointer names the build."""
    from concurrent.futures import ProcessPoolExecutor

    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(seeds_dir / "yangjiang_2022_plan.txt", one)
    with ProcessPoolExecutor(2) as pool:
        sizes = list(pool.map(_build_in_child, [str(one)] * 2, [str(tmp_path / "cache")] * 2))
    assert sizes[0] == sizes[1] > 0
    builds = tmp_path / "cache" / "builds"
    assert [p.suffix for p in builds.iterdir() if not p.is_dir()] == [".json"]
    assert not [p for p in builds.iterdir() if p.name.startswith(".")]  # no temporary folder left
    assert B.build(one, cache=tmp_path / "cache").computed == NONE
