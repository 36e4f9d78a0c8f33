"""Files + manifest -> the documents to read, and one document -> its doc, unit and section rows.

``plan_documents`` expands files and folders (never modifying them) and applies the manifest; ``parse_document``
cleans and structures one file and infers its metadata with evidence, the manifest overriding what a careful
reader knows. The cached build (:mod:`analysis.pipeline.build`) runs these per document; ``load_corpus`` reads it.
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import InputError, ManifestError
from .decode import READERS, read_document
from .manifest import (
    MANIFEST_COLUMNS,
    MANIFEST_NAME,
    SKIP_STATUSES,
    manifest_rows,
    slug,
    unique_id,
)
from .metadata import derive_place, infer_metadata
from .structure import build_units, clean

_SKIP_NAMES = {MANIFEST_NAME, "README.md", "readme.md", ".DS_Store", "Thumbs.db"}


def discover(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, str]], list[tuple[str, str]], list[Path]]:
    """Expand files and folders into (file, as-given path) pairs; return them, rejections and manifests found.

    Folders are walked recursively in sorted order; hidden files, manifests and READMEs are skipped; directory
    symlinks are followed once (a loop is reported, not followed forever).
    """
    files: list[tuple[Path, str]] = []
    rejected: list[tuple[str, str]] = []
    manifests: list[Path] = []
    seen_dirs: set[str] = set()
    for given in paths:
        p = Path(given)
        if not p.exists():
            rejected.append((str(given), "no such file or folder"))
            continue
        if p.is_file():
            files.append((p, str(given)))
            continue
        if (p / MANIFEST_NAME).is_file():
            manifests.append(p / MANIFEST_NAME)
        for root, dirs, names in os.walk(p, followlinks=True):
            real = os.path.realpath(root)
            if real in seen_dirs:
                rejected.append((root, "directory symlink loop (already visited), skipped"))
                dirs[:] = []
                continue
            seen_dirs.add(real)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or name in _SKIP_NAMES:
                    continue
                fp = Path(root) / name
                files.append((fp, str(fp)))
    return files, rejected, manifests


def parse_document(path: str | Path, *, doc_id: str | None = None, gazetteer: str | None = None,
                   overrides: dict[str, str] | None = None) -> tuple[dict, list[dict], list[dict]]:
    """Read, clean, infer and structure one file -> (doc row, unit rows, section rows). Raises InputError."""
    path = Path(path)
    decoded = read_document(path)
    cleaned = clean(decoded.text)
    if not cleaned.lines:
        raise InputError(path, "no text left after removing site chrome")
    md = infer_metadata(cleaned.lines, cleaned.header, gazetteer_path=gazetteer)
    source = {}
    for col, val in (overrides or {}).items():
        if val in ("", None) or col not in MANIFEST_COLUMNS or col in ("doc_id", "file", "note"):
            continue
        val = unicodedata.normalize("NFKC", str(val)).strip()
        if col in ("summary_year", "plan_year"):
            try:
                val = int(float(val))
            except ValueError:
                raise ManifestError(path, f"manifest column {col} must be a year, got {val!r}") from None
        setattr(md, col, val)
        source[col] = "manifest"
    if ("city" in source or "province" in source) and "place" not in source:
        md.place = md.level = None  # the place follows the person's city/province
    derive_place(md)
    text, units, sections = build_units(cleaned.lines, title_index=md.title_index, doc_type=md.doc_type,
                                        summary_year=md.summary_year, plan_year=md.plan_year, reply_index=md.reply_index)
    # the original script: the same kept lines (t2s keeps lengths), so offsets into text work for it too
    raw_original = decoded.original.split("\n")
    text_original = "\n".join("".join(raw_original[i].strip() for i in g) for g in cleaned.groups)
    if len(text_original) != len(text):
        text_original = text
    doc_id = doc_id or slug(path.stem)
    for n, u in enumerate(units):
        u["doc_id"] = doc_id
        u["unit_id"] = f"{doc_id}#{n:04d}"
        u["place"], u["level"], u["city"], u["province"], u["doc_type"] = (md.place, md.level, md.city, md.province,
                                                                          md.doc_type)
        u["year"] = _unit_year(u["part"], md.summary_year, md.plan_year)
    chars = {p: sum(u["end"] - u["start"] for u in units if u["part"] == p) for p in ("summary", "plan")}
    top = [s for s in sections if s.level == 1]
    doc = {
        "doc_id": doc_id, "path": str(path), "file": path.name, "title": md.title, "place": md.place, "level": md.level,
        "city": md.city, "province": md.province, "doc_type": md.doc_type, "summary_year": md.summary_year,
        "plan_year": md.plan_year, "plan_period": md.plan_period, "published": md.published, "issuer": md.issuer,
        "doc_number": md.doc_number, "header_name": md.header_name,
        "encoding": decoded.encoding, "source_format": decoded.source_format, "traditional": decoded.traditional,
        "n_chars": len(text), "n_units": len(units), "n_top_sections": len(top),
        "n_sections_l2": sum(1 for s in sections if s.level == 2),
        "summary_chars": chars["summary"], "plan_chars": chars["plan"],
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "place_evidence": md.evidence.get("place"), "city_evidence": md.evidence.get("city"),
        "doc_type_evidence": md.evidence.get("doc_type"),
        "years_evidence": md.evidence.get("years"), "published_evidence": md.evidence.get("published"),
        "title_evidence": md.evidence.get("title"),
        "metadata_source": ";".join(f"{k}=manifest" for k in sorted(source)) or "inferred",
        "text": text, "text_original": text_original,
    }
    for col, ev in (("place", "place_evidence"), ("city", "city_evidence"), ("doc_type", "doc_type_evidence"),
                    ("summary_year", "years_evidence"),
                    ("plan_year", "years_evidence"), ("published", "published_evidence"), ("title", "title_evidence")):
        if col in source:
            doc[ev] = "manifest"
    sec_rows = [{"doc_id": doc_id, "section_id": s.section_id, "parent_id": s.parent_id, "level": s.level,
                 "depth": s.depth, "number": s.number, "marker": s.marker, "repaired": s.repaired, "title": s.title,
                 "part": s.part, "part_evidence": s.part_evidence, "start": s.start, "end": s.end} for s in sections]
    return doc, units, sec_rows


def _unit_year(part: str, summary_year, plan_year):
    if part == "plan":
        return plan_year
    if part in ("summary", "proposal", "reply"):
        return summary_year if summary_year is not None else plan_year
    return summary_year if summary_year is not None else plan_year


def plan_documents(paths: str | Path | Sequence[str | Path] | None = None, manifest: str | Path | bool | None = None
                   ) -> tuple[list[tuple[Path, str, str, dict]], list[tuple[str, str]]]:
    """Which files to read, under which doc_id and with which manifest values: the plan shared by
    :func:`load_corpus` and the cached build.

    Returns ``([(file, path as given, doc_id, manifest overrides), …], [(path, reason), …])``: unsupported files and
    unusable manifest rows are rejected; rows whose ``status`` is in :data:`SKIP_STATUSES` are left out; doc_ids are
    made unique (``_2``, ``_3`` …).
    """
    if paths is None:
        paths = [config.SEEDS_DIR]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    files, rejected, found = discover(paths)
    manifests: list[Path] = []
    if manifest is None:
        manifests = found
    elif manifest is not False:
        if not Path(manifest).is_file():
            raise ManifestError(manifest, "manifest file not found")
        manifests = [Path(manifest)]
    mrows, mrejected = manifest_rows(manifests, [Path(p) for p in paths if Path(p).is_dir()])
    rejected += mrejected
    planned = []
    used_ids: set[str] = set()
    for fpath, given in files:
        if fpath.suffix.lower() not in READERS:
            rejected.append((given, f"unsupported file type '{fpath.suffix or '(none)'}' (supported: {', '.join(sorted(READERS))})"))
            continue
        over = {k: v for k, v in mrows.get(str(fpath.resolve()), {}).items()
                if v not in ("", None) and not (isinstance(v, float) and v != v)}
        if str(over.get("status", "")).strip() in SKIP_STATUSES:
            continue  # a copy of another document, or excluded by the person reviewing the manifest
        doc_id = unique_id(str(over.get("doc_id") or slug(fpath.stem)), used_ids)
        planned.append((fpath, given, doc_id, over))
    return planned, rejected


#: field that must be known -> the evidence column that says why it is not
_NEEDED = {"city": "city_evidence", "doc_type": "doc_type_evidence", "summary_year": "years_evidence",
           "plan_year": "years_evidence"}


def missing_metadata(docs: pd.DataFrame) -> list[str]:
    """One message per document and field it needs but lacks (place, type, the year its type needs), naming the
    manifest column to fill."""
    out = []
    for doc in docs.to_dict("records"):
        needed = ["city", "doc_type", "plan_year" if doc.get("doc_type") == "plan" else "summary_year"]
        for col in needed:
            value = doc.get(col)
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                why = doc.get(_NEEDED[col]) or "no evidence"
                out.append(f"{doc.get('path') or doc['doc_id']}: {col} could not be inferred ({why}); "
                           f"fill the manifest column '{col}'")
    return out
