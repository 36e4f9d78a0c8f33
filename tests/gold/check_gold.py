"""Stand-alone consistency check of the gold files (stdlib only): python tests/gold/check_gold.py"""
import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent.parent / "seeds"
CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
THEMES = set("party_building innovation_platforms enterprise_cultivation core_technology tech_transfer talent "
             "sci_tech_finance regional_cooperation industry institutional_reform agriculture_livelihood "
             "basic_research".split())
SUB = {"supply": {"talent_training", "funding", "infrastructure", "information_support", "public_services"},
       "environment": {"goal_planning", "financial_services", "tax_incentives", "regulation_standards",
                       "strategic_measures"},
       "demand": {"procurement", "outsourcing", "trade_market", "overseas_cooperation", "demonstration_pilots"},
       "none": {""}}


def numbers_in(quote):
    """Values readable in a quote: Arabic numbers (with 万), and 百/千 with an optional Chinese digit."""
    out = set()
    for m in re.finditer(r"(\d+(?:\.\d+)?)(万)?", quote):
        out.add(round(float(m.group(1)) * (1e4 if m.group(2) else 1), 4))
    for m in re.finditer(r"([一二三四五六七八九两]?)(百|千)", quote):
        out.add(float(CN.get(m.group(1), 1) * (100 if m.group(2) == "百" else 1000)))
    return out


def main():
    errors = []
    text = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for r in csv.DictReader(open(HERE / "metrics_gold.csv", encoding="utf-8")):
        if r["quote"] not in text[r["file"]]:
            errors.append(f"metrics: quote not in {r['file']}: {r['quote']}")
        if float(r["value"]) not in numbers_in(r["quote"]):
            errors.append(f"metrics: value {r['value']} not in quote {r['quote']}")
    for r in csv.DictReader(open(HERE / "themes_gold.csv", encoding="utf-8")):
        if r["sentence"] not in text[r["file"]]:
            errors.append(f"themes: sentence not in {r['file']}: {r['sentence'][:30]}")
        if any(t not in THEMES for t in filter(None, r["themes"].split(";"))):
            errors.append(f"themes: unknown theme {r['themes']}")
        if r["instrument_subtype"] not in SUB.get(r["instrument_type"], set()):
            errors.append(f"themes: bad instrument {r['instrument_type']}/{r['instrument_subtype']}")
    print("\n".join(errors) or "gold files OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
