"""Where the per-document work runs: in this process, in a process pool, or on a Dask cluster.

The same :func:`analysis.pipeline.work.process_batch` runs everywhere; documents are sent in small batches so the
fixed cost of a pandas call is shared, and a short tail keeps both workers busy.
"""
from __future__ import annotations

import math

from ..errors import AnalysisError
from .work import process_batch, warm

#: documents per batch sent to a worker (upper bound; smaller when there are few documents per worker)
BATCH_DOCS = 8

def batches(todo: list, jobs: int) -> list[list]:
    """Cut the work into batches of at most BATCH_DOCS documents, about four per worker."""
    size = max(1, min(BATCH_DOCS, math.ceil(len(todo) / (max(1, jobs) * 4))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def run(todo, opts, store, *, jobs, executor, scheduler, progress) -> list[dict]:
    """Run the batches of documents with missing stages on the chosen executor; return one result per document."""
    if not todo:
        return []
    from tqdm import (
        tqdm,  # not tqdm.auto: in a kernel without ipywidgets it warns (TqdmWarning)
    )

    bar = tqdm(total=len(todo), desc="documents", unit="doc", disable=not progress)
    out: list[dict] = []
    chunks = batches(todo, jobs)
    try:
        if executor == "dask":
            out = _run_dask(chunks, opts, store, jobs=jobs, scheduler=scheduler, bar=bar)
        elif jobs <= 1 or len(todo) <= 1:
            for b in chunks:
                out += process_batch(b, opts, store)
                bar.update(len(b))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            if multiprocessing.get_start_method() == "fork":
                warm(opts)  # the workers fork from this process and inherit what it loaded
            with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
                for b, res in zip(chunks, pool.map(process_batch, chunks, [opts] * len(chunks),
                                                    [store] * len(chunks))):
                    out += res
                    bar.update(len(b))
    finally:
        bar.close()
    return out


def _run_dask(chunks, opts, store, *, jobs, scheduler, bar) -> list[dict]:
    try:
        import logging

        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise AnalysisError("the dask executor needs the optional dependency: pip install -e '.[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        futures = client.map(process_batch, chunks, opts=opts, store=store, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[list[dict] | None] = [None] * len(chunks)
        for fut in as_completed(futures):
            results[index[fut.key]] = fut.result()
            bar.update(len(chunks[index[fut.key]]))
        return [r for part in results for r in part]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
