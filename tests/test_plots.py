"""Tests of analysis.plots: style and CJK font, save_figure (formats, embedded fonts, determinism, index), plots."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import plots  # noqa: E402
from analysis.errors import ParameterError  # noqa: E402

CITIES = ["东莞", "中山", "广州", "阳江"]
THEMES = ["talent", "enterprise_cultivation", "innovation_platforms", "sci_tech_finance", "institutional_reform"]
TERMS = ["松山湖", "高新技术企业", "科技成果转化", "新型研发机构", "大湾区", "孵化器", "人才", "产业链", "专精特新",
         "党建", "创新券", "知识产权", "重点实验室", "揭榜挂帅", "技术合同", "众创空间", "科技金融", "风险投资"]


# ---------------------------------------------------------------- fixtures and seeded synthetic tidy data

@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _paper_theme():
    plots.set_theme("paper")
    yield


def keyness_data(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    score = rng.normal(0, 30, len(TERMS))
    df = pd.DataFrame({"term": TERMS, "g2": np.abs(score), "direction": np.where(score > 0, "over", "under"),
                       "score": score})
    df.attrs.update(measure="g2", target="东莞", reference=None)
    return df


def heatmap_data(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame([{"city": c, "theme": t, "share": s} for c in CITIES
                         for t, s in zip(THEMES, rng.dirichlet(np.ones(len(THEMES))))])


def stacked_data(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame([{"city": c, "instrument_type": t, "n": int(rng.integers(5, 80))} for c in CITIES
                         for t in ("supply", "environment", "demand")])


def metric_data() -> pd.DataFrame:
    rows = [("东莞", 2020, 6381, "actual", "exact"), ("东莞", 2021, 7400, "actual", "lower_bound"),
            ("东莞", 2022, 8000, "target", "lower_bound"), ("中山", 2021, 2200, "actual", "approx"),
            ("中山", 2022, 2500, "estimate", "exact"), ("中山", 2024, 3000, "target", "upper_bound")]
    df = pd.DataFrame(rows, columns=["city", "year", "value", "kind", "qualifier"])
    return df.assign(indicator="高新技术企业数量", unit="家")


def shift_data(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"label": THEMES, "before_share": rng.uniform(0.02, 0.3, len(THEMES)),
                         "after_share": rng.uniform(0.02, 0.3, len(THEMES))})


def timeline_data(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i, term in enumerate(TERMS[:8]):
        first = 2019 + i % 5
        rows += [{"term": term, "year": y, "value": float(rng.integers(1, 40))} for y in range(first, 2025)
                 if y == first or rng.random() < 0.7]
    return pd.DataFrame(rows)


def bars_data(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame([{"city": c, "part": p, "n_chars": int(rng.integers(2000, 12000))} for c in CITIES
                         for p in ("summary", "plan")])


def cloud_data(seed: int = 0) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    return {t: float(rng.integers(1, 100)) for t in TERMS}


PLOTS = {
    "keyness": lambda ax: plots.plot_keyness(keyness_data(), ax=ax, top=8),
    "heatmap": lambda ax: plots.plot_heatmap(heatmap_data(), x="theme", y="city", value="share", ax=ax),
    "stacked_shares": lambda ax: plots.plot_stacked_shares(stacked_data(), group="city", category="instrument_type",
                                                           value="n", ax=ax),
    "metric_trend": lambda ax: plots.plot_metric_trend(metric_data(), ax=ax),
    "shift": lambda ax: plots.plot_shift(shift_data(), ax=ax),
    "timeline": lambda ax: plots.plot_timeline(timeline_data(), ax=ax),
    "bars": lambda ax: plots.plot_bars(bars_data(), x="city", y="n_chars", hue="part", ax=ax),
    "wordcloud": lambda ax: plots.plot_wordcloud(cloud_data(), ax=ax, width=400, height=225),
}


def glyph_warnings(records) -> list[str]:
    return [str(w.message) for w in records if "glyph" in str(w.message).lower()]


def demo_figure():
    """A small figure with Chinese, Latin and digits (used by the determinism tests, also in a subprocess)."""
    fig, ax = plt.subplots(figsize=plots.figure_size("column"), layout="constrained")
    plots.plot_bars(bars_data(), x="city", y="n_chars", hue="part", ax=ax)
    ax.set_title("各市文本长度 Text length 2021年")
    return fig


def write_demo(out_dir: str, style: str = "paper") -> None:
    """Entry point of the subprocess test: save demo_figure() with save_figure."""
    plots.set_theme(style)
    plots.save_figure(demo_figure(), "demo", out_dir=out_dir, caption="演示", notebook="test",
                      parameters={"city": "东莞"})


def pdf_fonts(path: Path) -> list[dict]:
    """The fonts of every page of a PDF, read with pypdf: BaseFont, Subtype, descendant subtype, FontFile2."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            entry = {"base": str(font["/BaseFont"]), "subtype": str(font["/Subtype"])}
            if "/DescendantFonts" in font:
                desc = font["/DescendantFonts"].get_object()[0].get_object()
                entry["descendant"] = str(desc["/Subtype"])
                entry["fontfile2"] = "/FontFile2" in desc["/FontDescriptor"].get_object()
            out.append(entry)
    return out


