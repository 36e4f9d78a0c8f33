"""analysis.segment.route: jieba's accurate mode recomputed in fewer steps must give jieba's words exactly."""
from __future__ import annotations

import jieba
import pytest

from analysis.segment import get_tokenizer, load_resources, route

HAND = ["", "的", "科技创新", "我们将坚持以科技创新引领现代化产业体系建设。",
        "R&D经费支出增长12.5%,高新技术企业达到1,200家(含10家独角兽)", "张三丰和李四光在东莞松山湖调研",
        "  多个  空格\r\n与换行\n\t制表符  ", "abc def GHI-2025 #tag 50%_x", "〇一二三四五六七八九十百千万亿",
        "粤港澳大湾区国际科技创新中心", "𠀀罕见字与emoji😀混排", "一" * 300]


@pytest.fixture(scope="module")
def tok():
    return get_tokenizer(load_resources())


def test_the_route_is_jiebas_on_hand_cases(tok):
    assert route.supported(tok)
    for text in HAND:
        assert route.lcut(tok, text) == tok.lcut(text), text


def test_the_route_is_jiebas_on_every_seed_unit_and_document(tok, corpus):
    texts = [t for t in corpus.units["text"].tolist() if isinstance(t, str)]
    docs = corpus.units.groupby("doc_id")["text"].agg("\n".join).tolist()
    assert len(texts) > 500
    assert [route.lcut(tok, t) for t in texts] == [tok.lcut(t) for t in texts]
    assert [route.lcut(tok, t) for t in docs] == [tok.lcut(t) for t in docs]


def test_words_added_later_are_seen(tmp_path):
    t = jieba.Tokenizer()
    t.tmp_dir = str(tmp_path)
    t.initialize()
    text = "量子纠缠态制备装置研制成功"
    assert route.lcut(t, text) == t.lcut(text)
    t.add_word("纠缠态制备装置", 50_000)
    assert "纠缠态制备装置" in route.lcut(t, text)
    assert route.lcut(t, text) == t.lcut(text)


def test_only_jiebas_own_tokenizer_is_handled(tok):
    assert not route.supported(get_tokenizer(load_resources(), segmenter="rjieba"))
    assert not route.supported(object())
