"""Files -> documents: decode (encodings, HTML), formats (PDF, DOCX), structure (chrome, header, headings,
sections, parts, units), metadata (place, genre, years, dates, with evidence), the manifest, and bulk ingest.

The cached build (:mod:`analysis.pipeline`) runs :func:`parse_document` once per document; read the tables
with :func:`analysis.load_corpus`.
"""
from .load import discover, missing_metadata, parse_document, plan_documents
from .manifest import MANIFEST_COLUMNS, MANIFEST_NAME, SKIP_STATUSES, read_manifest
from .model import DOC_COLUMNS, UNIT_COLUMNS, Corpus, docs_of, units_of

__all__ = ["Corpus", "DOC_COLUMNS", "UNIT_COLUMNS", "MANIFEST_COLUMNS", "MANIFEST_NAME", "SKIP_STATUSES",
           "discover", "parse_document", "plan_documents", "missing_metadata", "read_manifest", "units_of",
           "docs_of"]
