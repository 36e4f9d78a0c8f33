"""Bulk ingestion: a folder of downloads -> a reviewable manifest (metadata, confidence, evidence, status, duplicates).

The manifest is the researcher's file. Ingestion fills only what is empty: a value a person wrote (any non-empty
cell of ``doc_id, file, city, province, doc_type, summary_year, plan_year, published, title, note``) is never
changed, rows of files that have gone are kept (status ``missing``), columns a person added are kept, and a
``status`` a person set is kept as long as it differs from what ingestion would say (``status_reason`` starts
with ingestion's own verdict, so the two can be told apart on every later run).

Statuses: ``ok``; ``review`` (city, document type or a needed year is missing or only weakly inferred);
``duplicate`` (same normalised text as ``duplicate_of``); ``near_duplicate`` (character 5-gram Jaccard
similarity >= ``threshold`` with ``duplicate_of``); ``rejected`` (unreadable, with the reason); ``missing``.
:func:`analysis.corpus.load_corpus` skips rows whose status is duplicate, near_duplicate, rejected or missing.

Confidence of an inferred field, from the kind of evidence: ``high`` (issuer header, title, proposal number,
publication-date header field), ``medium`` (city mentions with a clear margin, a year in the first paragraph, a
province named), ``low`` (tone cues, ambiguous mentions, nothing found); ``manual`` when the manifest value
differs from inference or was written where ingestion never wrote evidence.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import (
    AnalysisWarning,
    InputError,
    ManifestError,
    ParameterError,
    StorageError,
)
from ..files import backup, display_path, write_csv
from .decode import check_input, size_limit
from .load import discover, parse_document
from .manifest import (
    MANIFEST_COLUMNS,
    MANIFEST_NAME,
    OUTSIDE,
    SKIP_STATUSES,
    file_target,
    inside,
    normal_status,
    parse_year,
    read_manifest,
    row_problems,
    slug,
    unique_id,
)
from .similarity import SHINGLE, jaccard, shingles  # noqa: F401  (shingles, jaccard: public names)
from .similarity import sketch_estimate as _sketch_estimate
from .structure import normalize_date

#: Inferred fields that get a ``<field>_confidence`` and ``<field>_evidence`` column.
FIELDS = ("city", "province", "doc_type", "summary_year", "plan_year", "published", "title")
STATUS_COLUMNS = ("status", "status_reason", "duplicate_of", "similarity", "sha256")
COLUMNS = MANIFEST_COLUMNS + tuple(f"{f}_{k}" for f in FIELDS for k in ("confidence", "evidence")) + STATUS_COLUMNS
#: The manifest is written as UTF-8 with a BOM: Excel (Windows, Chinese locale) then opens it as UTF-8, not GBK.
MANIFEST_ENCODING = "utf-8-sig"
#: Among copies of one document the kept one is the earliest published, then the best-structured format
#: (a PDF's text layer loses paragraph breaks), then the first path.
FORMAT_RANK = {"text": 0, "html": 0, "docx": 0, "pdf": 1}


@dataclass
class IngestResult:
    """What one ingestion run found and wrote."""

    manifest: pd.DataFrame          # the manifest rows (all values as strings, "" when empty), as written
    summary: pd.DataFrame           # city, year, doc_type, n: the documents kept for analysis
    duplicates: pd.DataFrame        # doc_id, file, status, duplicate_of, similarity: every copy and what it copies
    rejected: pd.DataFrame          # path, reason: files and manifest rows that could not be used
    path: Path | None = None        # where the manifest was written (None on a dry run)
    counts: dict[str, int] = field(default_factory=dict)  # rows per status

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        return f"IngestResult({len(self.manifest)} rows: {counts}; manifest {self.path or '(not written)'})"


def ingest(folder: str | Path, *, manifest: str | Path | None = None, write: bool = True,
           threshold: float = 0.9, max_mb: float | None = None, gazetteer: str | Path | None = None,
           progress: bool = False, links: bool = False) -> IngestResult:
    """Walk a folder, load every document, group duplicates, and write (or update) its manifest.

    Parameters
    ----------
    folder : the folder of source documents (walked recursively; never modified, except for the manifest
        when it is written inside it).
    manifest : the manifest CSV to write; default ``<folder>/corpus.csv``. If it exists it is updated; if not and
        ``<folder>/corpus.csv`` exists, that one's values are carried over.
    write : False for a dry run (nothing written).
    threshold : character 5-gram Jaccard similarity from which two documents are near duplicates.
    max_mb : text and HTML files larger than this (PDF and Word files: 10 times this) are rejected as
        "file too large" (default: :data:`analysis.corpus.decode.MAX_MB`, the limit of every command).
    links : also read symlinks that lead outside ``folder`` (refused by default).
    gazetteer : an alternative administrative-division CSV.
    progress : show a progress bar on stderr (only when stderr is a terminal).

    Returns
    -------
    IngestResult with the manifest, a city × year × doc_type summary, the duplicate groups and rejections.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "not a folder (ingest walks a folder of documents)")
    if not 0 < threshold <= 1:
        raise ParameterError("threshold", threshold, "a similarity in (0, 1]")
    max_mb = size_limit(max_mb)
    if max_mb <= 0:
        raise ParameterError("max_mb", max_mb, "a positive size in MB")
    out = Path(manifest) if manifest is not None else folder / MANIFEST_NAME
    if out.exists() and out.is_dir():
        raise ManifestError(out, "the manifest path is a folder")
    previous = out if out.is_file() else (folder / MANIFEST_NAME if (folder / MANIFEST_NAME).is_file() else None)
    old_rows, rejected = _previous_rows(previous, folder) if previous else ([], [])

    files, walk_rejected, _ = discover([folder], links=links)
    rejected += walk_rejected
    skip = {p.resolve() for p in (out, previous) if p is not None and p.exists()}
    docs: dict[Path, dict] = {}
    failures: dict[Path, str] = {}
    order: list[Path] = []
    from tqdm import tqdm

    for fpath, given in tqdm(files, desc="ingest", unit="file", disable=None if progress else True):
        key = fpath.resolve()
        if key in skip:
            continue
        if key in docs or key in failures:
            rejected.append((display_path(given), "same file as one already read (a symlink), skipped"))
            continue
        order.append(key)
        reason = _check_file(fpath, max_mb)
        if reason is None:
            try:
                docs[key] = _read(fpath, gazetteer)
                continue
            except InputError as exc:
                reason = exc.reason
            except Exception as exc:  # one bad file must not end a bulk run; its reason goes into the manifest
                reason = f"could not be parsed ({type(exc).__name__}: {str(exc)[:120]}); please report this"
        failures[key] = reason
        rejected.append((display_path(given), reason))

    base = out.parent.resolve()
    rows = _merge(order, docs, failures, old_rows, base, folder.resolve(), rejected)
    _group_duplicates(rows, docs, threshold)
    _assign_ids(rows, {r.get("doc_id", "") for r in old_rows} - {""})
    _finish_status(rows)
    df = pd.DataFrame(rows)
    extra = [c for c in df.columns if c not in COLUMNS and not c.startswith("_")]
    df = df.reindex(columns=list(COLUMNS) + extra).astype(object).fillna("").astype(str)
    if write:
        _write_csv(df, out)
    counts = {s: int(n) for s, n in df["status"].value_counts().items()}
    return IngestResult(manifest=df, summary=summary_table(df), duplicates=_duplicate_table(df),
                        rejected=pd.DataFrame(rejected, columns=["path", "reason"]),
                        path=out if write else None, counts=counts)


