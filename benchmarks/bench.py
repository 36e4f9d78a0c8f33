"""Benchmarks of the corpus build and the notebook batch against their floors, in one run.

    .venv/bin/python benchmarks/bench.py                      # the default scales (see --help)
    python3 tasks.py shell python benchmarks/bench.py --scales 1 100 1000

Builds scaled corpora (seeds, and ../shared/corpora as it is and replicated, see corpora.py) under ``benchmarks/data/``
(gitignored): at seed scale N there are 5·N
documents, each a seed with one appended sentence naming its copy number (so every file hash differs) and a
manifest row copied from the seed's. Every measured command runs in a fresh subprocess (wall time includes the
interpreter start and imports, as a user sees it; peak memory is that process tree's largest ``ru_maxrss``). The
floors are measured in the same run, so the ratios compare like with like on a busy machine.

Measured per scale: the floor (bare ``jieba.lcut`` over every file's text, one process), the rjieba floor, the
cold build with 1 and 2 jobs, the warm build, the cold build with ``segmenter="rjieba"``. Once, on the seeds:
``python -m analysis run --jobs N`` (the notebook batch, build cache warm) against the Jupyter floor (papermill running
the same number of notebooks whose only cell imports analysis, pandas, matplotlib, seaborn and loads jieba's
dictionary), N kernels at a time like the batch and, for comparison with older runs, one at a time; ``--repeat``
rounds (``--notebooks-only`` for this alone); and a typical peer script (jieba + Counter + wordcloud per file). Results: a table on stdout and
``benchmarks/data/results.json``; ``--markdown`` prints the table for the README.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from corpora import DATA, ROOT, SEEDS, corpora_dir, make_real_corpus, make_seed_corpus  # noqa: E402 (benchmarks/)

#: a cache of its own for jieba's dictionary and the notebook batch's build (warm across runs)
CACHE = DATA / "cache"


# ------------------------------------------------------------------------------------------------ child tasks
def child(task: dict) -> dict:
    """Run one measured task in this (fresh) process; return what it produced."""
    kind = task["kind"]
    if kind in ("floor", "floor_rjieba"):
        files = sorted(Path(task["text_folder"]).glob("*.txt"))
        if kind == "floor":
            import logging

            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)
            jieba.initialize()
            n = sum(len(jieba.lcut(p.read_text(encoding="utf-8"))) for p in files)
        else:
            import rjieba

            n = sum(len(rjieba.cut(p.read_text(encoding="utf-8"))) for p in files)
        return {"tokens": n, "files": len(files)}
    if kind == "build":
        from analysis.pipeline.build import build

        b = build(task["folder"], cache=task["cache"], jobs=task["jobs"], segmenter=task["segmenter"])
        reasons = b.rejected["reason"].value_counts().head(5)  # the build folder is deleted after the run
        return {"computed": b.computed, "documents": len(b.manifest["documents"]), "rejected": len(b.rejected),
                "rejected_reasons": {str(k): int(v) for k, v in reasons.items()}, "timings": b.timings}
    if kind == "warmup":  # jieba's and rjieba's dictionary caches, the CJK font: created once, outside the timings
        import logging

        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.initialize()
        from analysis.plots.fonts import cjk_font_path
        from analysis.segment import get_tokenizer

        get_tokenizer()
        get_tokenizer(segmenter="rjieba")
        return {"font": cjk_font_path()}
    if kind == "peer":
        return peer_script(Path(task["folder"]), Path(task["out"]))
    if kind == "jupyter_floor":
        return jupyter_floor(task["n"], Path(task["out"]), task.get("jobs", 1))
    raise SystemExit(f"unknown task {kind}")


def peer_script(folder: Path, out: Path) -> dict:
    """What a typical research script does: jieba + Counter + one word cloud per file."""
    from collections import Counter

    import jieba
    from wordcloud import WordCloud

    from analysis.plots.fonts import cjk_font_path

    font = cjk_font_path()
    stop = set((ROOT / "analysis" / "resources" / "stopwords.txt").read_text(encoding="utf-8").split())
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(folder.glob("*.txt"))
    for p in files:
        words = [w for w in jieba.lcut(p.read_text(encoding="utf-8")) if len(w) > 1 and w not in stop]
        freq = Counter(words)
        cloud = WordCloud(font_path=font, width=1600, height=900, max_words=200, background_color="white",
                          random_state=0)
        cloud.generate_from_frequencies(freq).to_file(str(out / f"{p.stem}.png"))
    return {"files": len(files)}


def jupyter_floor(n: int, out: Path, jobs: int = 1) -> dict:
    """papermill executing n notebooks whose only cell imports the stack and loads jieba's dictionary, ``jobs`` kernels
    at a time (threads, as the batch runs them)."""
    from concurrent.futures import ThreadPoolExecutor

    import nbformat
    import papermill as pm

    out.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import analysis, pandas, matplotlib.pyplot, seaborn, jieba\njieba.initialize()")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src = out / "floor.ipynb"
    nbformat.write(nb, src)
    def one(i: int) -> None:
        pm.execute_notebook(str(src), str(out / f"floor_{i}.ipynb"), progress_bar=False, cwd=str(out))

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, range(n)))
    return {"notebooks": n, "jobs": jobs}


def run_child(task: dict, env: dict | None = None) -> dict:
    """Run ``task`` in a fresh interpreter; add its wall time and peak memory."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(task)]
    return _timed(cmd, env)


