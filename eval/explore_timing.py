"""Time to interactive and file size of the explorer pages, in headless Chromium, for the seeds and a real corpus.

    python eval/explore_timing.py [CORPUS ...]      (default: the seeds and ../shared/corpora/provincial_gwr_2025)

Writes the pages to .cache/explore_timing/<name>/ and prints a table: page, size (MB), time to interactive (median
of 3 loads: from navigation start to the Vega view having run), and the time a search + click takes to show a
term's KWIC lines. Skips a corpus that is absent, and everything when Chromium or Playwright is missing.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def measure(page_path: Path, browser, term: str | None) -> tuple[float, float | None]:
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(page_path.as_uri())
    page.wait_for_function("window.explorerReady === true", timeout=120_000)
    ready = page.evaluate("window.explorerReadyAt") / 1000
    click = None
    if term:
        t0 = time.perf_counter()
        page.fill(".vega-bindings input[type=search]", term)
        page.locator(f'#vis path[aria-label="{term}"]').first.click()
        page.get_by_text(f"{term} — ", exact=False).first.wait_for(timeout=30_000)
        click = time.perf_counter() - t0
    page.close()
    return ready, click


def main(corpora: list[str]) -> int:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("skipped: playwright is not installed")
        return 0
    if not CHROMIUM.exists():
        print(f"skipped: no Chromium at {CHROMIUM}")
        return 0
    from analysis.explore import write_explorers
    from analysis.pipeline.build import build

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for corpus in corpora:
            if corpus and not Path(corpus).exists():
                print(f"skipped {corpus}: not found")
                continue
            built = build(corpus or None)
            name = Path(corpus).name if corpus else "seeds"
            out = ROOT / ".cache" / "explore_timing" / name
            t0 = time.perf_counter()
            by = {} if not corpus else {"by": "level", "target": "province", "reference": None}
            paths = write_explorers(built, out, **by)
            write_s = time.perf_counter() - t0
            terms = built.table("tokens")
            for path in paths:
                term = None
                if "03_" in path.name:
                    points = _points_of(path)
                    term = points[0] if points else None
                runs = [measure(path, browser, term) for _ in range(3)]
                rows.append((name, path.name, path.stat().st_size / 1e6, statistics.median(r[0] for r in runs),
                             statistics.median(r[1] for r in runs) if term else None, write_s, len(terms)))
        browser.close()
    print(f"{'corpus':<22}{'page':<34}{'MB':>7}{'ready s':>9}{'click s':>9}{'write s (all)':>15}{'tokens':>9}")
    for corpus, page, mb, ready, click, write_s, n in rows:
        click_s = f"{click:9.2f}" if click is not None else f"{'':>9}"
        print(f"{corpus:<22}{page:<34}{mb:7.2f}{ready:9.2f}{click_s}{write_s:15.1f}{n:9d}")
    return 0


def _points_of(path: Path) -> list[str]:
    """The labelled key terms of a term explorer page (the first is searched and clicked)."""
    import json
    import re

    text = path.read_text(encoding="utf-8")
    spec = json.loads(re.search(r"vegaEmbed\('#vis', (\{.*?\}), \{\"renderer\"", text, re.S).group(1))
    return [p["term"] for p in spec["datasets"]["points"] if p["label"]]


if __name__ == "__main__":
    shared = next((d / "shared" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared").is_dir()), ROOT.parent)
    args = sys.argv[1:] or ["", str(shared / "corpora" / "provincial_gwr_2025")]
    sys.exit(main(args))
