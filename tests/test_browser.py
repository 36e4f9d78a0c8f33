"""JupyterLab in a real browser (system Chromium driven by Playwright): Run All shows figures inline, no error cell.

Needs /usr/bin/chromium (CI installs it from Debian: .ci/run) and the playwright package; skips visibly otherwise.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN = "studies-browser-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # as `tasks.py shell jupyter lab` does
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])  # the kernel imports this checkout
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path_factory.mktemp("jupyter_config"))
    figures = tmp_path_factory.mktemp("figures")
    proc = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
                             f"--IdentityProvider.token={TOKEN}", "--ServerApp.ip=127.0.0.1",
                             f"--ServerApp.root_dir={REPO}", *(["--allow-root"] if os.geteuid() == 0 else [])], env={**env, "ANALYSIS_TEST_FIGURES": str(figures)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(1)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def _explorer_views(page) -> int:
    """Explorer outputs (issue 16) whose iframe document holds a drawn Vega view (canvas or svg in .vega-embed)."""
    frames = page.locator(".jp-OutputArea-output iframe")
    shown = 0
    for i in range(frames.count()):
        frames.nth(i).scroll_into_view_if_needed(timeout=30_000)  # windowed notebooks draw what is in view
        view = page.frame_locator(".jp-OutputArea-output iframe").nth(i).locator(
            ".vega-embed canvas, .vega-embed svg.marks")
        view.first.wait_for(state="attached", timeout=60_000)
        shown += view.count() > 0
    return shown


def _run_all(url: str, notebook: str, tmp_path: Path) -> tuple[int, list[str], int]:
    from playwright.sync_api import sync_playwright

    # a copy with figures_dir set, so the test never writes to the committed figures/
    copy = REPO / "notebooks" / f"zz_browser_{notebook}"
    text = (REPO / "notebooks" / notebook).read_text(encoding="utf-8")
    copy.write_text(text.replace('figures_dir: str = \\"\\"', f'figures_dir: str = \\"{tmp_path}\\"'), encoding="utf-8")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/lab/tree/notebooks/{copy.name}?token={TOKEN}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.wait_for_selector(".jp-StatusBar-TextItem:has-text('Idle')", timeout=120_000)  # kernel ready
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click(timeout=30_000)
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click(timeout=30_000)
            page.wait_for_timeout(2000)
            page.wait_for_function(
                "() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];"
                " return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }",
                timeout=420_000, polling=2000)
            images = page.locator(".jp-OutputArea-output img").count()
            visible = sum(page.locator(".jp-OutputArea-output img").nth(i).bounding_box() is not None
                          for i in range(images))
            stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            errors = [stderr.nth(i).inner_text()[:300] for i in range(stderr.count())]
            errors += [e.inner_text()[:300] for e in page.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").all()]
            explorers = _explorer_views(page)
            browser.close()
            return visible, errors, explorers
    finally:
        copy.unlink(missing_ok=True)


@pytest.mark.parametrize(("notebook", "n_explorers"), [("01_corpus_overview.ipynb", 0),
                                                       ("04_metric_trends.ipynb", 1)])
def test_run_all_shows_figures_inline(lab, notebook, n_explorers, tmp_path):
    visible, errors, explorers = _run_all(lab, notebook, tmp_path)
    assert visible >= 1, f"{notebook}: no figure shown inline"
    assert not errors, f"{notebook}: error output(s): {errors}"
    # issue 16: the explorer cell renders inline, an offline page in an iframe with its Vega view drawn
    assert explorers == n_explorers, f"{notebook}: {explorers} explorer view(s) drawn inline, {n_explorers} expected"


def test_chromium_flags_are_the_ci_ones():
    assert shutil.which("chromium") in (None, CHROMIUM) or Path(CHROMIUM).exists()