# --- reading ------------------------------------------------------------------------------------------------

def _check_file(path: Path, max_mb: float) -> str | None:
    return check_input(path, max_mb)


def _read(path: Path, gazetteer) -> dict:
    doc, _units, _sections, _dropped = parse_document(path, gazetteer=str(gazetteer) if gazetteer else None)
    flat = re.sub(r"\s+", "", doc.pop("text"))
    doc.pop("text_original", None)
    doc["sha256"] = hashlib.sha256(flat.encode("utf-8")).hexdigest()
    doc["_shingles"] = shingles(flat)
    return doc


# --- the previous manifest ----------------------------------------------------------------------------------

def _previous_rows(path: Path, folder: Path) -> tuple[list[dict], list[tuple[str, str]]]:
    """The previous manifest's rows with their resolved targets; rows pointing outside its folder are refused.

    Raises ManifestError (nothing is rewritten) for a manifest that cannot be read without misreading it; values
    that are not used as written (duplicate ids, years that are no year) are warned about, row by row, and kept.
    """
    df = read_manifest(path)
    for message in row_problems(path, df):
        warnings.warn(message, AnalysisWarning, stacklevel=3)
    base = path.parent.resolve()
    rows, rejected = [], []
    for rec in df.to_dict("records"):
        rec = {k: ("" if v is None else str(v)) for k, v in rec.items()}
        if rec.get("status", "").strip():
            rec["status"] = normal_status(rec["status"])
        name = rec.get("file", "").strip()
        target = file_target(base, name) if name else None
        if target is not None and not inside(target, [base]):
            rejected.append((f"{display_path(path)}: {display_path(name)}", OUTSIDE))
            rec["_refused"] = True
        rec["_target"] = target
        rows.append(rec)
    return rows, rejected