# ---------------------------------------------------------------- font and theme

def test_cjk_font_path_is_truetype_and_covers_gb2312():
    from fontTools.ttLib import TTFont

    path = plots.cjk_font_path()
    assert Path(path).is_file()
    with TTFont(path, fontNumber=0, lazy=True) as font:
        assert "glyf" in font
        cmap = font.getBestCmap()
    hanzi = [bytes([hi, lo]).decode("gb2312") for hi in range(0xB0, 0xF8) for lo in range(0xA1, 0xFF)
             if not (hi == 0xD7 and lo > 0xF9)]
    assert len(hanzi) == 6763
    assert all(ord(c) in cmap for c in hanzi)
    assert all(ord(c) in cmap for c in "，。、；：（）《》≥≈≤%")


def test_set_theme_rcparams():
    plots.set_theme("paper")
    rc = matplotlib.rcParams
    assert rc["pdf.fonttype"] == 42 and rc["ps.fonttype"] == 42
    assert rc["svg.fonttype"] == "path" and rc["svg.hashsalt"] == "analysis"
    assert rc["axes.unicode_minus"] is False
    # the common-character cut of the CJK face first, the full face behind it for rare characters
    assert rc["font.family"][:2] == ["WenQuanYi Micro Hei Common", "WenQuanYi Micro Hei"]
    assert rc["savefig.dpi"] == 300
    plots.set_theme("paper", lang="en")
    assert matplotlib.rcParams["font.family"][:3] == ["DejaVu Sans", "WenQuanYi Micro Hei Common",
                                                      "WenQuanYi Micro Hei"]
    with pytest.raises(ParameterError):
        plots.set_theme("poster")
    with pytest.raises(ParameterError):
        plots.set_theme("paper", lang="fr")


def test_to_truetype_converts_cff_outlines(tmp_path):
    from fontTools import subset
    from fontTools.ttLib import TTFont

    src = plots.bundled_font_path("journal")
    with TTFont(str(src), lazy=True) as font:
        assert "CFF " in font and "glyf" not in font
    # A small CFF font made from the bundled one keeps the test fast.
    options = subset.Options()
    small = subset.load_font(str(src), options)
    sub = subset.Subsetter(options)
    sub.populate(text="东莞市科技创新2022")
    sub.subset(small)
    cff = tmp_path / "small.otf"
    small.save(str(cff))
    out = plots.to_truetype(cff, cache=tmp_path / "cache")
    assert out != cff and out.parent == tmp_path / "cache"
    with TTFont(str(out)) as font:
        assert "glyf" in font and "CFF " not in font
        assert {ord(c) for c in "东莞市科技创新2022"} <= set(font.getBestCmap())
        assert font["glyf"][font.getBestCmap()[ord("东")]].numberOfContours > 0
    assert plots.to_truetype(cff, cache=tmp_path / "cache") == out  # cached
    assert plots.to_truetype(out) == out  # already TrueType


