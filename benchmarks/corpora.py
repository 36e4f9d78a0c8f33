"""The benchmark corpora: the seeds scaled, the shared development corpora as they are and replicated.

Everything is written under ``benchmarks/data/`` (gitignored) and reused while its inputs are unchanged. No text
of the shared corpora ever enters the repository: the copies live in that ignored folder only.

* ``seeds xN``: 5·N documents, each a seed with one appended sentence naming its copy number (so every file hash,
  and so every cache key, differs) and a manifest row copied from the seed's.
* ``corpora xN``: the ``.txt`` and ``.docx`` files of ``../shared/corpora`` (63 government work reports), copy 1 as
  it is, copies 2…N each with one appended sentence/paragraph naming its copy number; no manifest (the build infers
  place, genre and years, as for a download folder).

Each corpus has a text folder for the floors: every document's text as one UTF-8 ``.txt`` (a ``.docx``'s body
paragraphs joined by line breaks), extracted outside the timings, so the bare-segmenter floor cuts the same text
the build reads.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
SEEDS = ROOT / "seeds"
SUFFIXES = (".txt", ".docx")


def corpora_dir() -> Path | None:
    """``$ANALYSIS_CORPORA``, or ``shared/corpora`` beside the checkout or beside its parent (a worktree)."""
    env = os.environ.get("ANALYSIS_CORPORA")
    candidates = [Path(env)] if env else [ROOT.parent / "shared" / "corpora", ROOT.parent.parent / "shared" / "corpora"]
    return next((c for c in candidates if (c / "sources.csv").is_file()), None)


def _mark(n: int) -> str:
    return f"本文件为基准测试副本第{n + 1}号。"


def _complete(folder: Path, signature: str) -> bool:
    stamp = folder / ".complete"
    return stamp.exists() and stamp.read_text() == signature


def make_seed_corpus(scale: int) -> tuple[Path, Path]:
    """``(folder, text folder)`` of 5·scale seed copies with a manifest (the text folder is the folder)."""
    folder = DATA / f"x{scale}"
    seeds = sorted(SEEDS.glob("*.txt"))
    signature = json.dumps({"scale": scale, "seeds": {p.name: p.stat().st_size for p in seeds},
                            "manifest": (SEEDS / "corpus.csv").stat().st_size})
    if _complete(folder, signature):
        return folder, folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with open(SEEDS / "corpus.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {r["file"]: r for r in csv.DictReader(fh)}
    fields = list(next(iter(rows.values())).keys())
    out_rows = []
    for n in range(scale):
        for p in seeds:
            name = f"{p.stem}__{n:04d}.txt"
            (folder / name).write_text(p.read_text(encoding="utf-8").rstrip("\n") + f"\n{_mark(n)}\n", encoding="utf-8")
            row = dict(rows.get(p.name, {"file": p.name}))
            row["file"] = name
            if row.get("doc_id"):
                row["doc_id"] = f"{row['doc_id']}__{n:04d}"
            out_rows.append(row)
    with open(folder / "corpus.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(out_rows)
    (folder / ".complete").write_text(signature)
    return folder, folder


def make_real_corpus(scale: int, source: Path) -> tuple[Path, Path]:
    """``(folder, text folder)`` of the shared corpora's documents, ``scale`` copies (copy 1 unchanged)."""
    folder, text_folder = DATA / f"corpora_x{scale}", DATA / f"corpora_x{scale}_text"
    files = sorted(p for p in source.rglob("*") if p.suffix.lower() in SUFFIXES)
    signature = json.dumps({"scale": scale, "files": {str(p.relative_to(source)): p.stat().st_size for p in files}})
    if _complete(folder, signature) and _complete(text_folder, signature):
        return folder, text_folder
    for f in (folder, text_folder):
        shutil.rmtree(f, ignore_errors=True)
        f.mkdir(parents=True)
    for n in range(scale):
        for p in files:
            name = f"{p.parent.name}__{p.stem}__{n:04d}"
            target = folder / (name + p.suffix.lower())
            if p.suffix.lower() == ".docx":
                _copy_docx(p, target, None if n == 0 else _mark(n))
            elif n == 0:
                shutil.copyfile(p, target)
            else:
                target.write_text(source_text(p).rstrip("\n") + f"\n{_mark(n)}\n", encoding="utf-8")
            (text_folder / (name + ".txt")).write_text(source_text(target), encoding="utf-8")
    for f in (folder, text_folder):
        (f / ".complete").write_text(signature)
    return folder, text_folder


def _copy_docx(src: Path, target: Path, mark: str | None) -> None:
    if mark is None:
        shutil.copyfile(src, target)
        return
    import docx

    doc = docx.Document(str(src))
    doc.add_paragraph(mark)
    doc.save(str(target))


def source_text(path: Path) -> str:
    """The text of a ``.txt`` (UTF-8, BOM removed, ``\\n`` line ends) or ``.docx`` file (paragraphs joined)."""
    if path.suffix.lower() == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
