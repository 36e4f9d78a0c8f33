"""Papermill execution of the notebook collection: every notebook, once per place for the place profile.

A failing notebook does not stop the others; each run records its parameters, status, seconds and the figures
it wrote; the executed notebooks (and their HTML) land in ``<out>/notebooks`` and the figures in
``<out>/figures`` with an index ``figures/index.csv``.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import ParameterError

#: Notebooks run once per place in the corpus, with the ``place`` parameter.
PER_PLACE = {"05_place_profile"}
LANGS = ("zh", "en")


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
              extra: dict | None = None, langs: Sequence[str] = ("zh",)) -> list[Job]:
    """Expand the collection into jobs: one per notebook and language, one per place for the per-place notebooks.

    Without ``out``, a run on another corpus writes its figures under ``figures/explore/<corpus>`` (the notebooks
    decide), so the committed figures of the seeds are never overwritten; reports go to ``reports/<corpus>``.
    """
    bad = [lang for lang in langs if lang not in LANGS]
    if bad or not langs:
        raise ParameterError("--lang", ", ".join(bad), LANGS)
    tag = _safe(Path(corpus).resolve().name) if corpus else ""
    out_nb = (Path(out) / "notebooks") if out else config.REPORTS_DIR / "notebooks" / tag
    figures = str(Path(out) / "figures") if out else ""
    books = list_notebooks(notebooks_dir)
    names = [p.stem for p in books]
    if only:
        unknown = [o for o in only if not any(n == o or n.startswith(o) or n[3:] == o for n in names)]
        if unknown:
            raise ParameterError("--only", ", ".join(unknown), names)
        books = [p for p in books if any(p.stem == o or p.stem.startswith(o) or p.stem[3:] == o for o in only)]
    base = {"corpus": str(Path(corpus).resolve()) if corpus else "",
            "manifest": str(Path(manifest).resolve()) if manifest else "", "figures_dir": figures, **(extra or {})}
    if corpus and not figures:
        from .study import explore_dir

        base["figures_dir"] = str(explore_dir(str(corpus), [], [], "auto"))
    explorer_pages = _explorer_pages(base["figures_dir"], [p.stem for p in books])
    jobs = []
    for lang in langs:
        suffix = "" if lang == "zh" else f"_{lang}"
        for nb in books:
            params = {**base, "lang": lang} if lang != "zh" else dict(base)
            if nb.stem in explorer_pages and lang == langs[0]:  # one writer per page
                params["explorer_page"] = explorer_pages[nb.stem]
            if nb.stem in PER_PLACE:
                for place in corpus_places(corpus, manifest):
                    jobs.append(Job(nb, nb.stem, {**params, "place": place},
                                    out_nb / f"{nb.stem}_{_safe(place)}{suffix}.ipynb"))
            else:
                jobs.append(Job(nb, nb.stem, params, out_nb / f"{nb.stem}{suffix}.ipynb"))
    return jobs


def _explorer_pages(figures_dir: str, names: Sequence[str]) -> dict[str, str]:
    """The explorer page each comparison notebook writes in a batch run (the files ``write_explorers`` writes)."""
    from ..explore.write import NOTEBOOK_VIEWS, explorer_path

    folder = Path(figures_dir) if figures_dir else config.FIGURES_DIR
    return {n: str(explorer_path(folder, n)) for n in names if n in NOTEBOOK_VIEWS}


def corpus_places(corpus: str | None, manifest: str | None) -> list[str]:
    """The places of the corpus (from its cached build), in order of first appearance; ``unknown`` last."""
    from .build import build
    from .study import with_places

    docs = build(str(Path(corpus).resolve()) if corpus else None,
                 manifest=str(Path(manifest).resolve()) if manifest else None).docs
    return list(dict.fromkeys(with_places(docs)["place"]))


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


def default_jobs() -> int:
    """Kernels run at once by default: ``min(2, cores)`` (a kernel mostly waits on its own CPU-bound cells)."""
    return max(1, min(2, os.cpu_count() or 1))


_EXPORTER = None
_EXPORTER_LOCK = threading.Lock()


def _to_html(executed: Path) -> Path:
    """HTML beside the executed notebook; one exporter for the whole batch (its templates load once)."""
    global _EXPORTER
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    with _EXPORTER_LOCK:  # the exporter keeps state per call; kernels run in threads
        if _EXPORTER is None:
            _EXPORTER = HTMLExporter()
        body, _ = _EXPORTER.from_notebook_node(nb)
    target = executed.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


def run_collection(*, corpus: str | None = None, manifest: str | None = None, out: Path | None = None,
                   only: Sequence[str] | None = None, jobs: int | None = None, html: bool = True, progress: bool = True,
                   extra: dict | None = None, langs: Sequence[str] = ("zh",)) -> pd.DataFrame:
    """Run the notebook collection; return the summary table (notebook, parameters, status, seconds, figures, error).

    The corpus is built (and cached) once before the notebooks start, so each notebook reads the cached tables.
    """
    from .build import build

    # Absolute paths before any notebook runs: papermill changes the working directory of this process while it
    # executes a notebook, so with two notebooks at a time a relative path resolved later would point elsewhere.
    corpus = str(Path(corpus).resolve()) if corpus else None
    manifest = str(Path(manifest).resolve()) if manifest else None
    out = Path(out).resolve() if out else None
    started = time.time()
    # warm the cache once for every notebook
    build(corpus, manifest=manifest)
    planned = plan_jobs(corpus=corpus, manifest=manifest, out=out, only=only, extra=extra, langs=langs)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    from tqdm import (
        tqdm,  # not tqdm.auto: in a kernel without ipywidgets it warns (TqdmWarning)
    )

    done: list[Job] = []
    log = (Path(planned[0].output).parent if planned else config.REPORTS_DIR / "notebooks") / "kernels.log"
    with _kernel_output_to(log) as terminal:
        bar = tqdm(total=len(planned), desc="notebooks", unit="nb", disable=not progress, file=terminal)
        with ThreadPoolExecutor(max_workers=max(1, jobs or default_jobs())) as pool:
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

    # beside the run's figures: figures/explore/<corpus> for another corpus, never over the committed set. A
    # notebook that showed the batch's view wrote its page itself (Study.explorer); only the others are built here.
    fig_dir = next((j.parameters.get("figures_dir") for j in planned if j.parameters.get("figures_dir")), "")
    # a page is due when any run of its notebook succeeded (in any language): the run that was to write it may
    # have failed while another language's run of the same notebook went through
    pages = {j.name: j.parameters["explorer_page"] for j in planned if "explorer_page" in j.parameters}
    ok = {j.name for j in done if j.status == "ok"}
    missing = [name for name, page in pages.items() if name in ok and not _written_since(page, started)]
    if missing:
        write_explorers(build(corpus, manifest=manifest), Path(fig_dir) if fig_dir else config.FIGURES_DIR,
                        notebooks=missing)
    return pd.DataFrame([{
        "notebook": j.output.stem, "parameters": ", ".join(f"{k}={v}" for k, v in j.parameters.items()
                                                           if k in ("place", "corpus", "lang") and v),
        "status": j.status, "seconds": j.seconds, "figures": len(j.figures), "output": str(j.output),
        "error": j.error} for j in done])


def _written_since(page: str | None, started: float) -> bool:
    return bool(page) and Path(page).is_file() and Path(page).stat().st_mtime >= started


@contextlib.contextmanager
def _kernel_output_to(log: Path):
    """Send what kernels and papermill print to stderr (``Kernel is running over TCP…``, the interrupt that ends a
    kernel, nbformat's notices) to ``log`` instead of the terminal, for as long as the notebooks run; yield a stream
    to the terminal for the progress bar. A notebook's own errors are in its summary row and its executed copy."""
    import sys

    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as sink:
        os.dup2(sink.fileno(), 2)
        terminal = os.fdopen(os.dup(saved), "w", buffering=1)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                yield terminal
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            terminal.close()