# ---------------------------------------------------------------- plot functions

@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plot_returns_given_axes_without_missing_glyphs(name):
    fig, ax = plt.subplots(figsize=plots.figure_size("full"), layout="constrained")
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        out = PLOTS[name](ax)
        for fmt in ("png", "pdf", "svg"):
            fig.savefig(io.BytesIO(), format=fmt)
    assert out is ax
    assert glyph_warnings(records) == []


@pytest.mark.parametrize("name", ["keyness", "metric_trend", "heatmap"])
def test_plot_journal_style_without_missing_glyphs(name):
    plots.set_theme("journal")
    fig, ax = plt.subplots()
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        assert PLOTS[name](ax) is ax
        fig.savefig(io.BytesIO(), format="pdf")
    assert glyph_warnings(records) == []


def test_plot_without_ax_creates_constrained_figure():
    ax = plots.plot_shift(shift_data())
    assert ax.figure.get_layout_engine() is not None
    assert ax.figure.get_figwidth() == pytest.approx(16 / 2.54)


def test_plot_keyness_bars_and_order():
    fig, ax = plt.subplots()
    data = keyness_data()
    plots.plot_keyness(data, ax=ax, top=3)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    over = data[data["score"] > 0].nlargest(3, "score")["term"].tolist()
    under = data[data["score"] < 0].nsmallest(3, "score")["term"].tolist()
    assert labels == over + under[::-1]  # most over-used on top, most under-used at the bottom
    widths = [p.get_width() for p in ax.patches]
    assert widths[:3] == pytest.approx(sorted(data["score"].nlargest(3), reverse=True))
    assert ax.get_xlabel() == "G²（对数似然比）"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["东莞多用", "其余文档多用"]


def test_plot_keyness_signs_unsigned_g2_by_direction():
    data = pd.DataFrame({"term": ["甲", "乙"], "g2": [5.0, 7.0], "direction": ["over", "under"]})
    fig, ax = plt.subplots()
    plots.plot_keyness(data, ax=ax)
    assert [p.get_width() for p in ax.patches] == [5.0, -7.0]


def test_plot_stacked_shares_normalises_per_group():
    fig, ax = plt.subplots()
    data = pd.DataFrame({"city": ["东莞", "东莞", "中山"], "kind": ["a", "b", "a"], "n": [1, 3, 5]})
    plots.plot_stacked_shares(data, group="city", category="kind", value="n", ax=ax)
    bars = [(p.get_y(), p.get_x(), p.get_width()) for p in ax.patches]
    assert [round(w, 6) for _, _, w in bars] == [0.25, 1.0, 0.75, 0.0]
    assert bars[2][1] == pytest.approx(0.25)  # b starts where a ends
    assert all(p.get_hatch() for p in ax.patches[2:])  # second category hatched for greyscale


def test_plot_heatmap_rejects_duplicate_cells():
    data = pd.concat([heatmap_data(), heatmap_data().head(1)])
    with pytest.raises(ParameterError):
        plots.plot_heatmap(data, x="theme", y="city", value="share")


def test_plot_metric_trend_markers_and_hedges():
    fig, ax = plt.subplots()
    plots.plot_metric_trend(metric_data(), ax=ax)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["≈", "≤", "≥", "≥"]
    assert ax.get_ylabel() == "高新技术企业数量（家）"
    with pytest.raises(ParameterError):
        plots.plot_metric_trend(metric_data().assign(indicator=["a", "b"] * 3))
    with pytest.raises(ParameterError):
        plots.plot_metric_trend(metric_data().assign(kind="forecast"))


