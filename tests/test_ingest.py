"""Bulk ingestion: the seeds in four formats ingest to the same five documents; duplicates grouped; a person's
manifest values win; a robustness corpus of broken files gets one-line reasons and leaves the source tree as it was."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from test_formats import (  # the PDF/DOCX generators (tests/ is on sys.path)
    make_docx,
    make_pdf,
    make_scanned_pdf,
)

from analysis import load_corpus
from analysis.corpus.decode import to_traditional
from analysis.corpus.ingest import COLUMNS, ingest, jaccard, shingles
from analysis.corpus.manifest import read_manifest as read_manifest_file

META = ("city", "province", "doc_type", "summary_year", "plan_year", "published", "title")


def _html(text: str) -> str:
    paras = "".join(f"<p>{ln}</p>\n" for ln in text.splitlines() if ln.strip())
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>x</title><script>var a='2099年';</script></head>"
            f"<body><nav>首页 | 信息公开 | 无障碍</nav><div class='content'>{paras}</div><footer>版权所有</footer></body></html>")


def _legacy(text: str) -> str:
    return "".join(" " if c == "\xa0" else c for c in text if not "\ue000" <= c <= "\uf8ff")


def _expected(inferred_corpus) -> dict[str, dict[str, str]]:
    """The seeds' inferred metadata as manifest strings ("" for none)."""
    out = {}
    for row in inferred_corpus.docs.to_dict("records"):
        out[row["doc_id"]] = {c: "" if row[c] is None or pd.isna(row[c]) else str(row[c]) for c in META}
    return out


def _tree_hashes(folder: Path) -> dict[str, str]:
    out = {}
    for root, dirs, files in os.walk(folder):  # symlinks not followed: the loop is listed, not walked
        for name in dirs + files:
            p = Path(root) / name
            if p.is_symlink():
                out[str(p)] = "link:" + os.readlink(p)
            elif p.is_file():
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def seed_texts(seeds_dir) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, seed_texts):
    """Every seed as .txt, .html, .docx and .pdf in one folder, ingested once."""
    folder = tmp_path_factory.mktemp("mixed")
    for stem, text in seed_texts.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
        (folder / f"{stem}.html").write_text(_html(text), encoding="utf-8")
        make_docx(text, folder / f"{stem}.docx")
        make_pdf(text, folder / f"{stem}.pdf")
    before = _tree_hashes(folder)
    result = ingest(folder)
    return folder, result, before


# --- the four formats -----------------------------------------------------------------------------------------

def test_four_formats_ingest_to_the_same_five_documents(mixed, inferred_corpus):
    folder, result, _ = mixed
    m = result.manifest
    assert list(m.columns) == list(COLUMNS)
    assert len(m) == 20
    kept = m[m["status"].isin(["ok", "review"])].set_index("doc_id")
    expected = _expected(inferred_corpus)
    assert sorted(kept.index) == sorted(expected)
    for doc_id, exp in expected.items():
        assert kept.loc[doc_id, list(META)].to_dict() == exp, doc_id
    # the one kept per seed is the .docx: same date, a well-structured format, and the first path
    assert set(kept["file"].str.rsplit(".", n=1).str[1]) == {"docx"}
    assert kept.loc["yangjiang_2022_plan", "status"] == "review"  # no title: type from tone cues only
    assert kept.loc["yangjiang_2022_plan", "doc_type_confidence"] == "low"


def test_duplicates_grouped_with_the_kept_copy(mixed, seed_texts):
    m = mixed[1].manifest
    copies = m[~m["status"].isin(["ok", "review"])]
    assert len(copies) == 15 and set(copies["status"]) <= {"duplicate", "near_duplicate"}
    for stem in seed_texts:
        group = m[m["file"].str.startswith(stem + ".")]
        assert len(group) == 4
        assert (group["duplicate_of"] == stem).sum() == 3, group[["file", "status", "duplicate_of"]]
        assert group["similarity"].replace("", "1").astype(float).min() >= 0.9
    # the text of every format is the same once whitespace is ignored: all copies are exact duplicates
    assert set(copies["status"]) == {"duplicate"}
    assert m.groupby("sha256")["doc_id"].count().tolist() == [4] * 5
    dup = mixed[1].duplicates
    assert len(dup) == 15 and set(dup["duplicate_of"]) == set(seed_texts)


