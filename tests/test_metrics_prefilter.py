"""The metrics stage's cheap pre-filter (one automaton pass for "names no indicator") changes no mention."""
from __future__ import annotations

from analysis.metrics import aliases, load_catalogue

HAND = ["研究与试验发展(R&D)经费支出增长12%", "全社会研发投入占GDP的比重达到3.2%", "R&D 经费 150亿元", "技术合同成交额50亿元",
        "占国内生产总值的比例为2.5%", "高新技术企业达到1200家", "今年完成了三项工作", ""]


def test_alias_mentions_with_and_without_the_prefilter_agree(corpus, monkeypatch):
    cat = load_catalogue(None)
    texts = [t for t in corpus.units["text"].tolist() if isinstance(t, str)] + HAND
    fast = [aliases.alias_mentions(t, cat) for t in texts]
    monkeypatch.setattr(aliases, "_names_any", lambda flat, catalogue: True)
    slow = [aliases.alias_mentions(t, cat) for t in texts]
    assert fast == slow
    assert sum(map(bool, slow)) >= 20  # the seeds and hand sentences do name indicators