def test_plot_timeline_first_year_order():
    fig, ax = plt.subplots()
    data = pd.DataFrame({"term": ["乙", "甲", "甲", "丙"], "year": [2021, 2019, 2022, 2019], "value": [1, 5, 2, 1]})
    plots.plot_timeline(data, ax=ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["甲", "丙", "乙"]


def test_plot_wordcloud_is_deterministic():
    fig, (a, b) = plt.subplots(1, 2)
    plots.plot_wordcloud(cloud_data(), ax=a, width=300, height=200, random_state=3)
    plots.plot_wordcloud(pd.DataFrame({"term": list(cloud_data()), "count": list(cloud_data().values())}), ax=b,
                         width=300, height=200, random_state=3)
    first, second = a.get_images()[0].get_array(), b.get_images()[0].get_array()
    assert np.array_equal(first, second)
    assert (np.asarray(first) < 200).any()  # words were drawn


def test_missing_columns_are_named():
    with pytest.raises(ParameterError, match="term"):
        plots.plot_keyness(pd.DataFrame({"g2": [1.0]}))


# ---------------------------------------------------------------- labels

def test_city_label_from_gazetteer(tmp_path):
    gaz = tmp_path / "gaz.csv"
    gaz.write_text("name,short,level,province,name_en,aliases\n东莞市,东莞,prefecture,广东,Dongguan,莞\n",
                   encoding="utf-8")
    assert plots.city_label("东莞", "en", gazetteer=gaz) == "Dongguan"
    assert plots.city_label("东莞市", "zh", gazetteer=gaz) == "东莞"
    assert plots.city_label("莞", "en", gazetteer=gaz) == "Dongguan"
    assert plots.city_label("江门", "en", gazetteer=gaz) == "江门"
    assert plots.city_label("东莞", "en", gazetteer=tmp_path / "missing.csv") == "东莞"


def test_theme_label_from_taxonomy(tmp_path):
    tax = tmp_path / "t.yaml"
    tax.write_text("themes:\n  - id: talent\n    label_zh: 科技人才\n    label_en: Talent\n", encoding="utf-8")
    assert plots.theme_label("talent", "zh", taxonomies=[tax]) == "科技人才"
    assert plots.theme_label("科技人才", "en", taxonomies=[tax]) == "Talent"
    assert plots.theme_label("other", "en", taxonomies=[tax]) == "other"
    assert plots.label("year", "column", "en") == "Year"
    assert plots.label("未知", "auto", "en") == "未知"


def test_wrap_label():
    assert plots.wrap_label("创新平台与载体", 10) == "创新平台\n与载体"
    assert plots.wrap_label("东莞", 10) == "东莞"
    assert plots.wrap_label("dongguan_2021_summary_2022_plan", 16) == "dongguan_2021_\nsummary_2022_\nplan"
    assert all(len(line) <= 5 for line in plots.wrap_label("体制机制改革与政策环境", 10).split("\n"))
    # an opening bracket never ends a line: the English unit label breaks at the space before it
    assert plots.wrap_label("High-tech enterprises (stock) (firms)", 24) == "High-tech enterprises\n(stock) (firms)"
    assert not any(line.endswith(("(", "（")) for line in plots.wrap_label("高新技术企业（存量）（家）", 12).split("\n"))


def _year_labels(ax) -> list[str]:
    ax.figure.canvas.draw()
    lo, hi = ax.get_xlim()
    return [t.get_text() for t, v in zip(ax.get_xticklabels(), ax.get_xticks()) if lo <= v <= hi]


def test_year_ticks_thin_out_on_a_narrow_axis_and_never_overlap():
    rows = [{"place": "东莞", "year": y, "value": float(y - 2000), "kind": "actual"} for y in range(2011, 2024)]
    data = pd.DataFrame(rows)
    wide = plots.plot_metric_trend(data, ax=plt.subplots(figsize=plots.figure_size("full"))[1], legend=False)
    narrow = plots.plot_metric_trend(data, ax=plt.subplots(figsize=plots.figure_size(4.0))[1], legend=False)
    wide_labels, narrow_labels = _year_labels(wide), _year_labels(narrow)
    assert narrow_labels and len(narrow_labels) < len(wide_labels) <= 13
    assert all(label.isdigit() and len(label) == 4 for label in wide_labels + narrow_labels)
    for ax in (wide, narrow):
        renderer = ax.figure.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        lo, hi = ax.get_xlim()
        boxes = [b for b, v in zip(boxes, ax.get_xticks()) if lo <= v <= hi]
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:])), [(b.x0, b.x1) for b in boxes]
        plt.close(ax.figure)


