"""analysis.segment.route: jieba's accurate mode recomputed in fewer steps must give jieba's words exactly."""
from __future__ import annotations

import jieba
import pytest

from analysis.segment import get_tokenizer, load_resources, route

HAND = ["", "的", "科技创新", "我们坚持用科技创新带动现代产业体系的建设。",
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


def test_a_deleted_word_is_seen(tmp_path):
    """del_word (add_word(w, 0)) changes neither jieba's total nor its dictionary size: the cached weights must
    still be remade."""
    t = jieba.Tokenizer()
    t.tmp_dir = str(tmp_path)
    t.initialize()
    text = "加快建设科技强国"
    assert route.lcut(t, text) == t.lcut(text) and "建设" in t.lcut(text)
    t.del_word("建设")
    assert "建设" not in t.lcut(text)
    assert route.lcut(t, text) == t.lcut(text)


def test_another_jieba_release_or_no_hmm_goes_through_jieba(monkeypatch, tok):
    from analysis.segment import tokens

    calls = []
    monkeypatch.setattr(route, "lcut", lambda *a: calls.append(a) or [])
    monkeypatch.setattr(jieba, "__version__", "0.43.0")
    assert not route.supported(tok)
    res = load_resources()
    words, _ = tokens._cut_gaps(["科技创新引领产业"], ["科技创新引领产业"], res, "jieba", True)
    assert calls == [] and "".join(words) == "科技创新引领产业"
    monkeypatch.setattr(jieba, "__version__", route.JIEBA_VERSION)
    assert route.supported(tok)
    words, _ = tokens._cut_gaps(["科技创新引领产业"], ["科技创新引领产业"], res, "jieba", False)
    assert calls == [] and "".join(words) == "科技创新引领产业"