# --- merging inferred values with what a person wrote ---------------------------------------------------------

_HIGH = re.compile(r"^(发布机构|发文机关|名称|title|signature|proposal number|line \d+|发布日期|发布时间|时间|成文日期)"
                   r"\b")
_MEDIUM = re.compile(r"^(mentions|first paragraph|province named)")


def confidence(evidence: str | None, value) -> str:
    """high / medium / low from the kind of evidence (see the module docstring)."""
    if value in (None, "") or not evidence:
        return "low"
    if _HIGH.match(evidence):
        return "high"
    if _MEDIUM.match(evidence):
        return "medium"
    return "low"


def _needed_years(doc_type: str | None) -> tuple[str, ...]:
    return {"summary": ("summary_year",), "plan": ("plan_year",), "summary_and_plan": ("summary_year", "plan_year"),
            "proposal_reply": ("summary_year",), "gov_work_report": ("summary_year",)}.get(doc_type or "", ())


def _inferred(doc: dict) -> dict[str, tuple[object, str, str]]:
    """field -> (value, confidence, evidence) as inferred from the document alone."""
    ev = {"city": doc.get("city_evidence"), "doc_type": doc.get("doc_type_evidence"),
          "summary_year": doc.get("years_evidence"), "plan_year": doc.get("years_evidence"),
          "published": doc.get("published_evidence"), "title": doc.get("title_evidence")}
    out = {}
    for f in FIELDS:
        value = doc.get(f)
        if f == "province":
            if doc.get("city"):
                out[f] = (value, confidence(ev["city"], doc["city"]), f"from city {doc['city']} ({ev['city']})")
            elif value:
                out[f] = (value, "medium", "province named in the issuer or title")
            else:
                out[f] = (None, "low", "no province found")
            continue
        if f in ("summary_year", "plan_year") and value is None and f not in _needed_years(doc.get("doc_type")) \
                and (doc.get("doc_type") not in (None, "other") or doc.get("summary_year") or doc.get("plan_year")):
            out[f] = (None, "", f"not applicable to doc_type {doc.get('doc_type')}")
            continue
        evidence = ev[f] or ("no date found" if f == "published" else "nothing found")
        if f == "doc_type" and value == "other":
            out[f] = (value, "low", evidence)
            continue
        out[f] = (value, confidence(evidence, value), evidence)
    return out


def _text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _same(a: str, b: str) -> bool:
    ya, yb = parse_year(a), parse_year(b)
    if ya is not None and yb is not None:
        return ya == yb
    try:
        return int(float(a)) == int(float(b))
    except ValueError:
        return a == b


