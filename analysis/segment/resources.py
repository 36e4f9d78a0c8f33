"""The lexical resources of segmentation: policy lexicon, aliases, stopwords and formulaic phrases (data files)."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .. import config
from ..errors import ParameterError, ResourceError


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Resources:
    """The lexical resources one segmentation uses: lexicon, aliases, stopwords, formulaic phrases."""

    lexicon: dict[str, int] = field(default_factory=dict)  # term -> jieba frequency (0 = unspecified)
    aliases: dict[str, str] = field(default_factory=dict)  # variant -> canonical
    stopwords: frozenset[str] = frozenset()
    formulaic: frozenset[str] = frozenset()
    sources: dict[str, str] = field(default_factory=dict)  # resource name -> path or "<given>"

    @cached_property
    def protected(self) -> tuple[str, ...]:
        """Terms kept whole by segmentation, longest first."""
        terms = set(self.lexicon) | set(self.aliases) | set(self.aliases.values()) | set(self.formulaic)
        return tuple(sorted((t for t in terms if t), key=lambda t: (-len(t), t)))

    @cached_property
    def protect_automaton(self):
        """An Aho–Corasick automaton of the protected terms (``ahocorasick.Automaton``, values = term lengths), or
        None without terms; :func:`analysis.segment.cut.protected_spans` takes the leftmost-longest matches."""
        if not self.protected:
            return None
        return _automaton(self.protected)

    @cached_property
    def segmentation_fingerprint(self) -> str:
        """Hash of everything that changes where tokens are cut (not stopwords, not alias targets)."""
        payload = {"lexicon": sorted(self.lexicon.items()), "protected": list(self.protected)}
        return _sha256(json.dumps(payload, ensure_ascii=False))

    @cached_property
    def fingerprint(self) -> str:
        """Hash of all four resources (segmentation, folding and classes)."""
        payload = {"seg": self.segmentation_fingerprint, "aliases": sorted(self.aliases.items()),
                   "stopwords": sorted(self.stopwords), "formulaic": sorted(self.formulaic)}
        return _sha256(json.dumps(payload, ensure_ascii=False))


@lru_cache(maxsize=8)
def _automaton(terms: tuple[str, ...]):
    """Compile the terms into one Aho–Corasick automaton (pyahocorasick). Cached, so reloading the same resources
    does not rebuild it."""
    import ahocorasick

    automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    for term in terms:
        automaton.add_word(term)
    automaton.make_automaton()
    return automaton


ResourceArg = str | os.PathLike | Iterable[str] | dict | None | bool


def load_resources(*, lexicon: ResourceArg = None, aliases: ResourceArg = None, stopwords: ResourceArg = None,
                   formulaic: ResourceArg = None) -> Resources:
    """Load the lexicon, alias map, stopword and formulaic-phrase lists.

    Parameters
    ----------
    lexicon, aliases, stopwords, formulaic
        ``None``: the bundled file (``analysis/resources/policy_lexicon.txt``, ``aliases.csv``,
        ``stopwords.txt``, ``formulaic.txt``); a path: the user's file in the same format; ``False``: none;
        an iterable of terms (a dict ``variant -> canonical`` for aliases) for programmatic use.

    Returns
    -------
    Resources
    """
    sources: dict[str, str] = {}
    lex = _load(lexicon, "policy_lexicon.txt", _read_lexicon, sources, "lexicon")
    if not isinstance(lex, dict):
        lex = {_norm(t): 0 for t in lex}
    ali = _load(aliases, "aliases.csv", _read_aliases, sources, "aliases")
    if not isinstance(ali, dict):
        raise ParameterError("aliases", aliases, reason="give a CSV path or a dict variant -> canonical")
    ali = {_norm(k): _norm(v) for k, v in ali.items() if _norm(k) and _norm(v) and _norm(k) != _norm(v)}
    stops = frozenset(_norm(t) for t in _load(stopwords, "stopwords.txt", _read_lines, sources, "stopwords"))
    form = frozenset(_norm(t) for t in _load(formulaic, "formulaic.txt", _read_lines, sources, "formulaic"))
    return Resources(lexicon=lex, aliases=ali, stopwords=stops - {""}, formulaic=form - {""}, sources=sources)


def _load(arg, default_name, reader, sources, key):
    if arg is False:
        sources[key] = "<none>"
        return {}
    if arg is None or arg is True:
        arg = config.resource_path(default_name)
    if isinstance(arg, (str, os.PathLike)):
        path = Path(arg)
        if not path.is_file():
            raise ResourceError(path, f"{key} file not found")
        sources[key] = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ResourceError(path, f"cannot read {key} file as UTF-8 ({exc})") from exc
        return reader(text, path)
    sources[key] = "<given>"
    if isinstance(arg, dict):
        return dict(arg)
    return list(arg)


def _read_lines(text: str, path: Path) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _read_lexicon(text: str, path: Path) -> dict[str, int]:
    """jieba userdict format: ``term [freq] [pos]`` per line."""
    out: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = 0
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise ResourceError(path, f"line {n}: frequency {parts[1]!r} is not an integer (format: term freq pos)")
            freq = int(parts[1])
        out[_norm(parts[0])] = max(freq, out.get(_norm(parts[0]), 0))
    return out


def _read_aliases(text: str, path: Path) -> dict[str, str]:
    rows = list(csv.reader(line for line in text.splitlines() if line.strip() and not line.startswith("#")))
    if not rows:
        return {}
    header = [h.strip().lower() for h in rows[0]]
    if "variant" in header and "canonical" in header:
        iv, ic = header.index("variant"), header.index("canonical")
        rows = rows[1:]
    else:
        iv, ic = 0, 1
    out = {}
    for n, row in enumerate(rows, 2):
        if len(row) <= max(iv, ic):
            raise ResourceError(path, f"row {n}: expected columns variant,canonical[,note]")
        out[row[iv].strip()] = row[ic].strip()
    return out


def _norm(term: str) -> str:
    return unicodedata.normalize("NFKC", str(term)).strip()