# ---------------------------------------------------------------- save_figure

def test_save_figure_writes_formats_and_embeds_truetype_subset(tmp_path):
    from PIL import Image

    fig = demo_figure()
    paths = plots.save_figure(fig, "demo", out_dir=tmp_path, caption="演示", notebook="01_corpus_overview.ipynb",
                              parameters={"city": "东莞", "top": 20})
    assert [p.name for p in paths] == ["demo.png", "demo.svg", "demo.pdf"]
    png, svg, pdf = paths
    with Image.open(png) as im:
        assert im.size == (int(8 / 2.54 * 300), int(6 / 2.54 * 300))
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.1)
        assert im.info.get("Software") == "analysis"
    fonts = pdf_fonts(pdf)
    assert fonts, "no font in the PDF"
    for font in fonts:
        assert font["subtype"] == "/Type0", font
        assert font["descendant"] == "/CIDFontType2", font
        assert font["fontfile2"], font
        assert re.match(r"^/[A-Z]{6}\+", font["base"]), font  # subset tag
    assert any("WenQuanYiMicroHei" in f["base"] for f in fonts)
    raw = pdf.read_bytes()
    assert b"/Type3" not in raw and b"/FontFile3" not in raw
    assert b"CreationDate" not in raw
    assert pdf.stat().st_size < 1_000_000
    assert b"<text" not in svg.read_bytes()  # glyphs as paths
    with pytest.raises(ParameterError):
        plots.save_figure(fig, "demo.pdf", out_dir=tmp_path)
    with pytest.raises(ParameterError):
        plots.save_figure(fig, "demo", out_dir=tmp_path, formats=("jpg",))


def test_save_figure_journal_pdf_embeds_serif_truetype(tmp_path):
    plots.set_theme("journal")
    (pdf,) = plots.save_figure(demo_figure(), "journal", out_dir=tmp_path, formats=("pdf",))
    fonts = pdf_fonts(pdf)
    assert {f["descendant"] for f in fonts} == {"/CIDFontType2"}
    assert all(f["fontfile2"] for f in fonts)
    bases = " ".join(f["base"] for f in fonts)
    assert "NotoSerifSC" in bases and "STIXGeneral" in bases
    assert pdf.stat().st_size < 1_000_000


def test_save_figure_is_byte_identical_twice_and_across_processes(tmp_path):
    first = plots.save_figure(demo_figure(), "demo", out_dir=tmp_path / "a")
    second = plots.save_figure(demo_figure(), "demo", out_dir=tmp_path / "b")
    for x, y in zip(first, second):
        assert x.read_bytes() == y.read_bytes(), x.name
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import test_plots; test_plots.write_demo({str(tmp_path / 'c')!r})")
    env = {**__import__("os").environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=600)
    for x in first:
        other = tmp_path / "c" / x.name
        if x.suffix in (".svg", ".pdf", ".png"):
            assert x.read_bytes() == other.read_bytes(), x.name


def test_index_csv_rows_replaced_and_sorted(tmp_path):
    fig = demo_figure()
    plots.save_figure(fig, "b_fig", out_dir=tmp_path, caption="第一版", parameters={"z": 1, "a": "东莞"})
    plots.save_figure(fig, "a_fig", out_dir=tmp_path, formats=("png",), notebook="nb.ipynb")
    plots.save_figure(fig, "b_fig", out_dir=tmp_path, caption="第二版", parameters={"z": 2, "a": "东莞"})
    index = pd.read_csv(tmp_path / "index.csv", dtype=str, keep_default_na=False)
    assert list(index.columns) == ["file", "notebook", "parameters", "caption"]
    assert index["file"].tolist() == ["a_fig.png", "b_fig.pdf", "b_fig.png", "b_fig.svg"]
    row = index.set_index("file").loc["b_fig.pdf"]
    assert row["caption"] == "第二版"
    assert json.loads(row["parameters"]) == {"a": "东莞", "z": 2}
    assert row["parameters"] == '{"a": "东莞", "z": 2}'
    assert index.set_index("file").loc["a_fig.png", "notebook"] == "nb.ipynb"


