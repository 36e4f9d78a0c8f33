"""CPU seconds of each stage's public function on one corpus, in this process, against the bare-jieba floor.

    .venv/bin/python benchmarks/stages.py [folder]      # default: ../shared/corpora (or $ANALYSIS_CORPORA)

Names whose code the time is spent in (the module owners differ), which the build's wall-clock ``timings`` cannot do
on a shared machine: CPU time (``time.process_time``) is what other processes disturb least. Prints a Markdown table:
ms per document and the ratio to the floor (``jieba.lcut`` over each document's units joined, the same text).
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the package, run from anywhere
from corpora import SUFFIXES, corpora_dir  # noqa: E402 (benchmarks/)


def cpu(fn):
    t = time.process_time()
    value = fn()
    return time.process_time() - t, value


def main(argv: list[str]) -> int:
    import jieba
    import pandas as pd

    from analysis.corpus.load import parse_document
    from analysis.corpus.model import DOC_COLUMNS, UNIT_COLUMNS, frame
    from analysis.metrics import extract_metrics, load_catalogue
    from analysis.segment import get_tokenizer, load_resources, tokenize
    from analysis.themes import (
        code_instruments,
        code_themes,
        load_scheme,
        load_taxonomy,
    )

    folder = Path(argv[0]) if argv else corpora_dir()
    if folder is None:
        print("shared corpora not found (../shared/corpora or $ANALYSIS_CORPORA): nothing measured")
        return 0
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES)
    res = load_resources()
    get_tokenizer(res), get_tokenizer(res, segmenter="rjieba")
    tax, sch, cat = load_taxonomy(None), load_scheme(None), load_catalogue(None)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.initialize()
    t_parse, parsed = cpu(lambda: [parse_document(str(f), doc_id=f"d{i}") for i, f in enumerate(files)])
    t_frames, (docs, units) = cpu(lambda: (
        pd.concat([frame([d], DOC_COLUMNS) for d, _u, _s, _x in parsed], ignore_index=True),
        pd.concat([frame(u, UNIT_COLUMNS) for _d, u, _s, _x in parsed], ignore_index=True)))
    texts = list(units.groupby("doc_id", sort=False)["text"].agg("\n".join))
    rows = [("jieba floor: `jieba.lcut` per document", cpu(lambda: [jieba.lcut(t) for t in texts])[0]),
            ("corpus: `parse_document`", t_parse),
            ("pipeline/work.py: per-document frames + concat", t_frames),
            ("segment: `tokenize` (jieba)", cpu(lambda: tokenize(units, resources=res, context=False))[0]),
            ("segment: `tokenize` (rjieba)",
             cpu(lambda: tokenize(units, resources=res, context=False, segmenter="rjieba"))[0]),
            ("themes: `code_themes`", cpu(lambda: code_themes(units, taxonomy=tax))[0]),
            ("themes: `code_instruments`", cpu(lambda: code_instruments(units, scheme=sch))[0]),
            ("metrics: `extract_metrics`", cpu(lambda: extract_metrics(units, catalogue=cat, docs=docs))[0])]
    floor = rows[0][1]
    print(f"{len(files)} documents, {sum(map(len, texts)):,} characters\n")
    print("| stage | ms per document (CPU) | × jieba floor |\n|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {1000 * seconds / len(files):.1f} | {seconds / floor:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