def _timed(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> dict:
    # a launcher process per measurement, so RUSAGE_CHILDREN covers exactly this command's process tree
    launcher = ("import json,resource,subprocess,sys,time;t=time.perf_counter();"
                "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);w=time.perf_counter()-t;"
                "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
                "print(json.dumps({'rc':p.returncode,'seconds':w,'maxrss_mb':r.ru_maxrss/1024,"
                "'cpu':r.ru_utime+r.ru_stime,'out':p.stdout[-50000:],'err':p.stderr[-4000:]}))")
    proc = subprocess.run([sys.executable, "-c", launcher, *cmd], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd or ROOT)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    if res["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])}… failed ({res['rc']}):\n{res['err']}")
    lines = [ln for ln in res["out"].splitlines() if ln.startswith("{")]
    res["result"] = json.loads(lines[-1]) if lines and cmd[2:3] == ["--child"] else None
    return res


# ------------------------------------------------------------------------------------------------ the run
def machine() -> dict:
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            mem = f"{int(fh.readline().split()[1]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    def ver(dist):
        from importlib import metadata

        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "-"

    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "nproc": os.cpu_count(),
            "cpu": cpu, "memory": mem, "python": platform.python_version(), "platform": platform.platform(),
            "load_at_start": load, **{d: ver(d) for d in ("jieba", "rjieba", "pandas", "pyarrow", "papermill")}}


def median_of(n: int, fn):
    """The run with the median wall time of n runs (its CPU time and stage timings with it); the peak memory is the
    largest of all runs."""
    runs = [fn() for _ in range(max(1, n))]
    mid = sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]
    mid["runs"] = [round(r["seconds"], 2) for r in runs]
    mid["cpu_runs"] = [round(r["cpu"], 2) for r in runs]
    mid["maxrss_mb"] = max(r["maxrss_mb"] for r in runs)
    return mid


MEASURES = ("cold_1", "warm_1", "cold_2", "rjieba_1")