def _merge(order: Sequence[Path], docs: dict[Path, dict], failures: dict[Path, str], old_rows: list[dict],
           base: Path, folder: Path, rejected: list[tuple[str, str]]) -> list[dict]:
    """Manifest rows: previous rows in their order (updated), then new files; person-written values win."""
    rows: list[dict] = []
    seen: set[Path] = set()

    def file_row(key: Path, old: dict | None) -> dict:
        row = dict(old or {})
        row.pop("_target", None)
        row["file"] = display_path(Path(os.path.relpath(key, base)).as_posix())
        row["doc_id"] = row.get("doc_id", "") if _text(row.get("doc_id")) else ""  # new ids: after grouping
        row["_key"] = key
        if key in failures:
            row.update(sha256="", _auto=("rejected", failures[key]))
            for f in FIELDS:
                row.setdefault(f, "")
            return row
        doc = docs[key]
        row["sha256"] = doc["sha256"]
        row["_format"] = doc["source_format"]
        has_evidence = old is not None and any(_text(old.get(f"{f}_evidence")) for f in FIELDS)
        for f, (value, conf, evidence) in _inferred(doc).items():
            raw = (old or {}).get(f, "")
            mine, inferred = _text(raw), _text(value)
            if mine and (not has_evidence or not _same(mine, inferred) or not _text(old.get(f"{f}_evidence"))):
                row[f] = raw  # exactly as the person wrote it
                row[f"{f}_confidence"] = "manual"
                differs = inferred and not _same(mine, inferred)
                row[f"{f}_evidence"] = "manifest" + (f" (inferred {inferred}: {evidence})" if differs else "")
            else:
                row[f] = raw if mine else inferred
                row[f"{f}_confidence"] = conf
                row[f"{f}_evidence"] = evidence
        return row

    moved = _moved_files(order, docs, old_rows)
    for old in old_rows:
        target = old.get("_target")
        if target not in docs and target not in failures and old.get("_target") is not None \
                and _text(old.get("sha256")) in moved and not old.get("_refused"):
            target = moved.pop(_text(old.get("sha256")))  # the same text at a new path: the row follows it
        if old.get("_refused"):
            row = {k: v for k, v in old.items() if not k.startswith("_")}
            row["_auto"] = ("rejected", OUTSIDE)
            row["_old_status"] = (old.get("status", ""), old.get("status_reason", ""))
            rows.append(row)
            continue
        if target in docs or target in failures:
            if target in seen:  # load_corpus would use the last of them: drop it, say so
                rejected.append((f"manifest row {old.get('doc_id') or old.get('file')}",
                                 "a second row for the same file; dropped (the first row is kept)"))
                continue
            seen.add(target)
            row = file_row(target, old)
        else:
            row = {k: v for k, v in old.items() if not k.startswith("_")}
            inside = target is not None and (target == folder or folder in target.parents)
            if target is not None:
                row["file"] = display_path(Path(os.path.relpath(target, base)).as_posix())
            if target is not None and not inside:
                row["_untouched"] = True  # a file of another folder the manifest also covers: not ours to judge
            else:
                row["_auto"] = ("missing", "file not found" if target is not None else "row names no file")
        row["_old_status"] = (old.get("status", ""), old.get("status_reason", ""))
        rows.append(row)
    for key in order:
        if key not in seen:
            rows.append(file_row(key, None))
    return rows


def _moved_files(order: Sequence[Path], docs: dict[Path, dict], old_rows: list[dict]) -> dict[str, Path]:
    """Text hash -> file, for files no previous row names (a moved or renamed file is found by its content)."""
    named = {r.get("_target") for r in old_rows}
    out: dict[str, Path] = {}
    for key in order:
        if key in docs and key not in named:
            out.setdefault(docs[key]["sha256"], key)
    return out


# --- duplicates ---------------------------------------------------------------------------------------------

def _group_duplicates(rows: list[dict], docs: dict[Path, dict], threshold: float) -> None:
    """Mark copies: each document is compared with the kept ones before it (earliest published, best format,
    first path)."""
    candidates = [r for r in rows if r.get("_key") in docs and "_auto" not in r]
    candidates.sort(key=lambda r: (normalize_date(_text(r.get("published"))) or "9999",
                                   FORMAT_RANK.get(r.get("_format"), 1), r["file"]))
    leaders: list[dict] = []
    for row in candidates:
        sh = docs[row["_key"]]["_shingles"]
        for lead in leaders:
            if lead["sha256"] == row["sha256"]:
                row["_auto"] = ("duplicate", "same text as {lead}")
                row["_dup"] = (lead, "1.000")
                break
            lsh = docs[lead["_key"]]["_shingles"]
            small, large = sorted((len(sh), len(lsh)))
            if large == 0 or small / large < threshold:  # Jaccard <= |A|/|B|: cannot reach the threshold
                continue
            if _sketch_estimate(sh, lsh) < threshold - 0.15:
                continue
            sim = jaccard(sh, lsh)
            if sim >= threshold:
                row["_auto"] = ("near_duplicate", f"{sim:.3f} similar to {{lead}} (character {SHINGLE}-gram "
                                                  "Jaccard)")
                row["_dup"] = (lead, f"{sim:.3f}")
                break
        else:
            leaders.append(row)


