"""The notebook batch without kernels: work shared across notebooks (explorer pages made once), jobs planned with
the page each comparison notebook writes, the inline figure taken from the saved PNG, and the cheap jsonschema
import behind the explorers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from analysis.errors import ParameterError
from analysis.explore import write_explorers
from analysis.explore.write import explorer_path
from analysis.pipeline import batch, display
from analysis.pipeline.study import open_study


@pytest.fixture(scope="module")
def batch_pages(tmp_path_factory):
    """The pages write_explorers makes from the build (what the batch wrote before notebooks shared theirs)."""
    from analysis.pipeline.build import build

    out = tmp_path_factory.mktemp("pages")
    write_explorers(build(None), out)
    return out


@pytest.mark.parametrize("notebook, view, kwargs", [
    ("02_policy_themes", "codes", {"by": "place"}),
    ("03_keyword_shifts", "terms", {"by": "part", "target": "plan", "reference": "summary"}),
    ("04_metric_trends", "indicators", {}),
])
def test_a_notebook_writes_the_page_the_batch_would_write(tmp_path, batch_pages, notebook, view, kwargs):
    page = tmp_path / f"{notebook}_explorer.html"
    study = open_study(notebook, figures_dir=str(tmp_path), explorer_page=str(page))
    shown = study.explorer(view, **kwargs)
    assert page.read_bytes() == explorer_path(batch_pages, notebook).read_bytes()
    assert shown.page == page.read_text(encoding="utf-8")
    assert shown._repr_html_().startswith("<iframe srcdoc=")  # the page made once is what the cell shows
    assert set(shown.tables) == set(shown.explorer.tables)  # everything else is the explorer's


def test_other_views_and_restricted_studies_leave_the_page_to_the_batch(tmp_path):
    page = tmp_path / "p.html"
    by_year = open_study("02_policy_themes", figures_dir=str(tmp_path), explorer_page=str(page))
    by_year.explorer("codes", by="doc_year")  # not the batch's view (by place)
    one_place = open_study("04_metric_trends", places=["阳江"], figures_dir=str(tmp_path), explorer_page=str(page))
    one_place.explorer("indicators")  # one place, not the whole corpus
    assert not page.exists()
    with pytest.raises(ParameterError, match="view"):
        by_year.explorer("wordcloud")


def test_jobs_carry_the_page_of_their_comparison_notebook_once(tmp_path):
    jobs = batch.plan_jobs(out=tmp_path, langs=("zh", "en"))
    pages = {(j.output.stem, j.parameters.get("explorer_page")) for j in jobs if j.parameters.get("explorer_page")}
    figures = tmp_path / "figures"
    assert pages == {(n, str(figures / f"{n}_explorer.html"))
                     for n in ("02_policy_themes", "03_keyword_shifts", "04_metric_trends")}  # zh jobs only


def test_the_batch_builds_only_the_pages_no_notebook_wrote(tmp_path, monkeypatch):
    import analysis.explore as explore

    def fake_run(job, html=True):
        page = job.parameters.get("explorer_page")
        if page and job.name == "02_policy_themes":  # 02 wrote its page; 03 and 04 did not
            (tmp_path / "out" / "figures").mkdir(parents=True, exist_ok=True)
            with open(page, "w", encoding="utf-8") as handle:
                handle.write("<html></html>")
        job.status = "ok"
        return job

    asked = []
    monkeypatch.setattr(batch, "run_job", fake_run)
    monkeypatch.setattr(explore, "write_explorers", lambda built, out, notebooks=None, **k: asked.append(notebooks))
    # a page left over from an earlier run does not count as written by this one
    stale = tmp_path / "out" / "figures" / "03_keyword_shifts_explorer.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    batch.run_collection(out=tmp_path / "out", only=["02", "03", "04"], progress=False)
    assert asked == [["03_keyword_shifts", "04_metric_trends"]]


def test_a_page_whose_writer_failed_is_built_when_another_language_ran(tmp_path, monkeypatch):
    import analysis.explore as explore

    def fake_run(job, html=True):  # the zh runs (the page writers) fail, the en runs succeed
        job.status = "failed" if job.parameters.get("lang", "zh") == "zh" else "ok"
        return job

    asked = []
    monkeypatch.setattr(batch, "run_job", fake_run)
    monkeypatch.setattr(explore, "write_explorers", lambda built, out, notebooks=None, **k: asked.append(notebooks))
    batch.run_collection(out=tmp_path / "out", only=["02", "04"], langs=("zh", "en"), progress=False)
    assert asked == [["02_policy_themes", "04_metric_trends"]]


def test_inline_figure_is_the_saved_png(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt
    from IPython import display as ipd

    shown = []
    monkeypatch.setattr(display, "_shell", lambda: object())
    monkeypatch.setattr(ipd, "display", lambda obj: shown.append(obj))
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot([0, 1], [0, 1])
    png = tmp_path / "f.png"
    fig.savefig(png, dpi=300)
    display.show_figure(fig, png=png)
    assert len(shown) == 1 and shown[0].data == png.read_bytes() and shown[0].width == 400
    assert not plt.fignum_exists(fig.number)  # closed: a kernel does not grow


def test_explorers_import_jsonschema_without_the_iri_grammars():
    code = ("import sys, analysis.explore, jsonschema; "
            "print(json.dumps(['rfc3987_syntax' in sys.modules, 'iri' in jsonschema.FormatChecker().checkers]))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [False, False]


def test_run_passes_the_figure_formats_to_every_notebook(tmp_path, monkeypatch):
    import pandas as pd

    from analysis.cli import main

    seen = {}

    def fake_collection(**kwargs):
        seen.update(kwargs)
        return pd.DataFrame(columns=["notebook", "parameters", "status", "seconds", "figures", "output", "error"])

    monkeypatch.setattr(batch, "run_collection", fake_collection)
    assert main(["run", "--out", str(tmp_path), "--formats", "png", "--format", "csv"]) == 0
    assert seen["extra"] == {"formats": ["png"]}
    assert main(["run", "--out", str(tmp_path), "--format", "csv"]) == 0
    assert seen["extra"] is None  # the notebooks' default: png, svg and pdf
    jobs = batch.plan_jobs(out=tmp_path, extra={"formats": ["png"]})
    assert {tuple(j.parameters["formats"]) for j in jobs} == {("png",)}