def bench_scale(kind: str, scale: int, log, repeat: int = 1, light: bool = False,
                measures: tuple[str, ...] = MEASURES) -> dict:
    folder, text_folder = make_seed_corpus(scale) if kind == "seeds" else make_real_corpus(scale, corpora_dir())
    texts = sorted(text_folder.glob("*.txt"))
    mb = sum(p.stat().st_size for p in texts) / 1e6
    chars = sum(len(p.read_text(encoding="utf-8")) for p in texts)
    env = {"ANALYSIS_CACHE": str(CACHE)}
    label = f"{kind} x{scale}"
    out = {"corpus": label, "kind": kind, "scale": scale, "documents": len(texts), "mb": round(mb, 2), "chars": chars}

    def build(name, jobs=1, segmenter="jieba", fresh=True):
        cache = DATA / "builds" / f"{kind}-x{scale}-{name}"

        def once():
            if fresh:
                shutil.rmtree(cache, ignore_errors=True)
            return run_child({"kind": "build", "folder": str(folder), "cache": str(cache), "jobs": jobs,
                              "segmenter": segmenter}, env)

        r = median_of(repeat, once)
        log(f"  {label} {name:12s} {r['seconds']:8.2f} s (cpu {r['cpu']:6.1f} s)  {r['maxrss_mb']:5.0f} MB  "
            f"{r['result']['computed']}  runs {r['runs']}"
            + (f"  rejected {r['result']['rejected_reasons']}" if r["result"]["rejected"] else ""))
        return r

    def floor(name, what):
        r = median_of(repeat, lambda: run_child({"kind": what, "text_folder": str(text_folder)}, env))
        log(f"  {label} {name:12s} {r['seconds']:8.2f} s (cpu {r['cpu']:6.1f} s)  {r['maxrss_mb']:5.0f} MB  "
            f"runs {r['runs']}")
        return r

    if light:  # the memory check at the largest scale: the floor, one cold build with 2 jobs, the warm build
        out["floor"] = floor("floor", "floor")
        out["cold_2"] = build("cold_jobs2", jobs=2)
        out["warm_2"] = build("cold_jobs2", jobs=2, fresh=False)
        shutil.rmtree(DATA / "builds", ignore_errors=True)
        return out
    out["floor_a"] = floor("floor", "floor")
    if "cold_1" in measures or "warm_1" in measures:
        out["cold_1"] = build("cold_jobs1")
    if "warm_1" in measures:
        out["warm_1"] = build("cold_jobs1", fresh=False)
    if "cold_2" in measures:
        out["cold_2"] = build("cold_jobs2", jobs=2)
    if "rjieba_1" in measures:
        out["rjieba_1"] = build("rjieba", segmenter="rjieba")
    out["floor_rjieba"] = floor("rjieba_floor", "floor_rjieba")
    out["floor_b"] = floor("floor", "floor")
    # the floor is measured before and after the builds: the median of all those runs is the floor
    walls = sorted(out["floor_a"]["runs"] + out["floor_b"]["runs"])
    cpus = sorted(out["floor_a"]["cpu_runs"] + out["floor_b"]["cpu_runs"])
    out["floor"] = {"seconds": _median(walls), "cpu": _median(cpus), "runs": walls,
                    "maxrss_mb": max(out["floor_a"]["maxrss_mb"], out["floor_b"]["maxrss_mb"])}
    shutil.rmtree(DATA / "builds", ignore_errors=True)
    return out


def _median(values: list[float]) -> float:
    v = sorted(values)
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2


