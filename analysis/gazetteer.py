"""Administrative divisions: the one place the package reads the gazetteer (``resources/admin_divisions.csv``).

Columns: ``name`` (full name, 东莞市), ``short`` (东莞), ``level`` (province, municipality, sar, prefecture, county),
``province`` (the provincial-level parent's short name), ``name_en``, ``aliases``, ``kind``, ``code`` (the official
12-digit division code) and ``parent`` (the code of the division above). Metadata inference, indicator
attribution and figure labels all read it through these functions, so a user's own file (``gazetteer=``) is used
everywhere the same way.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .config import resource_path

PROVINCE_LEVELS = ("province", "municipality", "sar", "autonomous_region")
#: the place model's levels, highest first (a shared name without a suffix resolves to the higher level)
LEVEL_RANK = {"national": 0, "province": 1, "prefecture": 2, "county": 3}


class Division(NamedTuple):
    """One division as the place model sees it: level is national, province, prefecture or county."""

    name: str
    short: str
    level: str
    province: str
    city: str  # the prefecture (a prefecture's own short name; empty for a province)


def place_level(level: str) -> str:
    """The gazetteer's level (municipality, sar, autonomous_region …) as the place model's level."""
    return "province" if level in PROVINCE_LEVELS else level
_ALIAS_SPLIT = re.compile(r"[|;；、,，/\s]+")


def _key(path: str | Path | None) -> tuple[str, float]:
    p = Path(path) if path else resource_path("admin_divisions.csv")
    try:
        return str(p), p.stat().st_mtime
    except OSError:
        return str(p), -1.0


def divisions(path: str | Path | None = None) -> pd.DataFrame:
    """The gazetteer table (all columns as strings; an edited file is read again)."""
    return _divisions(*_key(path))


@lru_cache(maxsize=8)
def _divisions(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def city_names(path: str | Path | None = None) -> dict[str, tuple[str, str, str]]:
    """Every full and short name (two characters or more) of a sub-provincial division -> (short, province, level)."""
    return _city_names(*_key(path))


@lru_cache(maxsize=8)
def _city_names(path: str, mtime: float) -> dict[str, tuple[str, str, str]]:
    names: dict[str, tuple[str, str, str]] = {}
    for row in _divisions(path, mtime).itertuples(index=False):
        if row.level in ("province", "county"):  # cities only (counties: name_index, by their full names)
            continue
        for n in (row.name, row.short):
            if n and len(n) >= 2:
                names.setdefault(n, (row.short, row.province, row.level))
    return names


def province_names(path: str | Path | None = None) -> dict[str, str]:
    """Full and short names of provincial-level divisions -> the province's short name."""
    out = {}
    for row in divisions(path).itertuples(index=False):
        if row.level in PROVINCE_LEVELS:
            out[row.name] = row.province
            out[row.short] = row.province
    return out


def place_pattern(path: str | Path | None = None) -> re.Pattern:
    """A regex matching any city-level name of :func:`city_names`, longest first."""
    return _place_pattern(*_key(path))


@lru_cache(maxsize=8)
def _place_pattern(path: str, mtime: float) -> re.Pattern:
    return _longest_first(_city_names(path, mtime))


def _longest_first(names) -> re.Pattern:
    """One alternation of the names, longest first, so that a longer name wins where two start at one place."""
    return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))


def english_names(path: str | Path | None = None) -> dict[str, tuple[str, str]]:
    """name / short / alias / English name -> (Chinese short name, English name), for figure labels."""
    return _english(*_key(path))


@lru_cache(maxsize=8)
def _english(path: str, mtime: float) -> dict[str, tuple[str, str]]:
    if mtime < 0:
        return {}
    table = _divisions(path, mtime)
    out: dict[str, tuple[str, str]] = {}
    # Later rows win: cities come after provinces, so 吉林 resolves to the city (same English name either way).
    for row in table.itertuples(index=False):
        if row.level == "county" and not getattr(row, "name_en", ""):
            continue  # no romanisation recorded: a county's short name must not relabel a city or province
        entry = (row.short or row.name, getattr(row, "name_en", "") or row.short or row.name)
        keys = [row.name, row.short, getattr(row, "name_en", "")]
        keys += [a for a in _ALIAS_SPLIT.split(getattr(row, "aliases", "") or "") if a]
        for key in keys:
            if key:
                out[key] = entry
    return out


def name_index(path: str | Path | None = None) -> dict[str, list[Division]]:
    """Every full and short name (two characters or more) -> the divisions that carry it (吉林: province and city)."""
    return _name_index(*_key(path))


@lru_cache(maxsize=8)
def _name_index(path: str, mtime: float) -> dict[str, list[Division]]:
    table = _divisions(path, mtime)
    shorts = dict(zip(table["code"], table["short"])) if "code" in table else {}
    out: dict[str, list[Division]] = {}
    for row in table.itertuples(index=False):
        level = place_level(row.level)
        if level == "prefecture":
            city = row.short
        elif level == "county":
            city = shorts.get(getattr(row, "parent", ""), "")
            city = "" if city == row.province else city  # a district of a municipality has no prefecture
        else:
            city = ""
        div = Division(row.name, row.short, level, row.province, city)
        aliases = [a for a in _ALIAS_SPLIT.split(getattr(row, "aliases", "") or "") if len(a) >= 3]
        for n in {row.name, row.short, *aliases}:
            if n and len(n) >= 2 and (level != "county" or n == row.name):  # a county only by its full name
                out.setdefault(n, []).append(div)
        for a in aliases:  # an alias such as 海南州 names its division as surely as the full name
            out[a][-1] = div._replace(name=a)
    return out


def name_pattern(path: str | Path | None = None) -> re.Pattern:
    """A regex matching any name of :func:`name_index`, longest first."""
    return _name_pattern(*_key(path))


@lru_cache(maxsize=8)
def _name_pattern(path: str, mtime: float) -> re.Pattern:
    return _longest_first(_name_index(path, mtime))