def test_summary_counts_documents_by_city_year_type(mixed):
    summary = mixed[1].summary
    assert summary.to_dict("records") == [
        {"city": "东莞", "year": "2021", "doc_type": "summary_and_plan", "n": 1},
        {"city": "东莞", "year": "2022", "doc_type": "proposal_reply", "n": 1},
        {"city": "中山", "year": "2023", "doc_type": "summary_and_plan", "n": 1},
        {"city": "广州", "year": "2019", "doc_type": "summary_and_plan", "n": 1},
        {"city": "阳江", "year": "2022", "doc_type": "plan", "n": 1},
    ]
    assert mixed[1].counts == {"duplicate": 15, "ok": 4, "review": 1}


def test_confidence_and_evidence_from_the_kind_of_evidence(mixed):
    m = mixed[1].manifest.set_index("doc_id")
    zs = m.loc["zhongshan_2023_summary_2024_plan"]
    assert (zs["city_confidence"], zs["city_evidence"]) == ("high", "发布机构: 中山市科学技术局")
    assert zs["published_confidence"] == "high" and zs["doc_type_confidence"] == "high"
    dg = m.loc["dongguan_2021_summary_2022_plan"]  # the title says only 市科技局: mention counts decide
    assert dg["city_confidence"] == "medium" and dg["city_evidence"].startswith("mentions: 东莞×31")
    yj = m.loc["yangjiang_2022_plan"]
    assert (yj["plan_year_confidence"], yj["plan_year_evidence"]) == ("medium", "first paragraph: 2022年")
    assert yj["summary_year_evidence"] == "not applicable to doc_type plan"
    assert yj["status_reason"].startswith("review: doc_type low confidence (no title;")


