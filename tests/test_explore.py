"""The explorers: the tables behind the views, the offline page, and (slow) a real browser clicking through them."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from analysis.explore import (
    code_cells,
    code_evidence,
    indicator_explorer,
    indicator_points,
    network_urls,
    term_contexts,
    term_points,
    write_explorers,
)
from analysis.terms import keyness
from analysis.themes import theme_shares

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
YJ = "yangjiang_2022_plan"
YJ_SECTION = "六、布局科技创新项目,强化核心技术攻关 > 24.创新项目管理方式"


@pytest.fixture(scope="module")
def built():
    from analysis.pipeline.build import build

    return build()


@pytest.fixture(scope="module")
def points(built):
    return term_points(built.tokens, by="part", target="plan", reference="summary")


@pytest.fixture(scope="module")
def pages(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("explorers")
    return {p.name.split("_explorer")[0]: p for p in write_explorers(built, out)}


def test_term_points_carry_the_keyness_statistics(built, points):
    kw = keyness(built.tokens, by="part", target="plan", reference="summary", classes=("content", "formulaic"))
    merged = points.merge(kw, on="term", suffixes=("", "_kw"))
    assert len(merged) == len(points) == len(kw) == points.attrs["n_terms"]
    for col in ("target_count", "reference_count", "g2", "log_ratio", "p_adjusted"):
        assert (merged[col] == merged[f"{col}_kw"]).all(), col
    row = points.set_index("term").loc["揭榜挂帅"]
    assert (row.target_count, row.reference_count, row.target_docs, row.reference_docs) == (1, 3, 1, 1)
    assert row.side == "neither" and row.kind == "content"
    assert points.set_index("term").loc["阳江", "kind"] == "place"
    assert points.set_index("term").loc["争取", "side"] == "target"
    assert set(points.loc[points["side"] == "target", "direction"]) == {"over"}
    assert (points.loc[points["side"] != "neither", "p_adjusted"] < 0.05).all()
    # a zero count sits at half a count's rate (times the jitter, at most 10**0.06)
    zero = points.set_index("term").loc["争取"]
    half = 0.5 * 1e4 / points.attrs["n_reference"]
    assert half / 10 ** 0.06 <= zero.x <= half * 10 ** 0.06


def test_formulaic_phrases_are_kept_and_marked(built, points):
    formulaic = set(built.tokens.loc[built.tokens["class"] == "formulaic", "token"])
    shown = points[points["kind"] == "formulaic"]
    assert len(shown) > 0 and set(shown["term"]) <= formulaic
    content_only = term_points(built.tokens, by="part", target="plan", reference="summary", classes=("content",))
    assert "formulaic" not in set(content_only["kind"])


def test_term_points_cap_keeps_key_terms_first(built, points):
    capped = term_points(built.tokens, by="part", target="plan", reference="summary", max_terms=20)
    assert len(capped) == 20 and capped.attrs["n_terms"] == len(points)
    strongest = points[points["side"] != "neither"].nlargest(10, "g2")["term"]
    assert set(strongest) <= set(capped["term"])
    rest = points[~points["term"].isin(strongest)]
    frequent = (rest.assign(total=rest["target_count"] + rest["reference_count"])
                .sort_values(["total", "term"], ascending=[False, True]).head(10)["term"])
    assert set(capped["term"]) - set(strongest) == set(frequent)


def test_term_contexts_are_the_token_occurrences_with_their_section(built, points):
    ctx = term_contexts(built.tokens, built.docs, points, window=10, per_term=8)
    lines = ctx[ctx["term"] == "揭榜挂帅"]
    assert len(lines) == ctx.attrs["n_occurrences"]["揭榜挂帅"] == 4
    yj = lines[lines["doc_id"] == YJ].iloc[0]
    assert (yj.part, yj.section_path, yj.group, yj.keyword) == ("plan", YJ_SECTION, "target", "揭榜挂帅")
    text = built.docs.set_index("doc_id").loc[YJ, "text"]
    assert text[yj.start:yj.end] == "揭榜挂帅" and yj.left == text[yj.start - 10:yj.start]
    # one line per document before any document repeats
    first_two = lines.sort_values("order").head(2)
    assert first_two["doc_id"].nunique() == 2
    capped = term_contexts(built.tokens, built.docs, points, per_term=2)
    assert capped.groupby("term").size().max() == 2


def test_indicator_points_have_their_section_and_quote(built):
    pts = indicator_points(built.metrics, built.units)
    assert len(pts) == len(built.metrics) and pts["point_id"].is_unique
    row = pts[(pts["indicator"] == "rd_intensity") & (pts["value"] == 3.54)].iloc[0]
    assert (row.place, row.year, row.kind, row.part) == ("东莞", 2021, "actual", "summary")
    assert row.quote == "全市R&D投入强度提升至3.54%"
    sentences = pts.attrs["sentences"].set_index("u")
    assert sentences.loc[row.u, "unit_id"] == row.unit_id
    units = built.units.set_index("unit_id")
    assert (pts["section_path"].fillna("") == pts["unit_id"].map(units["section_path"]).fillna("")).all()


def test_indicator_points_fall_back_to_city(built):
    metrics = built.metrics.drop(columns=[c for c in ("place",) if c in built.metrics])
    pts = indicator_points(metrics, built.units)
    assert list(pts["place"]) == list(metrics["city"].fillna("unknown"))
    assert indicator_points(metrics.assign(place="X"), built.units)["place"].eq("X").all()


def test_code_cells_and_evidence(built):
    cells = code_cells(built.themes, built.instruments, built.units, by="place")
    shares = theme_shares(built.themes, built.units, by="place")
    th = cells[cells["scheme"] == "theme"].set_index(["group", "category"])["share"]
    assert th.to_dict() == shares.set_index(["group", "theme"])["share"].to_dict()
    ev = code_evidence(built.themes, built.instruments, built.units, by="place", per_cell=3)
    assert ev.groupby(["scheme", "group", "category"]).size().max() == 3
    talent = ev[(ev["scheme"] == "theme") & (ev["group"] == "阳江") & (ev["category"] == "talent")]
    coded = built.themes[(built.themes["theme"] == "talent") & (built.themes["doc_id"] == YJ)]
    assert set(talent["unit_id"]) <= set(coded["unit_id"]) and len(talent) == 3
    assert talent["n_hits"].is_monotonic_decreasing
    assert set(talent["cues"]) <= set(coded["cues"])


def test_pages_are_self_contained(pages):
    assert set(pages) == {"02_policy_themes", "03_keyword_shifts", "04_metric_trends"}
    for path in pages.values():
        page = path.read_text(encoding="utf-8")
        assert network_urls(page) == [], path.name
        assert not re.search(r"""<(script|link)[^>]+(src|href)=""", page), path.name
        assert "Noto Sans CJK SC" in page and "Microsoft YaHei" in page
        assert "vegaEmbed(" in page and '<html lang="zh-CN">' in page
    spec = _spec(pages["03_keyword_shifts"])
    assert {"points", "contexts", "sentences"} <= set(spec["datasets"])
    assert "揭榜挂帅" in {p["term"] for p in spec["datasets"]["points"]}


def test_network_urls_finds_fetches():
    page = ('<script src="https://cdn.example.org/vega.js"></script><link href="//fonts.example.org/a.css">'
            '<style>@font-face{src:url(https://x.example.org/f.woff)}</style><script>var s="https://not.fetched";</script>')
    assert network_urls(page) == ["//fonts.example.org/a.css", "https://cdn.example.org/vega.js",
                                  "https://x.example.org/f.woff"]


def test_write_explorers_falls_back_and_skips_with_a_warning(built, tmp_path):
    from analysis.errors import AnalysisWarning

    with pytest.warns(AnalysisWarning, match="not in this corpus"):
        paths = write_explorers(built, tmp_path, by="part", target="nothing", notebooks=["03_keyword_shifts"])
    assert [p.name for p in paths] == ["03_keyword_shifts_explorer.html"]
    with pytest.warns(AnalysisWarning, match="04_metric_trends: explorer not written"):
        none = write_explorers(_Tables(built, metrics=built.metrics.iloc[0:0]), tmp_path,
                               notebooks=["04_metric_trends", "05_city_profile"])
    assert none == []


def test_explorer_renders_in_a_notebook(built):
    ex = indicator_explorer(built.metrics, built.units)
    html = ex._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "vegaEmbed(" in html
    assert ex.spec["datasets"]["values"][0]["quote"] == built.metrics["quote"].iloc[0]


class _Tables:
    def __init__(self, built, **override):
        self.built, self.override = built, override

    def table(self, name):
        return self.override.get(name, self.built.table(name))


def _spec(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r"vegaEmbed\('#vis', (\{.*?\}), \{\"renderer\"", text, re.S).group(1))


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                              args=ARGS)
        yield b
        b.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1500, "height": 1400})
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
    page.goto(path.as_uri())
    page.wait_for_function("window.explorerReady === true", timeout=60_000)
    assert page.evaluate("document.body.getAttribute('data-error')") is None
    return page, fetched


def _texts(page) -> list[str]:
    return page.locator("#vis svg text").all_text_contents()


@pytest.mark.slow
def test_browser_term_search_click_kwic(browser, pages):
    page, fetched = _open(browser, pages["03_keyword_shifts"])
    page.fill(".vega-bindings input[type=search]", "揭榜挂帅")
    page.locator('#vis path[aria-label="揭榜挂帅"]').first.click()
    page.get_by_text("揭榜挂帅 — 4 occurrences", exact=False).first.wait_for(timeout=10_000)
    texts = _texts(page)
    header = [t for t in texts if t.startswith(f"{YJ} · plan · ")]
    assert header and header[0].replace("…", "") in f"{YJ} · plan · {YJ_SECTION}"
    assert texts.count("揭榜挂帅") >= 4  # the keyword column of the four KWIC lines (and the search label)
    # a click on the line shows its whole sentence
    page.locator("#vis text", has_text=header[0]).first.click()
    page.wait_for_timeout(300)
    assert any("重点支持省内外有研究开发能力" in t for t in _texts(page))
    assert fetched == []
    page.close()


@pytest.mark.slow
def test_browser_indicator_point_to_quote(browser, pages):
    page, fetched = _open(browser, pages["04_metric_trends"])
    page.select_option(".vega-bindings select", "rd_intensity")
    page.locator('#vis path[aria-label="东莞 2021 3.54% actual"]').first.click()
    page.get_by_text("“全市R&D投入强度提升至3.54%”", exact=True).first.wait_for(timeout=10_000)
    texts = _texts(page)
    assert "东莞 · 2021 · actual · 3.54 %" in texts
    assert any(t.startswith("dongguan_2021_summary_2022_plan · summary") for t in texts)
    assert fetched == []
    page.close()


def test_vega_bundle_is_made_once_and_kept_in_the_cache(tmp_path, monkeypatch):
    """vl-convert assembles the bundle at every call (~1 s per kernel); the page reads it from the cache after the
    first time, and a damaged cached file is made again rather than served."""
    import vl_convert

    from analysis.explore import page

    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path))
    page.vega_bundle.cache_clear()
    calls = []
    real = vl_convert.javascript_bundle

    def counting(**kw):
        calls.append(kw)
        return real(**kw)

    monkeypatch.setattr(vl_convert, "javascript_bundle", counting)
    first = page.vega_bundle()
    assert len(calls) == 1 and "vegaEmbed" in first
    cached = list((tmp_path / "vega").glob("bundle-*.js"))
    assert len(cached) == 1 and cached[0].read_text(encoding="utf-8") == first
    page.vega_bundle.cache_clear()
    assert page.vega_bundle() == first and len(calls) == 1      # read from the cache, not made again
    cached[0].write_text(first[: len(first) // 2], encoding="utf-8")  # a truncated file
    page.vega_bundle.cache_clear()
    assert page.vega_bundle() == first and len(calls) == 2
    assert cached[0].read_text(encoding="utf-8") == first
    page.vega_bundle.cache_clear()