# ---------------------------------------------------------------- what a publisher's tools see

def _chinese_only_pdf(tmp_path: Path, style: str) -> Path:
    plots.set_theme(style)
    fig = plt.figure(figsize=(3, 1))
    fig.text(0.05, 0.3, "东莞科技创新", fontsize=28)  # Chinese only: a blank render means invisible CJK glyphs
    (pdf,) = plots.save_figure(fig, f"zh_{style}", out_dir=tmp_path, formats=("pdf",))
    return pdf


@pytest.mark.parametrize("style", ["paper", "journal"])
def test_pdffonts_reports_embedded_cid_truetype(tmp_path, style):
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdffonts) not installed")
    pdf = _chinese_only_pdf(tmp_path, style)
    result = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()[2:]
    assert lines and all("CID TrueType" in line and line.split()[-5:-2] == ["yes", "yes", "yes"] for line in lines)
    assert "Mismatch" not in result.stdout + result.stderr


@pytest.mark.parametrize("engine", ["pdftoppm", "mutool"])
@pytest.mark.parametrize("style", ["paper", "journal"])
def test_chinese_text_visible_when_rendered(tmp_path, style, engine):
    from PIL import Image

    if shutil.which(engine) is None:
        pytest.skip(f"{engine} not installed")
    pdf = _chinese_only_pdf(tmp_path, style)
    out = tmp_path / f"render_{engine}.png"
    if engine == "pdftoppm":
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(out.with_suffix(""))],
                       check=True, capture_output=True)
    else:
        subprocess.run(["mutool", "draw", "-q", "-r", "100", "-o", str(out), str(pdf)], check=True,
                       capture_output=True)
    with Image.open(out) as im:
        grey = np.asarray(im.convert("L"))
    dark = (grey < 128).mean()
    assert 0.02 < dark < 0.5, f"{engine} drew {dark:.1%} dark pixels: Chinese glyphs missing?"


def test_plot_heatmap_highlight_outlines_row():
    fig, ax = plt.subplots()
    plots.plot_heatmap(heatmap_data(), x="theme", y="city", value="share", ax=ax, highlight="中山")
    (box,) = [p for p in ax.patches if not p.get_fill()]
    assert (box.get_x(), box.get_y(), box.get_width(), box.get_height()) == (0, 1, len(THEMES), 1)
    with pytest.raises(ParameterError):
        plots.plot_heatmap(heatmap_data(), x="theme", y="city", value="share", highlight="江门")


def test_plot_stacked_shares_absolute_values():
    fig, ax = plt.subplots()
    data = pd.DataFrame({"doc": ["a", "a", "b"], "part": ["summary", "plan", "plan"], "chars": [100, 300, 50]})
    plots.plot_stacked_shares(data, group="doc", category="part", value="chars", normalize=False, ax=ax)
    assert [p.get_width() for p in ax.patches] == [100, 0, 300, 50]
    assert ax.get_xlabel() == "字数"