def test_manifest_file_is_utf8_bom_and_load_corpus_skips_copies(mixed, inferred_corpus):
    folder, result, before = mixed
    raw = (folder / "corpus.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and result.path == folder / "corpus.csv"
    after = _tree_hashes(folder)
    assert after.pop(str(folder / "corpus.csv"))  # the manifest is the only new file, nothing else changed
    assert after == before
    corpus = load_corpus(folder)
    assert corpus.rejected.empty, corpus.rejected
    assert sorted(corpus.docs["doc_id"]) == sorted(inferred_corpus.docs["doc_id"])
    assert set(corpus.docs["source_format"]) == {"docx"}


# --- near duplicates and which copy is kept --------------------------------------------------------------------

def test_shingle_jaccard_hand_computed():
    assert jaccard(shingles("abcdef"), shingles("abcdeg")) == pytest.approx(1 / 3)  # {abcde,bcdef} vs {abcde,bcdeg}
    assert jaccard(shingles("科技创新驱动发展"), shingles("科技创新驱动发展")) == 1.0
    assert jaccard(shingles("科技创新驱动发展"), shingles("产业转型升级加快")) == 0.0


def test_near_duplicate_and_earliest_published_kept(tmp_path, seed_texts):
    text = seed_texts["dongguan_2021_summary_2022_plan"]
    assert text.count("2022-02-28") == 1
    lines = text.splitlines()
    body = [i for i, ln in enumerate(lines) if len(ln) > 150]
    edited = list(lines)
    edited[body[3]] = edited[body[3]][:-60] + "(本段有修订)。"  # a reposted, lightly revised version
    (tmp_path / "a_repost.txt").write_text(text.replace("2022-02-28", "2022-03-10"), encoding="utf-8")
    (tmp_path / "b_original.txt").write_text(text, encoding="utf-8")
    (tmp_path / "c_revised.txt").write_text("\n".join(edited), encoding="utf-8")
    half = "\n".join(lines[: len(lines) // 2])
    (tmp_path / "d_first_half.txt").write_text(half, encoding="utf-8")
    m = ingest(tmp_path, write=False).manifest.set_index("file")
    # the same text published later is the copy; the earliest published is kept although its path sorts later
    assert m.loc["b_original.txt", "status"] == "ok"
    assert (m.loc["a_repost.txt", "status"], m.loc["a_repost.txt", "duplicate_of"]) == ("duplicate", "b_original")
    sim = float(m.loc["c_revised.txt", "similarity"])
    assert m.loc["c_revised.txt", "status"] == "near_duplicate" and 0.97 < sim < 1.0
    assert m.loc["c_revised.txt", "duplicate_of"] == "b_original"
    assert m.loc["d_first_half.txt", "status"] in ("ok", "review")  # half the text: another document


# --- a person's manifest wins ---------------------------------------------------------------------------------

def test_person_values_kept_on_update(tmp_path, seed_texts):
    for stem in ("guangzhou_2019_summary_2020_plan", "yangjiang_2022_plan", "dongguan_2022_proposal_reply_20220364"):
        (tmp_path / f"{stem}.txt").write_text(seed_texts[stem], encoding="utf-8")
    first = ingest(tmp_path).manifest
    m = read_manifest_file(tmp_path / "corpus.csv")
    assert m.equals(first)
    gz = m["doc_id"] == "guangzhou_2019_summary_2020_plan"
    yj = m["doc_id"] == "yangjiang_2022_plan"
    m.loc[gz, "city"] = "深圳"                      # the person disagrees with inference
    m.loc[gz, "note"] = "checked against the PDF"
    m.loc[yj, "title"] = "阳江市2022年科技工作计划"  # fills an empty cell
    m.loc[yj, "status"] = "ok"                      # accepts the review row as it is
    m["reviewer"] = "lw"                            # a column of the person's own
    # saved by Excel on a Chinese Windows as "CSV": GBK, no BOM
    m.to_csv(tmp_path / "corpus.csv", index=False, encoding="gb18030")
    (tmp_path / "dongguan_2022_proposal_reply_20220364.txt").unlink()
    (tmp_path / "zhongshan_2023_summary_2024_plan.txt").write_text(seed_texts["zhongshan_2023_summary_2024_plan"],
                                                                 encoding="utf-8")
    second = ingest(tmp_path).manifest
    assert list(second["doc_id"]) == ["dongguan_2022_proposal_reply_20220364", "guangzhou_2019_summary_2020_plan",
                                      "yangjiang_2022_plan", "zhongshan_2023_summary_2024_plan"]  # old order, new last
    row = second.set_index("doc_id")
    g = row.loc["guangzhou_2019_summary_2020_plan"]
    assert (g["city"], g["city_confidence"]) == ("深圳", "manual")
    assert g["city_evidence"].startswith("manifest (inferred 广州: title: 广州市科学技术局")
    assert g["note"] == "checked against the PDF" and g["reviewer"] == "lw"
    y = row.loc["yangjiang_2022_plan"]
    assert (y["title"], y["title_confidence"], y["status"]) == ("阳江市2022年科技工作计划", "manual", "ok")
    assert y["status_reason"].endswith("(status set by hand, kept)")
    assert (row.loc["dongguan_2022_proposal_reply_20220364", "status"]) == "missing"
    assert row.loc["zhongshan_2023_summary_2024_plan", "status"] == "ok"
    assert row.loc["zhongshan_2023_summary_2024_plan", "reviewer"] == ""
    # a third run changes nothing; load_corpus reads the person's values and skips the missing row
    third = ingest(tmp_path).manifest
    pd.testing.assert_frame_equal(second, third)
    assert (tmp_path / "corpus.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # written back as UTF-8 with BOM
    corpus = load_corpus(tmp_path)
    assert corpus.rejected.empty
    docs = corpus.docs.set_index("doc_id")
    assert docs.loc["guangzhou_2019_summary_2020_plan", "city"] == "深圳"
    assert docs.loc["yangjiang_2022_plan", "title"] == "阳江市2022年科技工作计划"


def test_hand_made_manifest_carried_over(tmp_path, seeds_dir, corpus):
    """The seeds' own corpus.csv (written by a person, no status) wins over inference; the seeds are not touched."""
    before = _tree_hashes(seeds_dir)
    out = tmp_path / "review" / "manifest.csv"
    m = ingest(seeds_dir, manifest=out).manifest.set_index("doc_id")
    assert _tree_hashes(seeds_dir) == before
    assert set(m["status"]) == {"ok"}
    yj = m.loc["yangjiang_2022_plan"]
    assert (yj["title"], yj["title_confidence"], yj["doc_type_confidence"]) == ("阳江市2022年科技工作计划", "manual", "manual")
    assert m.loc["dongguan_2021_summary_2022_plan", "note"].startswith("Scraped from the Dongguan S&T bureau site")
    loaded = load_corpus(seeds_dir, manifest=out)  # the manifest lives outside the folder it describes
    assert loaded.rejected.empty, loaded.rejected
    cols = ["doc_id", "city", "doc_type", "summary_year", "plan_year", "published", "title"]
    pd.testing.assert_frame_equal(loaded.docs[cols].sort_values("doc_id", ignore_index=True),
                                  corpus.docs[cols].sort_values("doc_id", ignore_index=True))


# --- robustness -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken(tmp_path_factory, seed_texts):
    """Every supported format and encoding, and every kind of damage, generated from the seeds."""
    root = tmp_path_factory.mktemp("robust")
    src = root / "corpus"
    (src / "sub").mkdir(parents=True)
    dg, gz = seed_texts["dongguan_2021_summary_2022_plan"], seed_texts["guangzhou_2019_summary_2020_plan"]
    zs, yj = seed_texts["zhongshan_2023_summary_2024_plan"], seed_texts["yangjiang_2022_plan"]
    reply = seed_texts["dongguan_2022_proposal_reply_20220364"]
    (src / "dongguan.txt").write_text(dg, encoding="utf-8")
    (src / "guangzhou_gbk.txt").write_bytes(_legacy(gz).encode("gbk"))
    (src / "guangzhou_bom.txt").write_bytes(gz.encode("utf-8-sig"))
    (src / "zhongshan_utf16.txt").write_bytes(zs.encode("utf-16"))
    (src / "yangjiang_big5.txt").write_bytes(to_traditional(_legacy(yj)).encode("big5hkscs"))
    (src / "reply.html").write_text(_html(reply), encoding="utf-8")
    make_docx(reply, src / "reply.docx")
    pdf = make_pdf(zs, src / "zhongshan.pdf").read_bytes()
    (src / "东莞 2021 总结 (副本).txt").write_text(dg, encoding="utf-8")
    (src / "sub" / "half.pdf").write_bytes(pdf[: len(pdf) // 2])
    docx_bytes = (src / "reply.docx").read_bytes()
    (src / "sub" / "half.docx").write_bytes(docx_bytes[: len(docx_bytes) // 2])
    utf16 = zs.encode("utf-16")
    (src / "sub" / "half_utf16.txt").write_bytes(utf16[: len(utf16) // 2 | 1])  # cut inside a character
    (src / "sub" / "empty.txt").write_bytes(b"")
    (src / "sub" / "nul.txt").write_bytes(dg.encode("utf-8").replace("。".encode(), "。\x00".encode(), 5))
    make_scanned_pdf(src / "sub" / "scan.pdf")
    (src / "sub" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    copy = yj.rstrip("\n").encode("utf-8") + b"\n"
    (src / "sub" / "big.txt").write_bytes(copy * -(-20 * 1024 * 1024 // len(copy)))  # 20 MB, whole lines
    os.symlink("..", src / "sub" / "loop")  # corpus/sub/loop -> corpus: a directory symlink loop
    (src / "corpus.csv").write_text("doc_id,file,city,note\nevil,../../etc/passwd,北京,\n"
                                    "dg,dongguan.txt,,hand-checked\n", encoding="utf-8")
    return root, src


EXPECTED_REJECTED = {
    "half.pdf": "truncated PDF (no %%EOF marker at the end; download it again)",
    "half.docx": "damaged or truncated .docx",
    "half_utf16.txt": "undecodable bytes",
    "empty.txt": "empty file (no text)",
    "scan.pdf": "no text layer (scanned PDF?); OCR it first",
    "old.doc": ".doc (binary Word) is not supported; convert it to .docx first, e.g. libreoffice --headless --convert-to docx",
    "big.txt": "file too large (20.0 MB > 10 MB); raise the limit with --max-mb (now 10) to read it",
}


def test_robustness_corpus_cli(broken):
    root, src = broken
    before = _tree_hashes(src)
    out = root / "review" / "manifest.csv"
    r = subprocess.run([sys.executable, "-m", "analysis", "ingest", str(src), "--manifest", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert _tree_hashes(src) == before  # not a byte of the source tree changed, nothing was added
    assert r.returncode == 1  # some files were rejected; the manifest is written all the same
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    # stray NUL bytes in good text are removed with a one-line warning; the text is then the same as dongguan's
    assert lines[0].startswith("warning: ") and lines[0].endswith("/sub/nul.txt: 5 stray NUL byte(s) removed from the text")
    lines = lines[1:]
    assert lines and all(ln.startswith("error: ") for ln in lines), r.stderr
    for name, reason in EXPECTED_REJECTED.items():
        assert any(f"/{name}: " in ln and reason in ln for ln in lines), (name, r.stderr)
    assert any("loop" in ln and "directory symlink loop" in ln for ln in lines)
    assert any("../../etc/passwd" in ln and "outside the corpus folder; refused" in ln for ln in lines)
    assert len(lines) == len(EXPECTED_REJECTED) + 2

    m = read_manifest_file(out).set_index("file")
    status = {f.rsplit("/", 1)[-1]: s for f, s in m["status"].items()}
    for name in EXPECTED_REJECTED:
        assert status[name] == "rejected", name
    assert status["passwd"] == "rejected" and m.loc["../../etc/passwd", "city"] == "北京"  # kept as written, never read
    assert status["dongguan.txt"] == "ok" and m.loc["../corpus/dongguan.txt", "doc_id"] == "dg"
    assert m.loc["../corpus/dongguan.txt", "note"] == "hand-checked"
    assert status["东莞 2021 总结 (副本).txt"] == "duplicate" and status["nul.txt"] == "duplicate"
    assert m.loc["../corpus/东莞 2021 总结 (副本).txt", "duplicate_of"] == "dg"
    assert status["guangzhou_bom.txt"] == "ok" and status["zhongshan_utf16.txt"] == "ok"
    assert m.loc["../corpus/guangzhou_gbk.txt", "duplicate_of"] == "guangzhou_bom"  # same text, first path kept
    assert status["yangjiang_big5.txt"] == "review"
    assert (status["reply.docx"], status["reply.html"]) == ("ok", "duplicate")  # same rank: the first path
    assert status["zhongshan.pdf"] == "duplicate"
    assert m.loc["../corpus/zhongshan.pdf", "duplicate_of"] == "zhongshan_utf16"
    assert f"18 manifest rows (8 rejected, 5 duplicate, 4 ok, 1 review); manifest written to {out}" in r.stdout

    # analysing with the reviewed manifest: only the kept documents, no file read again that was rejected
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus(src, manifest=out)
    assert sorted(corpus.docs["file"]) == ["dongguan.txt", "guangzhou_bom.txt", "reply.docx", "yangjiang_big5.txt",
                                           "zhongshan_utf16.txt"]
    assert sorted(corpus.rejected["reason"].str.split(";").str[0]) == [
        "directory symlink loop (already visited), skipped", "manifest path points outside the corpus folder"]


def test_large_file_limit_is_a_parameter(tmp_path, seed_texts):
    (tmp_path / "a.txt").write_text(seed_texts["yangjiang_2022_plan"], encoding="utf-8")
    result = ingest(tmp_path, write=False, max_mb=0.01)
    assert result.rejected["reason"].tolist() == ["file too large (0.0 MB > 0.01 MB); raise the limit with --max-mb (now 0.01) to read it"]
    assert ingest(tmp_path, write=False, max_mb=1).manifest["status"].tolist() == ["review"]


def test_cli_rejects_bad_arguments_in_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "analysis", "ingest", str(tmp_path / "nope")], capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.strip() == f"error: {tmp_path / 'nope'}: not a folder (ingest walks a folder of documents)"
