"""The indicator catalogue: a YAML data file (``resources/indicators.yaml``) read into checked dataclasses.

The file format is documented at the top of the bundled file; a user's own file with the same fields replaces it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from .. import config
from ..errors import ResourceError

Measure = Literal["stock", "flow", "ratio"]
DEFAULT_CATALOGUE = "indicators.yaml"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELDS = {"id", "label_zh", "label_en", "unit", "units", "measure", "direction", "aliases", "weak_aliases",
           "require_any", "exclude", "exclude_unless", "flow_cues", "continue_cues", "levels", "not_counted",
           "additions", "examples", "subset_of", "not_after"}


@dataclass(frozen=True)
class WeakAlias:
    """A phrase that names the indicator only after one of ``after`` in the same sentence (成交额 after 技术合同),
    and only when none of ``not_between`` stands between that word and the phrase (the share of another subject)."""

    alias: str
    after: tuple[str, ...]
    not_between: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """One catalogued indicator: how it is named, its unit, and what does not count as its value."""

    id: str
    label_zh: str
    label_en: str
    unit: str
    units: tuple[str, ...] = ()
    measure: Measure = "stock"
    direction: Literal["up", "down"] = "up"
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[WeakAlias, ...] = ()
    require_any: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    exclude_unless: tuple[str, ...] = ()
    flow_cues: tuple[str, ...] = ()
    continue_cues: tuple[str, ...] = ()
    levels: bool = False
    not_counted: str = ""
    additions: bool = False
    examples: tuple[tuple[str, str], ...] = ()
    subset_of: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()

    @property
    def accepted_units(self) -> tuple[str, ...]:
        return (self.unit, *self.units)


@dataclass(frozen=True)
class Catalogue:
    """The indicators, plus the words marking a figure for a sub-area of the city; ``source`` is the file read."""

    indicators: tuple[Indicator, ...]
    sub_city_scopes: tuple[str, ...] = ()
    source: str = ""

    def __getitem__(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    @property
    def ids(self) -> list[str]:
        return [ind.id for ind in self.indicators]

    def subset(self, ids: list[str] | tuple[str, ...]) -> "Catalogue":
        """The catalogue restricted to some indicator ids (unknown ids raise ParameterError)."""
        from ..errors import ParameterError

        unknown = [i for i in ids if i not in self.ids]
        if unknown:
            raise ParameterError("indicator", unknown[0], self.ids)
        return Catalogue(tuple(ind for ind in self.indicators if ind.id in ids), self.sub_city_scopes, self.source)


def _strings(value, path: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ResourceError(path, f"{where}: expected a list of strings")
    return tuple(str(v) for v in value if str(v).strip())


def _examples(value, path: str, where: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ResourceError(path, f"{where}.examples: expected a mapping alias -> example sentence")
    return tuple(value.items())


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and check an indicator catalogue (default: the bundled ``indicators.yaml``).

    Parameters
    ----------
    path : a YAML file in the format of the bundled one (see its header), or None.

    Returns
    -------
    Catalogue. Raises ResourceError naming the file and the problem (missing field, duplicate id, bad value).
    """
    p = Path(path) if path is not None else config.resource_path(DEFAULT_CATALOGUE)
    if not p.is_file():
        raise ResourceError(p, "indicator catalogue not found")
    st = p.stat()
    # the Catalogue is immutable, so a file that has not changed is parsed once
    return _load_catalogue(str(p), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _load_catalogue(path: str, _mtime_ns: int, _size: int) -> Catalogue:
    import yaml

    p = Path(path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise ResourceError(p, f"not valid YAML: {str(exc).splitlines()[0]}") from None
    except UnicodeDecodeError:
        raise ResourceError(p, "not UTF-8 text") from None
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise ResourceError(p, "expected a mapping with a list under 'indicators'")
    sp = str(p)
    seen: set[str] = set()
    out = []
    for n, item in enumerate(data["indicators"], 1):
        where = f"indicator #{n}"
        if not isinstance(item, dict):
            raise ResourceError(sp, f"{where}: expected a mapping")
        unknown = set(item) - _FIELDS
        if unknown:
            raise ResourceError(sp, f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        iid = item.get("id")
        if not isinstance(iid, str) or not _ID_RE.match(iid):
            raise ResourceError(sp, f"{where}: 'id' must be snake_case, got {iid!r}")
        where = f"indicator {iid}"
        if iid in seen:
            raise ResourceError(sp, f"{where}: duplicate id")
        seen.add(iid)
        if not item.get("unit"):
            raise ResourceError(sp, f"{where}: 'unit' is required")
        aliases = _strings(item.get("aliases"), sp, f"{where}.aliases")
        if not aliases:
            raise ResourceError(sp, f"{where}: at least one alias is required")
        weak = []
        for w in item.get("weak_aliases") or []:
            if not isinstance(w, dict) or not w.get("alias") or not w.get("after"):
                raise ResourceError(sp, f"{where}.weak_aliases: each needs 'alias' and 'after'")
            weak.append(WeakAlias(str(w["alias"]), _strings(w["after"], sp, f"{where}.weak_aliases.after"),
                                  _strings(w.get("not_between"), sp, f"{where}.weak_aliases.not_between")))
        measure = item.get("measure", "stock")
        if measure not in ("stock", "flow", "ratio"):
            raise ResourceError(sp, f"{where}: measure must be stock, flow or ratio, got {measure!r}")
        direction = item.get("direction", "up")
        if direction not in ("up", "down"):
            raise ResourceError(sp, f"{where}: direction must be up or down, got {direction!r}")
        out.append(Indicator(
            id=iid, label_zh=str(item.get("label_zh") or iid), label_en=str(item.get("label_en") or iid),
            unit=str(item["unit"]), units=_strings(item.get("units"), sp, f"{where}.units"), measure=measure,
            direction=direction, aliases=aliases, weak_aliases=tuple(weak),
            require_any=_strings(item.get("require_any"), sp, f"{where}.require_any"),
            exclude=_strings(item.get("exclude"), sp, f"{where}.exclude"),
            exclude_unless=_strings(item.get("exclude_unless"), sp, f"{where}.exclude_unless"),
            flow_cues=_strings(item.get("flow_cues"), sp, f"{where}.flow_cues"),
            continue_cues=_strings(item.get("continue_cues"), sp, f"{where}.continue_cues"),
            levels=bool(item.get("levels", False)), not_counted=str(item.get("not_counted") or "").strip(),
            additions=bool(item.get("additions", False)), examples=_examples(item.get("examples"), sp, where),
            subset_of=_strings(item.get("subset_of"), sp, f"{where}.subset_of"),
            not_after=_strings(item.get("not_after"), sp, f"{where}.not_after")))
    scopes = _strings(data.get("sub_city_scopes"), sp, "sub_city_scopes")
    return Catalogue(tuple(out), scopes, sp)


def catalogue_table(catalogue: Catalogue | str | Path | None = None) -> pd.DataFrame:
    """The catalogue as a table: one row per indicator (id, labels, unit, measure, aliases, exclusions)."""
    cat = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
    return pd.DataFrame([{
        "indicator": i.id, "label_zh": i.label_zh, "label_en": i.label_en, "unit": i.unit, "measure": i.measure,
        "levels": i.levels, "aliases": "、".join(i.aliases + tuple(w.alias for w in i.weak_aliases)),
        "exclude": "、".join(i.exclude), "not_counted": i.not_counted} for i in cat.indicators])