def bench_notebooks(log, repeat: int = 1, jobs: int | None = None, formats: list[str] | None = None) -> dict:
    """The batch (``python -m analysis run --jobs N``) against the Jupyter floor run N kernels at a time (the fair
    floor) and one at a time (the floor of the earlier runs); ``repeat`` rounds, interleaved, medians kept."""
    env = {"ANALYSIS_CACHE": str(CACHE), "MPLBACKEND": "Agg"}
    out_dir = DATA / "notebooks"
    shutil.rmtree(out_dir, ignore_errors=True)
    sys.path.insert(0, str(ROOT))
    from analysis.pipeline.batch import default_jobs, plan_jobs

    jobs = jobs or default_jobs()
    n = len(plan_jobs(out=out_dir / "run"))
    res = {"notebooks": n, "jobs": jobs, "formats": formats or ["png", "svg", "pdf"]}
    # the build is warm when a researcher re-runs the notebooks; warm it outside the timing
    subprocess.run([sys.executable, "-m", "analysis", "build", "--quiet"], env={**os.environ, **env}, cwd=ROOT,
                   check=True, capture_output=True)
    runs: dict[str, list[dict]] = {"batch": [], "jupyter_floor": [], "jupyter_floor_sequential": []}
    for r in range(max(1, repeat)):
        runs["batch"].append(_timed([sys.executable, "-m", "analysis", "run", "--out", str(out_dir / "run"),
                                     "--format", "json", "--jobs", str(jobs),
                                     *(["--formats", *formats] if formats else [])], env))
        runs["jupyter_floor"].append(run_child({"kind": "jupyter_floor", "n": n, "out": str(out_dir / "floor"),
                                                "jobs": jobs}, env))
        runs["jupyter_floor_sequential"].append(run_child({"kind": "jupyter_floor", "n": n, "jobs": 1,
                                                           "out": str(out_dir / "floor_seq")}, env))
        log(f"  round {r + 1}: batch ({n} notebooks, {jobs} kernels) {runs['batch'][-1]['seconds']:.1f} s, "
            f"floor {runs['jupyter_floor'][-1]['seconds']:.1f} s, sequential floor "
            f"{runs['jupyter_floor_sequential'][-1]['seconds']:.1f} s")
    for key, measured in runs.items():
        res[key] = _median_run(measured)
    try:
        summary = json.loads(res["batch"]["out"][res["batch"]["out"].index("["):])
    except ValueError:
        summary = []
    res["batch"]["jobs"] = [{k: s.get(k) for k in ("notebook", "status", "seconds", "figures")} for s in summary]
    for key in runs:
        res[key].pop("out", None), res[key].pop("err", None)
    res["peer"] = run_child({"kind": "peer", "folder": str(SEEDS), "out": str(out_dir / "peer")}, env)
    log(f"  peer script (5 word clouds)   {res['peer']['seconds']:.1f} s")
    return res


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall time, with the median CPU time of all runs (CPU is what load disturbs least)."""
    mid = dict(sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2])
    mid["runs"] = [round(r["seconds"], 2) for r in runs]
    mid["cpu_runs"] = [round(r["cpu"], 2) for r in runs]
    mid["cpu"] = _median([r["cpu"] for r in runs])
    return mid


def ratios(results: dict) -> list[dict]:
    """Each measure against its floor: wall time (the target) and CPU time (robust to other load on the machine)."""
    rows = []

    def row(scale, measure, m, f, target):
        if m is None:
            return None
        return {"corpus": scale, "measure": measure, "seconds": m["seconds"], "floor": f["seconds"],
                "ratio": m["seconds"] / f["seconds"], "target": target,
                "cpu ratio": m.get("cpu", 0) / f["cpu"] if f.get("cpu") else float("nan")}

    for s in results["scales"]:
        f = s["floor"]
        rows += [row(s["corpus"], "cold build, 1 job / jieba floor", s.get("cold_1"), f, "≤ 1.30"),
                 row(s["corpus"], "cold build, 2 jobs / jieba floor", s.get("cold_2"), f, "≤ 0.75"),
                 row(s["corpus"], "cold build, rjieba / jieba floor", s.get("rjieba_1"), f, "≤ 0.50"),
                 row(s["corpus"], "warm build / cold build (1 job)", s.get("warm_1"), s.get("cold_1"), "≤ 0.05"),
                 row(s["corpus"], "rjieba floor / jieba floor", s["floor_rjieba"], f, "")]
        rows = [r for r in rows if r is not None]
    nb = results.get("notebooks")
    if nb:
        jf, k = nb["jupyter_floor"], nb.get("jobs", 1)
        fmts = "" if nb.get("formats", ["png", "svg", "pdf"]) == ["png", "svg", "pdf"] else f", {'+'.join(nb['formats'])}"
        rows += [row("seeds", f"notebook batch ({nb['notebooks']} nb, {k} kernels{fmts}) / Jupyter floor ({k} kernels)",
                     nb["batch"], jf, "≤ 1.50")]
        if nb.get("jupyter_floor_sequential"):
            rows += [row("seeds", f"notebook batch ({k} kernels) / Jupyter floor (1 kernel at a time)", nb["batch"],
                         nb["jupyter_floor_sequential"], "")]
        rows += [row("seeds", "peer script (jieba+Counter+wordcloud) / Jupyter floor", nb["peer"], jf, "")]
    return rows


def memory_rows(results: dict) -> list[dict]:
    return [{"corpus": s["corpus"], "documents": s["documents"], "MB of text": s["mb"],
             **{k: round(s[k]["maxrss_mb"]) if k in s else "" for k in ("floor", "cold_1", "cold_2", "rjieba_1", "warm_1")}}
            for s in results["scales"]]


def growth_rows(results: dict) -> list[dict]:
    """Seconds per document at each scale and the marginal cost between scales: linear growth keeps it flat."""
    rows = []
    scales = [s for s in results["scales"] if s["kind"] == "seeds"]
    for key, label in (("floor", "jieba floor"), ("cold_1", "cold build, 1 job"), ("cold_2", "cold build, 2 jobs"),
                       ("rjieba_1", "cold build, rjieba"), ("warm_1", "warm build"),
                       ("floor_rjieba", "rjieba floor")):
        if not all(key in s for s in scales):
            continue
        row = {"measure": label}
        for s in scales:
            row[f"x{s['scale']} s"] = round(s[key]["seconds"], 2)
        for a, b in zip(scales, scales[1:]):
            row[f"ms/doc x{a['scale']}→x{b['scale']}"] = round(
                1000 * (b[key]["seconds"] - a[key]["seconds"]) / (b["documents"] - a["documents"]), 1)
        rows.append(row)
    return rows


def stage_rows(results: dict) -> list[dict]:
    """Where a cold build's time goes, in ms per document (worker seconds, summed over processes), next to the floor."""
    rows = []
    for s in results["scales"]:
        n = s["documents"]
        for key, label in (("cold_1", "jieba, 1 job"), ("cold_2", "jieba, 2 jobs"), ("rjieba_1", "rjieba, 1 job")):
            if key not in s:
                continue
            t = s[key]["result"]["timings"]
            rows.append({"corpus": s["corpus"], "build": label, "floor": round(1000 * s["floor"]["seconds"] / n, 1),
                         **{k: round(1000 * t.get(k, 0) / n, 1) for k in ("hash", "parse", "tokens", "themes",
                                                                           "metrics", "assemble")},
                         "wall": round(1000 * s[key]["seconds"] / n, 1), "cpu": round(1000 * s[key]["cpu"] / n, 1)})
    return rows


