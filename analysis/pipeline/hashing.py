"""Content keys of the build: file hashes, the code each stage runs, resource hashes and versions.

A stage's key changes when anything its result depends on changes: the document's bytes and manifest row, the
resource files, the source of every analysis module the stage imports (followed through relative imports), and
the versions of the libraries that shape the output.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config
from .options import (
    BUILD_FORMAT,
    RESOURCE_FILES,
    STAGE_MODULES,
    STAGES,
    Options,
    resource_file,
)


def sha(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


_HASHES: dict[str, tuple[tuple, str]] = {}


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes, cached per process by (size, mtime, inode): an edited file is hashed again."""
    path = str(path)
    try:
        st = os.stat(path)
    except OSError:
        return ""
    sig = (st.st_size, st.st_mtime_ns, st.st_ino)
    hit = _HASHES.get(path)
    if hit is not None and hit[0] == sig:
        return hit[1]
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    _HASHES[path] = (sig, digest)
    return digest




_RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.M)


@lru_cache(maxsize=128)
def _imports_of(mod: str) -> tuple[str, ...]:
    """The analysis modules ``mod`` imports with relative imports (read from the source: a regex, not ``ast``,
    because this runs at the start of every build, warm ones included)."""
    path = _module_file(mod)
    if path is None:
        return ()
    pkg = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []
    for dots, name, names in _RELATIVE_IMPORT.findall(path.read_text(encoding="utf-8")):
        base = pkg.split(".") if pkg else []
        base = base[: len(base) - (len(dots) - 1)] if len(dots) > 1 else base
        target = ".".join([*base, name] if name else base)
        if name:
            out.append(target)
        for alias in names.strip("()").replace("\n", " ").split(","):  # ``from . import config`` names a module
            alias = alias.split(" as ")[0].strip()
            if alias.isidentifier():
                out.append(f"{target}.{alias}" if target else alias)
    return tuple(out)


@lru_cache(maxsize=32)
def _module_closure(name: str) -> tuple[str, ...]:
    """The analysis modules ``name`` imports, directly or not (only those that exist as files)."""
    seen: list[str] = []
    todo = [name]
    while todo:
        mod = todo.pop()
        if mod in seen or _module_file(mod) is None:
            continue
        seen.append(mod)
        todo += _imports_of(mod)
    return tuple(sorted(seen))


def _module_file(mod: str) -> Path | None:
    base = config.PACKAGE_DIR.joinpath(*mod.split(".")) if mod else config.PACKAGE_DIR
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


@lru_cache(maxsize=16)
def _code_hash(stage: str) -> str:
    """Hash of the source of every analysis module a stage runs, so a code change recomputes that stage."""
    mods = sorted({m for top in STAGE_MODULES[stage] for m in _module_closure(top)})
    return sha(*(f"{m}:{file_hash(_module_file(m))}" for m in mods))


@lru_cache(maxsize=8)
def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint(opts: Options) -> dict:
    """Everything besides a document that its stage keys depend on: resource hashes, code hashes, versions."""
    from .. import __version__

    res = {name: file_hash(resource_file(opts, name)) for name in RESOURCE_FILES}
    return {"resources": res, "code": {s: _code_hash(s) for s in STAGES},
            "versions": {"analysis": __version__, "python": sys.version.split()[0], "segmenter": _version(opts.segmenter),
                         "pandas": pd.__version__, "pyarrow": _version("pyarrow")},
            "options": {"segmenter": opts.segmenter, "hmm": opts.hmm}}


def stage_keys(doc_hash: str, doc_id: str, file_name: str, overrides: dict, fp: dict) -> dict[str, str]:
    """The content key of each stage of one document (``fp`` is :func:`_fingerprint` of the build's options)."""
    res, code, ver = fp["resources"], fp["code"], fp["versions"]
    parse = sha("parse", BUILD_FORMAT, ver["analysis"], doc_hash, doc_id, file_name,
                 json.dumps(overrides, sort_keys=True, ensure_ascii=False, default=str), res["gazetteer"], res["chrome"],
                 code["parse"])
    return {
        "parse": parse,
        "tokens": sha("tokens", parse, fp["options"]["segmenter"], ver["segmenter"], fp["options"]["hmm"],
                       res["lexicon"], res["aliases"], res["stopwords"], res["formulaic"], code["tokens"]),
        "themes": sha("themes", parse, res["taxonomy"], res["scheme"], code["themes"]),
        "metrics": sha("metrics", parse, res["indicators"], code["metrics"]),
    }
