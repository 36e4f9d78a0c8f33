"""Files + manifest -> Corpus(docs, units, sections, rejected).

``load_corpus`` reads files and folders (never modifying them), cleans and structures every document, infers its
metadata with evidence, lets a manifest override what a careful reader knows, and collects rejected files with a
one-line reason instead of stopping.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .errors import AnalysisError, InputError, ManifestError
from .metadata import infer_metadata, read_manifest
from .structure import build_units, clean
from .textio import READERS, read_document

MANIFEST_NAME = "corpus.csv"
MANIFEST_COLUMNS = ("doc_id", "file", "city", "province", "doc_type", "summary_year", "plan_year", "published", "title", "note")
#: Manifest ``status`` values (written by ``analysis.ingest``) whose files are not loaded.
SKIP_STATUSES = ("duplicate", "near_duplicate", "rejected", "missing")
_SKIP_NAMES = {MANIFEST_NAME, "README.md", "readme.md", ".DS_Store", "Thumbs.db"}
DOC_COLUMNS = ("doc_id", "path", "file", "title", "city", "province", "doc_type", "summary_year", "plan_year",
               "published", "issuer", "doc_number", "header_name", "encoding", "source_format", "traditional",
               "n_chars", "n_units", "n_top_sections", "n_sections_l2", "summary_chars", "plan_chars", "sha256",
               "city_evidence", "doc_type_evidence", "years_evidence", "published_evidence", "title_evidence",
               "metadata_source", "text", "text_original")
UNIT_COLUMNS = ("doc_id", "unit_id", "para_id", "sent_no", "section_id", "section_path", "heading", "level",
                "is_heading", "enum", "enum_repaired", "part", "start", "end", "text", "city", "province", "doc_type", "year")


@dataclass
class Corpus:
    """Documents and their sentence units as tidy DataFrames, plus the sections and the files rejected."""

    docs: pd.DataFrame
    units: pd.DataFrame
    sections: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["path", "reason"]))

    def __len__(self) -> int:
        return len(self.docs)

    def __repr__(self) -> str:
        return f"Corpus({len(self.docs)} documents, {len(self.units)} units, {len(self.rejected)} rejected)"

    def subset(self, *, cities: Sequence[str] | None = None, doc_ids: Sequence[str] | None = None) -> "Corpus":
        """The corpus restricted to some cities and/or documents."""
        keep = self.docs
        if cities:
            keep = keep[keep["city"].isin(cities)]
        if doc_ids:
            keep = keep[keep["doc_id"].isin(doc_ids)]
        ids = set(keep["doc_id"])
        return Corpus(keep.reset_index(drop=True), self.units[self.units["doc_id"].isin(ids)].reset_index(drop=True),
                      self.sections[self.sections["doc_id"].isin(ids)].reset_index(drop=True), self.rejected)


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


def _slug(stem: str) -> str:
    s = re.sub(r"[\s/\\]+", "_", stem.strip())
    return re.sub(r"[^\w\-.]", "", s) or "doc"


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
    text, units, sections = build_units(cleaned.lines, title_index=md.title_index, doc_type=md.doc_type,
                                        summary_year=md.summary_year, plan_year=md.plan_year, reply_index=md.reply_index)
    # the original script: the same kept lines (t2s keeps lengths), so offsets into text work for it too
    raw_original = decoded.original.split("\n")
    text_original = "\n".join(raw_original[i].strip() for i in cleaned.indices)
    if len(text_original) != len(text):
        text_original = text
    doc_id = doc_id or _slug(path.stem)
    for n, u in enumerate(units):
        u["doc_id"] = doc_id
        u["unit_id"] = f"{doc_id}#{n:04d}"
        u["city"], u["province"], u["doc_type"] = md.city, md.province, md.doc_type
        u["year"] = _unit_year(u["part"], md.summary_year, md.plan_year)
    chars = {p: sum(u["end"] - u["start"] for u in units if u["part"] == p) for p in ("summary", "plan")}
    top = [s for s in sections if s.level == 1]
    doc = {
        "doc_id": doc_id, "path": str(path), "file": path.name, "title": md.title, "city": md.city,
        "province": md.province, "doc_type": md.doc_type, "summary_year": md.summary_year, "plan_year": md.plan_year,
        "published": md.published, "issuer": md.issuer, "doc_number": md.doc_number, "header_name": md.header_name,
        "encoding": decoded.encoding, "source_format": decoded.source_format, "traditional": decoded.traditional,
        "n_chars": len(text), "n_units": len(units), "n_top_sections": len(top),
        "n_sections_l2": sum(1 for s in sections if s.level == 2),
        "summary_chars": chars["summary"], "plan_chars": chars["plan"],
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "city_evidence": md.evidence.get("city"), "doc_type_evidence": md.evidence.get("doc_type"),
        "years_evidence": md.evidence.get("years"), "published_evidence": md.evidence.get("published"),
        "title_evidence": md.evidence.get("title"),
        "metadata_source": ";".join(f"{k}=manifest" for k in sorted(source)) or "inferred",
        "text": text, "text_original": text_original,
    }
    for col, ev in (("city", "city_evidence"), ("doc_type", "doc_type_evidence"), ("summary_year", "years_evidence"),
                    ("plan_year", "years_evidence"), ("published", "published_evidence"), ("title", "title_evidence")):
        if col in source:
            doc[ev] = "manifest"
    sec_rows = [{"doc_id": doc_id, "section_id": s.section_id, "parent_id": s.parent_id, "level": s.level,
                 "depth": s.depth, "number": s.number, "marker": s.marker, "repaired": s.repaired, "title": s.title,
                 "part": s.part, "start": s.start, "end": s.end} for s in sections]
    return doc, units, sec_rows


def _unit_year(part: str, summary_year, plan_year):
    if part == "plan":
        return plan_year
    if part in ("summary", "proposal", "reply"):
        return summary_year if summary_year is not None else plan_year
    return summary_year if summary_year is not None else plan_year


def _manifest_rows(manifests: Sequence[Path], roots: Sequence[Path] = ()) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """Manifest rows keyed by resolved file path; rows pointing outside the manifest's folder (and outside the
    folders being loaded, ``roots``) are refused."""
    rows: dict[str, dict] = {}
    roots = [Path(r).resolve() for r in roots]
    rejected = []
    for mpath in manifests:
        try:
            df = read_manifest(mpath)
        except ManifestError as exc:
            rejected.append((str(mpath), exc.reason))
            continue
        base = mpath.parent.resolve()
        for rec in df.to_dict("records"):
            target = (base / rec["file"]).resolve()
            if not any(b == target or b in target.parents for b in (base, *roots)):
                rejected.append((f"{mpath}: {rec['file']}", "manifest path points outside the corpus folder; refused"))
                continue
            rows[str(target)] = rec
    return rows, rejected


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
    mrows, mrejected = _manifest_rows(manifests, [Path(p) for p in paths if Path(p).is_dir()])
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
        doc_id = str(over.get("doc_id") or _slug(fpath.stem))
        base_id, k = doc_id, 2
        while doc_id in used_ids:
            doc_id, k = f"{base_id}_{k}", k + 1
        used_ids.add(doc_id)
        planned.append((fpath, given, doc_id, over))
    return planned, rejected


def load_corpus(paths: str | Path | Sequence[str | Path] | None = None, manifest: str | Path | bool | None = None,
                *, gazetteer: str | Path | None = None) -> Corpus:
    """Load documents from files and/or folders into a Corpus.

    Parameters
    ----------
    paths : files or folders; None means the bundled seeds.
    manifest : a manifest CSV whose non-empty values override inference; None uses a ``corpus.csv`` found in a
        given folder; False uses none (pure inference). Files whose manifest ``status`` is duplicate,
        near_duplicate, rejected or missing (see ``analysis.ingest``) are skipped, not loaded.
    gazetteer : an alternative administrative-division CSV.

    Returns
    -------
    Corpus with ``docs`` (one row per document), ``units`` (one row per sentence), ``sections`` and ``rejected``
    (path, reason) for every file that could not be used. Files whose city or year cannot be inferred are kept,
    with a warning naming the manifest column to fill.
    """
    planned, rejected = plan_documents(paths, manifest)
    docs, units, sections = [], [], []
    gz = str(gazetteer) if gazetteer else None
    for fpath, given, doc_id, over in planned:
        try:
            doc, urows, srows = parse_document(fpath, doc_id=doc_id, gazetteer=gz, overrides=over)
        except InputError as exc:
            rejected.append((given, exc.reason))
            continue
        except (AnalysisError, UnicodeError, ValueError, OSError) as exc:  # never a traceback for one bad file
            rejected.append((given, f"could not be parsed: {type(exc).__name__}: {exc}"))
            continue
        doc["path"] = given
        docs.append(doc)
        units += urows
        sections += srows
        _warn_missing(doc, given)
    return Corpus(_frame(docs, DOC_COLUMNS), _frame(units, UNIT_COLUMNS), pd.DataFrame(sections),
                  pd.DataFrame(rejected, columns=["path", "reason"]))


#: field that must be known -> the evidence column that says why it is not
_NEEDED = {"city": "city_evidence", "doc_type": "doc_type_evidence", "summary_year": "years_evidence",
           "plan_year": "years_evidence"}


def _warn_missing(doc: dict, given: str) -> None:
    """Warn, naming the manifest column to fill, when the city, the type or the year a document needs is unknown."""
    needed = ["city", "doc_type"]
    needed.append("plan_year" if doc["doc_type"] == "plan" else "summary_year")
    for col in needed:
        if doc[col] is None:
            why = doc.get(_NEEDED[col]) or "no evidence"
            warnings.warn(f"{given}: {col} could not be inferred ({why}); fill the manifest column '{col}'", stacklevel=3)


def _frame(rows: list[dict], columns: Sequence[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    for col in ("summary_year", "plan_year", "year"):
        if col in df:
            df[col] = pd.array(df[col], dtype="Int64")
    return df