def markdown(rows: list[dict]) -> str:
    if not rows:
        return ""
    cols = list(rows[0])
    fmt = lambda v: f"{v:.2f}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(fmt(r.get(c, "")) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=int, nargs="*", default=[1, 10, 100],
                    help="seed scales (×5 seed documents); default 1 10 100 — see README for why not 1000")
    ap.add_argument("--corpora-scales", type=int, nargs="*", default=[1, 10],
                    help="scales of ../shared/corpora (×63 reports; skipped with a message when absent); default 1 10")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement on small corpora (median kept)")
    ap.add_argument("--repeat-docs", type=int, default=100,
                    help="corpora of at most this many documents are measured --repeat times, larger ones once")
    ap.add_argument("--measures", nargs="+", choices=MEASURES, default=list(MEASURES),
                    help="the builds to measure at each scale (default all; the floors always)")
    ap.add_argument("--memory-scale", type=int, help="also build this scale once (2 jobs, cold and warm) for peak "
                                                     "memory and growth, e.g. 1000")
    ap.add_argument("--no-notebooks", action="store_true", help="skip the notebook batch and its floors")
    ap.add_argument("--notebooks-only", action="store_true",
                    help="only the notebook batch and its floors (--repeat rounds), no builds")
    ap.add_argument("--notebook-formats", nargs="+", choices=["png", "svg", "pdf"],
                    help="figure formats of the batch (default: its default, png svg pdf)")
    ap.add_argument("--notebook-jobs", type=int, help="kernels at a time for the batch and the Jupyter floor "
                                                      "(default: the batch's default, min(2, cores))")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown (for the README)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    t0 = time.perf_counter()
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    DATA.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "command": " ".join([Path(sys.executable).name, *sys.argv]), "scales": []}
    log(f"machine: {results['machine']}")
    run_child({"kind": "warmup"}, {"ANALYSIS_CACHE": str(CACHE)})
    if args.notebooks_only:
        args.scales, args.corpora_scales, args.memory_scale, args.no_notebooks = [], [], None, False
    plan = [("seeds", s, 5 * s) for s in args.scales]
    if args.corpora_scales and corpora_dir() is None:
        log("shared corpora not found (../shared/corpora or $ANALYSIS_CORPORA): real-text scales skipped")
    elif args.corpora_scales:
        n_real = sum(1 for p in corpora_dir().rglob("*") if p.suffix.lower() in (".txt", ".docx"))
        plan += [("corpora", s, n_real * s) for s in args.corpora_scales]
    for kind, scale, docs in plan:
        results["scales"].append(bench_scale(kind, scale, log, repeat=args.repeat if docs <= args.repeat_docs else 1,
                                               measures=tuple(args.measures)))
    if args.memory_scale:
        results["memory_scale"] = bench_scale("seeds", args.memory_scale, log, light=True)
    if not args.no_notebooks:
        results["notebooks"] = bench_notebooks(log, repeat=args.repeat, jobs=args.notebook_jobs,
                                               formats=args.notebook_formats)
    results["total_seconds"] = time.perf_counter() - t0
    results["ratios"] = ratios(results)
    results["memory"] = memory_rows(results)
    results["growth"] = growth_rows(results)
    results["stages"] = stage_rows(results)
    for r in results["scales"] + ([results["memory_scale"]] if results.get("memory_scale") else []):
        for k, v in r.items():
            if isinstance(v, dict):
                v.pop("out", None), v.pop("err", None)
    (DATA / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    show = markdown if args.markdown else _plain
    print(f"# {results['machine']['date']}  nproc={results['machine']['nproc']}  {results['machine']['cpu']}  "
          f"memory {results['machine']['memory']}  Python {results['machine']['python']}  "
          f"load at start {results['machine']['load_at_start']:.2f}, at the end {os.getloadavg()[0]:.2f}")
    print(f"# total {results['total_seconds']:.0f} s; {results['command']}\n\n## Ratios (medians)\n")
    print(show([{**r, "seconds": round(r["seconds"], 2), "floor": round(r["floor"], 2), "ratio": round(r["ratio"], 2),
                 "cpu ratio": round(r["cpu ratio"], 2)} for r in results["ratios"]]))
    if results["scales"]:  # not with --notebooks-only
        print("\n## Peak memory (MB, largest process of the tree)\n")
        print(show(results["memory"]))
        print("\n## Growth (seconds per scale; marginal ms per document between scales)\n")
        print(show(results["growth"]))
        print("\n## Where a cold build's time goes (ms per document; stage columns are worker time)\n")
        print(show(results["stages"]))
    if results.get("memory_scale"):
        m = results["memory_scale"]
        print(f"\n## Scale x{m['scale']} ({m['documents']} documents, {m['mb']} MB): floor {m['floor']['seconds']:.1f} s; "
              f"cold build, 2 jobs {m['cold_2']['seconds']:.1f} s ({m['cold_2']['seconds'] / m['floor']['seconds']:.2f}× "
              f"the floor), peak {m['cold_2']['maxrss_mb']:.0f} MB (largest process); warm {m['warm_2']['seconds']:.1f} s "
              f"({m['warm_2']['seconds'] / m['cold_2']['seconds']:.3f}× cold), peak {m['warm_2']['maxrss_mb']:.0f} MB")
    if results.get("notebooks"):
        nb = results["notebooks"]
        print(f"\n## Notebook batch (papermill seconds per notebook, median run; {nb['jobs']} kernels at a time)\n")
        print(show(nb["batch"]["jobs"]))
        print("\nRuns (wall s / CPU s): " + "; ".join(
            f"{k} {nb[k]['runs']} / {nb[k]['cpu_runs']}" for k in ("batch", "jupyter_floor", "jupyter_floor_sequential")))
    return 0


def _plain(rows: list[dict]) -> str:
    import pandas as pd

    return pd.DataFrame(rows).to_string(index=False)


if __name__ == "__main__":
    sys.exit(main())