def _assign_ids(rows: list[dict], used: set[str]) -> None:
    """Give new rows a doc_id from the file name (unique), kept documents before their copies."""
    for row in sorted(rows, key=lambda r: "_dup" in r):  # stable: file order within each group
        if "_key" in row and not row.get("doc_id"):
            row["doc_id"] = unique_id(slug(row["_key"].stem), used)
        used.add(row.get("doc_id", ""))


def _finish_status(rows: list[dict]) -> None:
    """Set status and status_reason: ingestion's verdict, unless a person set another status (kept)."""
    for row in rows:
        if row.pop("_untouched", False):
            _strip(row)
            continue
        auto = row.get("_auto")
        if auto is None:
            problems = []
            for f in ("city", "doc_type", *(_needed_years(row.get("doc_type")) or ("summary_year", "plan_year"))):
                conf = row.get(f"{f}_confidence", "")
                if not _text(row.get(f)):
                    problems.append(f"{f} missing")
                elif conf == "low":
                    problems.append(f"{f} low confidence ({row.get(f'{f}_evidence', '')})")
            any_year = _text(row.get("summary_year")) or _text(row.get("plan_year"))
            if not _needed_years(row.get("doc_type")) and any_year:  # other types: one year is enough
                problems = [p for p in problems if not p.startswith(("summary_year missing", "plan_year missing"))]
            auto = ("review", "; ".join(problems)) if problems else ("ok", "")
        status, reason = auto
        duplicate_of, similarity = row.get("_dup", ("", ""))
        if duplicate_of:
            duplicate_of = duplicate_of["doc_id"]
            reason = reason.format(lead=duplicate_of)
        verdict = f"{status}: {reason}" if reason else status
        old_status, old_reason = (_text(x) for x in row.get("_old_status", ("", "")))
        old_auto = re.split(r"[:\s(]", old_reason, maxsplit=1)[0] if old_reason else ""
        # a person's status wins, except over facts no decision changes (the file is gone or cannot be read)
        if old_status and old_status not in (status, old_auto) and status not in ("missing", "rejected"):
            row["status"] = old_status
            row["status_reason"] = f"{verdict} (status set by hand, kept)"
            duplicate_of = _text(row.get("duplicate_of")) or duplicate_of
            similarity = _text(row.get("similarity")) or similarity
        else:
            row["status"] = status
            row["status_reason"] = verdict
        row["duplicate_of"], row["similarity"] = duplicate_of, similarity
        _strip(row)


def _strip(row: dict) -> None:
    for k in [k for k in row if k.startswith("_")]:
        del row[k]


# --- tables and writing ---------------------------------------------------------------------------------------

def summary_table(manifest: pd.DataFrame) -> pd.DataFrame:
    """Documents kept for analysis (status ok or review) by city, year and doc_type.

    ``year`` is the summary year, or the plan year for a plan; a missing value shows as "?".
    """
    kept = manifest[~manifest["status"].isin(SKIP_STATUSES)]
    year = kept["summary_year"].where(kept["summary_year"] != "", kept["plan_year"])
    table = pd.DataFrame({"city": kept["city"].replace("", "?"), "year": year.replace("", "?"),
                          "doc_type": kept["doc_type"].replace("", "?")})
    out = table.value_counts().rename("n").reset_index()
    return out.sort_values(["city", "year", "doc_type"], ignore_index=True)


def _duplicate_table(manifest: pd.DataFrame) -> pd.DataFrame:
    dup = manifest[manifest["duplicate_of"] != ""]
    return dup[["doc_id", "file", "status", "duplicate_of", "similarity"]].reset_index(drop=True)


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """Keep the previous manifest as ``<name>.bak``, then write atomically (permissions kept), UTF-8 with BOM for
    Excel, every cell safe to open in a spreadsheet."""
    try:
        backup(path)
        write_csv(df, path, encoding=MANIFEST_ENCODING, lineterminator="\r\n")
    except OSError as exc:
        raise StorageError.from_os_error(exc, path) from None
