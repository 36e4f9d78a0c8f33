"""The notebook collection, executed through the batch on the seeds, as a researcher runs it.

Asserts: every notebook succeeds; every expected figure exists as PNG, SVG and PDF and is embedded in the executed
notebook; each PDF embeds a subset CJK TrueType font (checked in the PDF); no "Glyph missing" warning and no stderr
output anywhere; saving the same figures again gives byte-identical SVG and PDF (the batch runs once per suite);
bad parameters stop a notebook at its first cell with one line naming the parameter and the valid values.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import batch
from analysis.config import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

CITIES = ["东莞", "广州", "阳江", "中山"]
# figures each notebook must write (stems); city notebooks write per city
EXPECTED_STEMS = {
    "01_corpus_overview": ["01_part_lengths", "01_sections", "01_part_balance"],
    "02_policy_themes": ["02_theme_heatmap", "02_instrument_types", "02_instrument_subtypes", "02_instrument_theme",
                         "02_theme_shift"],
    "03_keyword_shifts": ["03_keyness_plan_vs_summary", "03_emergence"]
                         + [f"03_keyness_{c}" for c in ["Dongguan", "Zhongshan", "Guangzhou", "Yangjiang"]],
    "04_metric_trends": ["04_trends"],
    "05_place_profile": [f"05_{c}_{k}" for c in ["Dongguan", "Guangzhou", "Yangjiang", "Zhongshan"] for k in ("themes", "keyness")],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The batch, run once for the whole module (about two minutes on two cores)."""
    out = tmp_path_factory.mktemp("batch")
    return out, batch.run_collection(out=out, progress=False)


def test_every_notebook_succeeds(runs):
    _, summary = runs
    assert list(summary["status"]) == ["ok"] * len(summary), summary[["notebook", "error"]].to_string()
    names = set(summary["notebook"])
    assert {"01_corpus_overview", "02_policy_themes", "03_keyword_shifts", "04_metric_trends"} <= names
    assert {f"05_place_profile_{c}" for c in CITIES} == {n for n in names if n.startswith("05_")}


def test_expected_figures_in_three_formats(runs):
    out, _ = runs
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

    out, _ = runs
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
    out, _ = runs
    for nb in sorted((out / "notebooks").glob("*.ipynb")):
        text = json.dumps(json.loads(nb.read_text(encoding="utf-8"))["cells"], ensure_ascii=False)
        assert "Glyph" not in text and "missing from font" not in text, nb.name


def test_figures_are_embedded_and_no_stderr(runs):
    out, _ = runs
    for nb in sorted((out / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        outputs = [o for c in cells for o in c.get("outputs", [])]
        images = sum("image/png" in o.get("data", {}) for o in outputs)
        assert images >= 1, f"{nb.name}: no figure embedded"
        stderr = [o for o in outputs if o.get("name") == "stderr"]
        assert not stderr, f"{nb.name}: {stderr}"
        html = nb.with_suffix(".html").read_text(encoding="utf-8")
        assert html.count("data:image/png;base64") >= images, nb.name


def test_resaving_gives_byte_identical_svg_and_pdf(tmp_path):
    """Two saves of the same figure (fresh figures, same process) are byte-identical; the batch itself runs once."""
    import matplotlib.pyplot as plt

    from analysis import plots

    data = pd.DataFrame({"term": ["创新", "人才", "党建"], "score": [12.0, 5.0, -7.0],
                         "target_count": [9, 4, 0], "reference_count": [1, 0, 8]})
    for name in ("a", "b"):
        ax = plots.plot_keyness(data)
        plots.save_figure(ax.figure, "k", out_dir=tmp_path / name, formats=("svg", "pdf"))
        plt.close(ax.figure)
    for ext in ("svg", "pdf"):
        assert (tmp_path / "a" / f"k.{ext}").read_bytes() == (tmp_path / "b" / f"k.{ext}").read_bytes()


def _first_error_cell(executed: Path) -> tuple[int, str]:
    nb = json.loads(executed.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, f"{out['ename']}: {out['evalue']}"
    raise AssertionError("no error cell")


@pytest.mark.parametrize("params, expected", [
    ({"place": "北京"}, "parameter place='北京': no document of this place in the corpus; valid values: 东莞, 中山, 广州, 阳江"),
    ({"place": "东莞", "corpus": "EMPTY"}, "parameter corpus="),
])
def test_bad_parameter_stops_at_first_cell(tmp_path, params, expected):
    if params.get("corpus") == "EMPTY":
        empty = tmp_path / "empty_corpus"
        empty.mkdir()
        params = {**params, "corpus": str(empty)}
    job = batch.Job(NOTEBOOKS_DIR / "05_place_profile.ipynb", "05_place_profile",
                    {"figures_dir": str(tmp_path / "figs"), **params}, tmp_path / "out.ipynb")
    done = batch.run_job(job, html=False)
    assert done.status == "failed"
    assert expected in done.error
    assert "\n" not in done.error
    cell, message = _first_error_cell(done.output)
    tb = [o for c in json.loads(done.output.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])
          if o.get("output_type") == "error"][0]["traceback"]
    assert len(tb) == 1  # one line, not a traceback
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
