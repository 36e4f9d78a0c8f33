"""The notebook collection, executed through the batch on the seeds, as a researcher runs it.

Asserts: every notebook succeeds; every expected figure exists as PNG, SVG and PDF; each PDF embeds a subset CJK
TrueType font (checked in the PDF); no "Glyph missing" warning anywhere; a second run gives byte-identical SVG and
PDF; bad parameters stop a notebook at its first cell with one line naming the parameter and the valid values.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import batch
from analysis.config import NOTEBOOKS_DIR

CITIES = ["东莞", "广州", "阳江", "中山"]
# figures each notebook must write (stems); city notebooks write per city
EXPECTED_STEMS = {
    "01_corpus_overview": ["01_part_lengths", "01_sections", "01_part_balance"],
    "02_policy_themes": ["02_theme_heatmap", "02_instrument_types", "02_instrument_subtypes", "02_instrument_theme",
                         "02_theme_shift"],
    "03_keyword_shifts": ["03_keyness_plan_vs_summary", "03_emergence"]
                         + [f"03_keyness_{i:02d}_{c}" for i, c in enumerate(["Dongguan", "Zhongshan", "Guangzhou", "Yangjiang"], 1)]
                         + [f"03_wordcloud_{i:02d}_{c}" for i, c in enumerate(["Dongguan", "Zhongshan", "Guangzhou", "Yangjiang"], 1)],
    "04_metric_trends": ["04_trend_high_tech_enterprises", "04_trend_rd_intensity"],
    "05_city_profile": [f"05_{c}_{k}" for c in ["Dongguan", "Guangzhou", "Yangjiang", "Zhongshan"] for k in ("themes", "keyness")],
}


def _run(out: Path) -> pd.DataFrame:
    return batch.run_collection(out=out, progress=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    first = tmp_path_factory.mktemp("batch1")
    second = tmp_path_factory.mktemp("batch2")
    return (first, _run(first)), (second, _run(second))


def test_every_notebook_succeeds(runs):
    (_, summary), _ = runs
    assert list(summary["status"]) == ["ok"] * len(summary), summary[["notebook", "error"]].to_string()
    names = set(summary["notebook"])
    assert {"01_corpus_overview", "02_policy_themes", "03_keyword_shifts", "04_metric_trends"} <= names
    assert {f"05_city_profile_{c}" for c in CITIES} == {n for n in names if n.startswith("05_")}


def test_expected_figures_in_three_formats(runs):
    (out, _), _ = runs
    figs = out / "figures"
    for stems in EXPECTED_STEMS.values():
        for stem in stems:
            for ext in ("png", "svg", "pdf"):
                assert (figs / f"{stem}.{ext}").is_file(), f"{stem}.{ext} missing"
    index = pd.read_csv(figs / "index.csv")
    assert {"file", "notebook", "parameters", "caption"} <= set(index.columns)
    assert index["caption"].notna().all()
    assert set(index["file"]) == {p.name for p in figs.iterdir() if p.suffix in (".png", ".svg", ".pdf")}


def test_pdfs_embed_a_subset_cjk_truetype_font(runs):
    from pypdf import PdfReader

    (out, _), _ = runs
    pdfs = sorted((out / "figures").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        assert pdf.stat().st_size < 1_000_000, pdf.name
        fonts = []
        for page in PdfReader(pdf).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert font["/Subtype"] != "/Type3", f"{pdf.name}: Type 3 font"
                if font["/Subtype"] == "/Type0":
                    desc = font["/DescendantFonts"][0].get_object()
                    fonts.append((str(font["/BaseFont"]), desc["/Subtype"], "/FontFile2" in desc["/FontDescriptor"]))
        cjk = [f for f in fonts if f[1] == "/CIDFontType2" and f[2]]
        assert cjk, f"{pdf.name}: no embedded CID TrueType font ({fonts})"
        assert all(re.match(r"/?[A-Z]{6}\+", name) for name, _, _ in cjk), f"{pdf.name}: font not subset {cjk}"


def test_no_glyph_missing_warning(runs):
    (out, _), _ = runs
    for nb in sorted((out / "notebooks").glob("*.ipynb")):
        text = json.dumps(json.loads(nb.read_text(encoding="utf-8"))["cells"], ensure_ascii=False)
        assert "Glyph" not in text and "missing from font" not in text, nb.name


def test_second_run_is_byte_identical(runs):
    (a, _), (b, _) = runs
    files = sorted(p.name for p in (a / "figures").iterdir() if p.suffix in (".svg", ".pdf"))
    assert files
    for name in files:
        assert (a / "figures" / name).read_bytes() == (b / "figures" / name).read_bytes(), name


def _first_error_cell(executed: Path) -> tuple[int, str]:
    nb = json.loads(executed.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, f"{out['ename']}: {out['evalue']}"
    raise AssertionError("no error cell")


@pytest.mark.parametrize("params, expected", [
    ({"city": "北京"}, "parameter city='北京': no document of this city in the corpus; valid values: 东莞, 中山, 广州, 阳江"),
    ({"city": "东莞", "corpus": "EMPTY"}, "parameter corpus="),
])
def test_bad_parameter_stops_at_first_cell(tmp_path, params, expected):
    if params.get("corpus") == "EMPTY":
        empty = tmp_path / "empty_corpus"
        empty.mkdir()
        params = {**params, "corpus": str(empty)}
    job = batch.Job(NOTEBOOKS_DIR / "05_city_profile.ipynb", "05_city_profile",
                    {"figures_dir": str(tmp_path / "figs"), **params}, tmp_path / "out.ipynb")
    done = batch.run_job(job, html=False)
    assert done.status == "failed"
    assert expected in done.error
    assert "\n" not in done.error
    cell, message = _first_error_cell(done.output)
    source = "".join(json.loads(done.output.read_text(encoding="utf-8"))["cells"][cell]["source"])
    assert "open_study(" in source  # the first cell after the imports
    assert message.startswith("ParameterError: parameter ")


def test_year_without_documents_is_refused(tmp_path):
    job = batch.Job(NOTEBOOKS_DIR / "02_policy_themes.ipynb", "02_policy_themes",
                    {"figures_dir": str(tmp_path / "figs"), "years": [1999]}, tmp_path / "out.ipynb")
    done = batch.run_job(job, html=False)
    assert done.status == "failed"
    assert "parameter years=1999: no document covers this year; valid values: 2019, 2020, 2021, 2022, 2023, 2024" in done.error


def test_unknown_notebook_name_is_a_parameter_error():
    from analysis.errors import ParameterError

    with pytest.raises(ParameterError, match="parameter --only='99_nothing'"):
        batch.plan_jobs(only=["99_nothing"])
