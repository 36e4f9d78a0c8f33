"""Papermill execution of the notebook collection: every notebook, once per city for the city profile.

A failing notebook does not stop the others; each run records its parameters, status, seconds and the figures
it wrote; the executed notebooks (and their HTML) land in ``<out>/notebooks`` and the figures in
``<out>/figures`` with an index ``figures/index.csv``.
"""
from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import ParameterError

#: Notebooks run once per city in the corpus, with the ``city`` parameter.
PER_CITY = {"05_city_profile"}


@dataclass
class Job:
    """One notebook execution: which notebook, with which parameters, and what came of it."""

    notebook: Path
    name: str
    parameters: dict
    output: Path
    status: str = "pending"
    seconds: float = 0.0
    error: str = ""
    figures: list[str] = field(default_factory=list)


def list_notebooks(folder: Path | None = None) -> list[Path]:
    """The collection's notebooks in run order (``NN_name.ipynb``)."""
    folder = folder or config.NOTEBOOKS_DIR
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def plan_jobs(*, corpus: str | None = None, manifest: str | None = None, out: Path | None = None,
              only: Sequence[str] | None = None, notebooks_dir: Path | None = None,
              extra: dict | None = None) -> list[Job]:
    """Expand the collection into jobs: one per notebook, one per city for the per-city notebooks."""
    out_nb = (Path(out) / "notebooks") if out else config.REPORTS_DIR / "notebooks"
    figures = (Path(out) / "figures") if out else config.FIGURES_DIR
    books = list_notebooks(notebooks_dir)
    names = [p.stem for p in books]
    if only:
        unknown = [o for o in only if not any(n == o or n.startswith(o) or n[3:] == o for n in names)]
        if unknown:
            raise ParameterError("--only", ", ".join(unknown), names)
        books = [p for p in books if any(p.stem == o or p.stem.startswith(o) or p.stem[3:] == o for o in only)]
    base = {"corpus": str(corpus) if corpus else "", "manifest": str(manifest) if manifest else "",
            "figures_dir": str(figures), **(extra or {})}
    jobs = []
    for nb in books:
        if nb.stem in PER_CITY:
            for city in corpus_cities(corpus, manifest):
                params = {**base, "city": city}
                jobs.append(Job(nb, nb.stem, params, out_nb / f"{nb.stem}_{_safe(city)}.ipynb"))
        else:
            jobs.append(Job(nb, nb.stem, dict(base), out_nb / nb.name))
    return jobs


def corpus_cities(corpus: str | None, manifest: str | None) -> list[str]:
    """The cities of the corpus (from its cached build), in order of first appearance; no city, no profile."""
    from .build import build

    docs = build(corpus or None, manifest=manifest or None).table("docs", columns=["city"])
    return list(dict.fromkeys(docs["city"].dropna()))


def _safe(name: str) -> str:
    return re.sub(r"[^\w\-]+", "_", name)


def run_job(job: Job, *, html: bool = True, kernel: str | None = None, timeout: int = 900) -> Job:
    """Execute one notebook with papermill; record status, seconds, error and the figures it wrote."""
    import papermill as pm

    job.output.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    try:
        pm.execute_notebook(str(job.notebook), str(job.output), parameters=job.parameters, kernel_name=kernel,
                            progress_bar=False, cwd=str(job.notebook.parent), execution_timeout=timeout,
                            request_save_on_cell_execute=False)
        job.status = "ok"
    except Exception as exc:  # papermill raises PapermillExecutionError and friends; the batch goes on
        job.status = "failed"
        job.error = _one_line(exc)
    job.seconds = round(time.perf_counter() - t0, 1)
    job.figures = _figures_written(job.output)
    if html and job.output.exists():
        try:
            _to_html(job.output)
        except Exception as exc:  # an HTML export problem must not hide the notebook's own status
            job.error = (job.error + "; " if job.error else "") + f"HTML export failed: {_one_line(exc)}"
    return job


def _one_line(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    msg = f"{ename}: {evalue}" if ename else f"{type(exc).__name__}: {exc}"
    msg = re.sub(r"\x1b\[[0-9;]*m", "", msg)
    return " ".join(msg.split())[:300]


def _figures_written(executed: Path) -> list[str]:
    """Figure files a notebook reports in its outputs (save_figure's returned paths are printed as a list)."""
    if not executed.exists():
        return []
    nb = json.loads(executed.read_text(encoding="utf-8"))
    found: list[str] = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", [])) + "".join(out.get("data", {}).get("text/plain", []))
            found += re.findall(r"([\w\-./]+\.(?:png|svg|pdf))", text)
    return sorted(dict.fromkeys(Path(f).name for f in found))


def _to_html(executed: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    body, _ = HTMLExporter().from_notebook_node(nb)
    target = executed.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


def run_collection(*, corpus: str | None = None, manifest: str | None = None, out: Path | None = None,
                   only: Sequence[str] | None = None, jobs: int = 1, html: bool = True, progress: bool = True,
                   extra: dict | None = None) -> pd.DataFrame:
    """Run the notebook collection; return the summary table (notebook, parameters, status, seconds, figures, error).

    The corpus is built (and cached) once before the notebooks start, so each notebook reads the cached tables.
    """
    from .build import build

    build(corpus or None, manifest=manifest or None)  # warm the cache once for every notebook
    planned = plan_jobs(corpus=corpus, manifest=manifest, out=out, only=only, extra=extra)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    from tqdm.auto import tqdm

    bar = tqdm(total=len(planned), desc="notebooks", unit="nb", disable=not progress)
    done: list[Job] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(run_job, j, html=html): j for j in planned}
        for fut in as_completed(futures):
            job = fut.result()
            done.append(job)
            bar.set_postfix_str(f"{job.output.stem}: {job.status}")
            bar.update(1)
    bar.close()
    order = {id(j): i for i, j in enumerate(planned)}
    done.sort(key=lambda j: order[id(j)])
    from ..explore import (
        write_explorers,  # one offline explorer page per comparison notebook, beside the figures
    )

    write_explorers(build(corpus or None, manifest=manifest or None), Path(out) / "figures" if out else
                    config.FIGURES_DIR, notebooks=[j.name for j in done if j.status == "ok"])
    return pd.DataFrame([{
        "notebook": j.output.stem, "parameters": ", ".join(f"{k}={v}" for k, v in j.parameters.items()
                                                           if k in ("city", "corpus") and v),
        "status": j.status, "seconds": j.seconds, "figures": len(j.figures), "output": str(j.output),
        "error": j.error} for j in done])