def test_plot_timeline_accepts_emergence_table():
    fig, ax = plt.subplots()
    data = pd.DataFrame({"term": ["甲", "乙"], "first_year": [2021, 2019], "total_count": [3, 4]})
    plots.plot_timeline(data, ax=ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["乙", "甲"]


def test_plot_metric_trend_line_through_mean_of_conflicting_values():
    fig, ax = plt.subplots()
    data = pd.DataFrame({"city": ["东莞"] * 3, "year": [2020, 2021, 2021], "value": [3.0, 3.5, 4.0],
                         "kind": ["actual"] * 3})
    plots.plot_metric_trend(data, ax=ax)
    line = ax.get_lines()[0]
    # actual values sit just left of the year (estimates on it, targets right of it): none hides another
    assert list(line.get_xdata()) == pytest.approx([2019.94, 2020.94]) and list(line.get_ydata()) == [3.0, 3.75]
    markers = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert sorted(markers[0].get_ydata()) == [3.0, 3.5, 4.0]


def test_save_figure_leaves_only_figures_and_index(tmp_path):
    plots.save_figure(demo_figure(), "demo", out_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.pdf", "demo.png", "demo.svg", "index.csv"]


# ---------------------------------------------------------------- the common-character face

def test_common_face_holds_gb2312_only_with_the_fonts_own_glyphs():
    from fontTools.ttLib import TTFont

    from analysis.plots.fonts import common_codepoints, common_face, font_family

    full = plots.cjk_font_path()
    face = common_face(full)
    assert font_family(face) == font_family(full) + " Common"
    with TTFont(str(face), lazy=True) as cut, TTFont(full, fontNumber=0, lazy=True) as whole:
        cmap, whole_cmap = cut.getBestCmap(), whole.getBestCmap()
        # the cut keeps the common characters (and a few symbols that share their glyphs)
        assert common_codepoints() & set(whole_cmap) <= set(cmap) and len(cmap) > 7000
        assert len(set(cmap) - common_codepoints()) < 100 and len(cmap) < len(whole_cmap) / 2
        assert ord("镕") not in cmap and ord("镕") in whole_cmap          # outside GB 2312: left to the full font
        for ch in "东莞科技创新":                                          # same outline, same advance
            g, w = cmap[ord(ch)], whole_cmap[ord(ch)]
            assert cut["hmtx"][g] == whole["hmtx"][w]
            ours, theirs = (f["glyf"][n].getCoordinates(f["glyf"]) for f, n in ((cut, g), (whole, w)))
            assert list(ours[0]) == list(theirs[0]) and list(ours[1]) == list(theirs[1])
    assert common_face(full) == face                                     # made once, then reused


@pytest.mark.parametrize("style", ["paper", "journal"])
def test_rare_characters_fall_back_to_the_full_font(tmp_path, style):
    """A character outside GB 2312 (镕) is drawn from the full font: no missing-glyph warning, and the PDF embeds
    the full face beside the common one; a figure of common characters embeds the common face only."""
    plots.set_theme(style)
    fig = plt.figure(figsize=(3, 1))
    fig.text(0.05, 0.3, "朱镕基 科技", fontsize=20)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (pdf, png) = plots.save_figure(fig, f"rare_{style}", out_dir=tmp_path, formats=("pdf", "png"))
    assert not [w for w in caught if "missing from" in str(w.message)]
    bases = [f["base"] for f in pdf_fonts(pdf)]
    cjk = "WenQuanYiMicroHei" if style == "paper" else "NotoSerifSC"
    common = [b for b in bases if cjk in b and "Common" in b]
    full = [b for b in bases if cjk in b and "Common" not in b]
    assert common and full, bases
    (common_only,) = plots.save_figure(demo_figure(), f"common_{style}", out_dir=tmp_path, formats=("pdf",))
    assert not [b for b in (f["base"] for f in pdf_fonts(common_only)) if cjk in b and "Common" not in b]


def test_figures_still_drawn_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    """A read-only cache folder only costs the common face: the theme falls back to the full font alone."""
    import os

    from analysis.plots import style

    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    if os.access(ro, os.W_OK):  # root ignores the mode: make the folder a file's child instead
        os.chmod(ro, 0o755)
        (tmp_path / "file").write_text("x", encoding="utf-8")
        ro = tmp_path / "file" / "cache"
    monkeypatch.setenv("ANALYSIS_CACHE", str(ro))
    families = style.cjk_families(plots.cjk_font_path())
    assert families == ["WenQuanYi Micro Hei"]
    plots.set_theme("paper")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buf = io.BytesIO()
        demo_figure().savefig(buf, format="pdf")
    assert buf.getvalue().startswith(b"%PDF") and not [w for w in caught if "missing from" in str(w.message)]
    monkeypatch.undo()
    plots.set_theme("paper")  # leave the usual theme (with the common face) for the tests that follow
