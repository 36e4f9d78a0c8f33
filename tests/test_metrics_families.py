"""Wording families of the catalogued indicators at national, provincial and municipal level (issue 13, third
round): key laboratories (restructured, existing, new), R&D expenditure and intensity, the high-tech manufacturing
share, little giants, new-type R&D institutions. Every sentence is written here for the test; none is taken from a
corpus. Each assertion names indicator, value, unit, year, kind, qualifier (and the lab tier where it is recorded).
"""
from __future__ import annotations

import pytest

from analysis.metrics import load_catalogue
from analysis.metrics.attribution import attribute_sentence
from analysis.metrics.cues import Context

CAT = load_catalogue()


def at(sentence, *, year=2024, plan=False, reviewed=True):
    """(indicator, value, unit, year, kind, qualifier) of every value in a sentence of a review part (year 2024) or,
    with ``plan``, of the plan part of a report reviewing the year before (``reviewed=False``: a plan-only doc)."""
    summary_year = (year - 1 if plan else year) if reviewed else None
    ctx = Context(year=year, plan_like=plan, summary_year=summary_year)
    return [(a.indicator.id, a.value, a.unit, a.year, a.kind, a.quantity.qualifier)
            for a in attribute_sentence(sentence, CAT, context=ctx)]


def tiers(sentence, **kw):
    ctx = Context(year=2024, summary_year=2024, **kw)
    return [(a.indicator.id, a.value, a.tier) for a in attribute_sentence(sentence, CAT, context=ctx)]


# --- key laboratories ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "优化重组省重点实验室86家。",          # the act counted: labs restructured
    "全市重组市级重点实验室12个。",
    "完成20家省重点实验室绩效评估。",
    "开展省重点实验室绩效评估,评估优秀12家。",
    "整合市级重点实验室15家。",
    "湖东实验室等10家省实验室高效运行。",    # provincial flagship labs are not key labs
    "布局建设重点实验室群8个。",
])
def test_an_act_on_existing_labs_is_not_a_value(sentence):
    assert at(sentence) == []


@pytest.mark.parametrize("sentence,value", [
    ("重组后全国重点实验室达到14家。", 14),
    ("省重点实验室优化重组至180家。", 180),
    ("优化重组省级重点实验室至150家。", 150),
    ("完成重组的全国重点实验室达到35家。", 35),
    ("全国重点实验室完成重组35家。", 35),
    ("全国重点实验室重组入列9家。", 9),
])
def test_the_result_of_a_restructuring_is_the_stock(sentence, value):
    assert at(sentence) == [("key_labs", value, "家", 2024, "actual", "exact")]


def test_key_lab_tiers_national_and_provincial_both_count():
    assert tiers("拥有国家重点实验室11家、省重点实验室240家。") == [
        ("key_labs", 11, "national"), ("key_labs", 240, "provincial")]
    assert tiers("全省国家重点实验室和省重点实验室分别达到12家和320家。") == [
        ("key_labs", 12, "national"), ("key_labs", 320, "provincial")]
    assert tiers("新建省级重点实验室20家。") == [("key_labs_new", 20, "provincial")]
    assert at("新获批全国重点实验室4个。") == [("key_labs_new", 4, "家", 2024, "actual", "exact")]
    assert at("获批建设全国重点实验室5家。") == [("key_labs_new", 5, "家", 2024, "actual", "exact")]
    assert at("建成全国重点实验室8个。") == [("key_labs", 8, "家", 2024, "actual", "exact")]


def test_existing_labs_in_a_plan_part_are_the_reviewed_years_stock():
    # 现有 / 已获批的 / 已建成的 in the plan part: realised values, dated with the reviewed year
    assert at("支持现有5家全国重点实验室提升能力,已获批的22个省重点实验室加快建设。", year=2025, plan=True) == [
        ("key_labs", 5, "家", 2024, "actual", "exact"), ("key_labs", 22, "家", 2024, "actual", "exact")]
    assert at("推动已建成的30家省重点实验室开展绩效评估。", year=2025, plan=True) == [
        ("key_labs", 30, "家", 2024, "actual", "exact")]
    # a plan-only document has no reviewed year: the existing count keeps the plan year
    assert at("支持现有5家全国重点实验室提升能力。", year=2025, plan=True, reviewed=False) == [
        ("key_labs", 5, "家", 2025, "actual", "exact")]
    # additions planned stay targets of the plan year
    assert at("力争新增全国重点实验室2家以上。", year=2025, plan=True) == [
        ("key_labs_new", 2, "家", 2025, "target", "lower_bound")]
    assert at("新建省级重点实验室10家。", year=2025, plan=True) == [("key_labs_new", 10, "家", 2025, "target", "exact")]


@pytest.mark.parametrize("sentence,expected", [
    # additions: 新获批 / 获批组建 / 批复建设 / 认定 / 新入列 / 争创 (plan) before or after the noun
    ("全国重点实验室新获批4家。", ("key_labs_new", 4, "家", 2024, "actual", "exact")),
    ("新批建全国重点实验室3家。", ("key_labs_new", 3, "家", 2024, "actual", "exact")),
    ("批复建设省重点实验室25家。", ("key_labs_new", 25, "家", 2024, "actual", "exact")),
    ("认定省级重点实验室36家。", ("key_labs_new", 36, "家", 2024, "actual", "exact")),
    ("新入列全国重点实验室5家。", ("key_labs_new", 5, "家", 2024, "actual", "exact")),
    # the stock: reached, cumulative approvals, labs led, the list entered in the restructuring
    ("全国重点实验室增至23家。", ("key_labs", 23, "家", 2024, "actual", "exact")),
    ("全国重点实验室数量达到15家。", ("key_labs", 15, "家", 2024, "actual", "exact")),
    ("累计获批全国重点实验室20家。", ("key_labs", 20, "家", 2024, "actual", "exact")),
    ("牵头建设全国重点实验室20家。", ("key_labs", 20, "家", 2024, "actual", "exact")),
    ("全国重点实验室总数达到12家,居全国第8位。", ("key_labs", 12, "家", 2024, "actual", "exact")),
])
def test_key_lab_wordings(sentence, expected):
    assert at(sentence) == [expected]


def test_key_lab_wordings_across_clauses():
    # a clause of its own carries the subject: a flow verb alone, or the list entered
    assert at("全国重点实验室实现新突破,新获批3家。") == [("key_labs_new", 3, "家", 2024, "actual", "exact")]
    assert at("在全国重点实验室重组中,我省入列9家。") == [("key_labs", 9, "家", 2024, "actual", "exact")]
    assert at("全国重点实验室重组工作全面完成,入列数量达到12家。") == [("key_labs", 12, "家", 2024, "actual", "exact")]
    assert at("全国重点实验室新增8家、达到30家。") == [
        ("key_labs_new", 8, "家", 2024, "actual", "exact"), ("key_labs", 30, "家", 2024, "actual", "exact")]
    assert at("新增全国重点实验室3家、省重点实验室12家,重组省重点实验室100家。") == [
        ("key_labs_new", 3, "家", 2024, "actual", "exact"), ("key_labs_new", 12, "家", 2024, "actual", "exact")]
    # 其中 after a wider class the catalogue does not track: the labs' whole count, with the class's verb
    assert at("新增国家级创新平台15家,其中全国重点实验室3家。") == [
        ("key_labs_new", 3, "家", 2024, "actual", "exact")]
    assert at("全国重点实验室由8家增至12家。") == [
        ("key_labs", 8, "家", 2023, "actual", "exact"), ("key_labs", 12, "家", 2024, "actual", "exact")]
    assert at("争创全国重点实验室2家。", year=2025, plan=True) == [("key_labs_new", 2, "家", 2025, "target", "exact")]


@pytest.mark.parametrize("sentence,expected", [
    ("与邻省共建重点实验室3家。", []),                 # co-built with another province
    ("两省共建重点实验室12家。", []),
    ("国家重点实验室培育基地5家。", []),              # a nursery, not a key lab
    ("省部共建国家重点实验室2家。", [("key_labs", 2, "家", 2024, "actual", "exact")]),
    # a count of a wider kind the labs are listed in (等 + another noun) is not a count of labs
    ("新增全国重点实验室等国家级创新平台12家。", []),
    ("全国重点实验室等15家国家级平台提质增效。", []),
    ("支持甲、乙等5家全国重点实验室提升能力。", [("key_labs", 5, "家", 2024, "actual", "exact")]),
])
def test_what_is_not_a_key_lab(sentence, expected):
    assert at(sentence) == expected


def test_a_verb_before_a_list_governs_its_bare_items():
    # 新增 before a list of noun-and-number clauses applies to every item; a clause with its own verb does not take it
    assert at("新增高新技术企业1200家,科技型中小企业2800家,专精特新中小企业600家。") == [
        ("high_tech_enterprises_new", 1200, "家", 2024, "actual", "exact"),
        ("tech_sme_new", 2800, "家", 2024, "actual", "exact"), ("specialized_smes_new", 600, "家", 2024, "actual", "exact")]
    assert at("新增国家级创新平台28个,省级重点实验室35家。") == [("key_labs_new", 35, "家", 2024, "actual", "exact")]
    assert at("全年新增高新技术企业500家,高新技术企业总数达到3000家。") == [
        ("high_tech_enterprises_new", 500, "家", 2024, "actual", "exact"),
        ("high_tech_enterprises", 3000, "家", 2024, "actual", "exact")]
    assert at("高新技术企业达到5000家,科技型中小企业8000家。") == [
        ("high_tech_enterprises", 5000, "家", 2024, "actual", "exact"), ("tech_sme", 8000, "家", 2024, "actual", "exact")]


def test_a_level_word_shares_the_next_noun():
    assert tiers("国家和省级重点实验室分别达到11家和185家。") == [
        ("key_labs", 11, "national"), ("key_labs", 185, "provincial")]
    assert tiers("国家级、省级新型研发机构分别达到5家、60家。") == [
        ("new_rd_institutions", 5, "national"), ("new_rd_institutions", 60, "provincial")]


# --- shares: R&D intensity and the high-tech manufacturing share --------------------------------------------------

def test_a_stock_and_its_additions_agree_on_what_marks_an_addition():
    # a word the stock refuses as an addition must be one the additions accept, or the value is lost to both
    for ind in CAT.indicators:
        if ind.additions:
            stock = CAT[ind.id.removesuffix("_new")]
            assert set(stock.flow_cues) == set(ind.flow_cues), ind.id
            assert set(stock.aliases) == set(ind.aliases), ind.id


def test_no_two_aliases_of_an_indicator_read_the_same():
    from analysis.metrics.aliases import _alias_key

    for ind in CAT.indicators:
        keys = [_alias_key(a) for a in (*ind.aliases, *(w.alias for w in ind.weak_aliases))]
        assert len(keys) == len(set(keys)), ind.id


@pytest.mark.parametrize("sentence,value", [
    ("高技术制造业增加值占规模以上工业增加值比重达到15.2%。", 15.2),
    ("高技术制造业增加值占规上工业增加值的比重为16.5%。", 16.5),
    ("高技术制造业增加值占全部规上工业的比重为16%。", 16),
    ("高技术制造业增加值占规模以上工业的比例提高到18.5%。", 18.5),
    ("高技术制造业增加值增长12%,占规模以上工业比重达到14.3%。", 14.3),   # the share in the clause after the growth
    ("规上工业中高技术制造业增加值占比17.8%。", 17.8),
    ("全市高技术制造业占比提升至21%。", 21),
    ("高技术制造业占规上工业增加值的18.5%。", 18.5),
    ("高技术制造业增加值占全省规上工业的17.2%。", 17.2),
    ("高技术制造业增加值比重达到16.3%。", 16.3),
    ("高技术制造业比重提高到20.1%。", 20.1),
    ("高技术制造业增加值占工业比重达到15%。", 15),
    ("高技术制造业增加值占全部工业增加值的比重为14%。", 14),
    ("高技术制造业增加值增长10.5%,占规上工业的18.9%。", 18.9),
    ("高技术制造业增加值增长10.5%、占比达到19.6%。", 19.6),
])
def test_high_tech_manufacturing_share_wordings(sentence, value):
    assert at(sentence) == [("high_tech_manufacturing_share", value, "%", 2024, "actual", "exact")]


@pytest.mark.parametrize("sentence", [
    "高技术制造业增加值增长9.8%,占比提高1.2个百分点。",     # a change, not a level
    "高技术制造业增加值同比增长12.5%。",
])
def test_high_tech_manufacturing_changes_are_not_shares(sentence):
    assert at(sentence) == []


def test_high_tech_manufacturing_share_in_lists_and_plans():
    # a share shared by a list goes to the part whose subject names it
    assert at("高技术制造业、装备制造业增加值占规上工业比重分别达到17.5%、35.2%。") == [
        ("high_tech_manufacturing_share", 17.5, "%", 2024, "actual", "exact")]
    assert at("装备制造业、高技术制造业增加值占比分别为35%、18%。") == [
        ("high_tech_manufacturing_share", 18, "%", 2024, "actual", "exact")]
    assert at("高技术制造业增加值占规模以上工业增加值比重由15.1%提高到16.8%。") == [
        ("high_tech_manufacturing_share", 15.1, "%", 2023, "actual", "exact"),
        ("high_tech_manufacturing_share", 16.8, "%", 2024, "actual", "exact")]
    assert at("高技术制造业增加值占规上工业比重提高到20%。", year=2025, plan=True) == [
        ("high_tech_manufacturing_share", 20, "%", 2025, "target", "exact")]
    # another subject's share after the high-tech growth rate
    assert at("高技术制造业增加值增长12%,新能源汽车产量占比30%。") == []
    assert at("高技术制造业增加值增长12%,民营企业占比60%。") == []


@pytest.mark.parametrize("sentence,value,qualifier", [
    ("研发经费投入增长12%,强度达到2.15%。", 2.15, "exact"),              # 强度 alone after the expenditure
    ("全社会研发经费投入增长8.5%、占生产总值比重提高到2.2%。", 2.2, "exact"),
    ("全社会研发经费支出占地区生产总值比重达到2.6%。", 2.6, "exact"),
    ("全社会研发投入占GDP的比例为2.1%。", 2.1, "exact"),
    ("研究与试验发展(R&D)经费投入强度达到2.68%以上。", 2.68, "lower_bound"),
    ("研发投入强度居全国第8位,达到2.68%。", 2.68, "exact"),
    ("研发经费投入强度达2.6%,较上年提高0.12个百分点。", 2.6, "exact"),
    ("研发经费投入与地区生产总值之比达到2.3%。", 2.3, "exact"),
    ("研发投入占比达到2.6%。", 2.6, "exact"),
    ("全社会R&D投入强度达到2.5%。", 2.5, "exact"),
    ("研发经费投入强度首次突破2%。", 2, "lower_bound"),
    ("研发经费投入强度达到百分之二点五。", 2.5, "exact"),
    ("全社会研发投入强度2.2%左右。", 2.2, "approx"),
])
def test_rd_intensity_wordings(sentence, value, qualifier):
    assert at(sentence) == [("rd_intensity", value, "%", 2024, "actual", qualifier)]


@pytest.mark.parametrize("sentence", [
    "研发投入增长10%,单位GDP能耗强度下降3%。",
    "研发投入增长10%,单位地区生产总值能耗强度达到0.5%。",     # another intensity after an R&D word
    "研发经费投入增长12%,财政科技支出强度达到3%。",
    "基础研究经费占研发经费比重达到8%。",
    "研发投入增长10%,民营经济占GDP比重达到60%。",          # a share of another subject after an R&D word
    "研发投入增长10%,数字经济规模占地区生产总值的45%。",
    "研发经费增长12%,服务业占生产总值52%。",
    "研发投入持续加大,财政科技支出占GDP的0.8%。",
    "高新技术企业研发投入占全社会研发投入比重达到70%。",
])
def test_other_intensities_and_shares_are_not_rd_intensity(sentence):
    assert at(sentence) == []


def test_intensity_stated_as_a_share_after_the_expenditure():
    # 占地区生产总值的N% / 占生产总值N% right after the spending: the intensity
    assert at("研发经费投入达到1100亿元,占地区生产总值的2.3%。") == [
        ("rd_expenditure", 1100, "亿元", 2024, "actual", "exact"), ("rd_intensity", 2.3, "%", 2024, "actual", "exact")]
    assert at("全社会研发投入1200亿元、占生产总值2.4%。") == [
        ("rd_expenditure", 1200, "亿元", 2024, "actual", "exact"), ("rd_intensity", 2.4, "%", 2024, "actual", "exact")]
    # a threshold crossed and the value reached: both (the threshold a lower bound)
    assert at("全省研发经费投入首次突破2000亿元大关、达到2050亿元,投入强度达到2.3%。") == [
        ("rd_expenditure", 2000, "亿元", 2024, "actual", "lower_bound"),
        ("rd_expenditure", 2050, "亿元", 2024, "actual", "exact"), ("rd_intensity", 2.3, "%", 2024, "actual", "exact")]
    assert at("研发经费投入年均增长12%,投入强度从1.8%提高到2.3%。") == [
        ("rd_intensity", 1.8, "%", 2023, "actual", "exact"), ("rd_intensity", 2.3, "%", 2024, "actual", "exact")]


def test_rd_intensity_kinds_in_plan_and_estimates():
    assert at("预计全社会研发投入强度达到2.4%左右。") == [("rd_intensity", 2.4, "%", 2024, "estimate", "approx")]
    assert at("全社会研发投入增长10%以上,投入强度达到2.5%。", year=2025, plan=True) == [
        ("rd_intensity", 2.5, "%", 2025, "target", "exact")]
    assert at("研发经费投入强度提高到2.6%左右。", year=2025, plan=True) == [
        ("rd_intensity", 2.6, "%", 2025, "target", "approx")]


# --- R&D expenditure ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,value,qualifier", [
    ("全社会研究与试验发展经费支出达到3.6万亿元。", 36000, "exact"),       # national wording, trillions
    ("研究与试验发展经费支出3.61万亿元,与国内生产总值之比为2.68%。", 36100, "exact"),
    ("全年研发经费投入总额达到1865亿元。", 1865, "exact"),
    ("全省研发投入经费达到900亿元。", 900, "exact"),
    ("全省研究与开发经费支出达到600亿元。", 600, "exact"),
    ("全市R&D经费内部支出达到300亿元。", 300, "exact"),
    ("研发经费投入首次突破千亿元。", 1000, "lower_bound"),
    ("全省研发经费投入总量居全国第6位,达到1400亿元。", 1400, "exact"),
    ("全社会研发投入超过1000亿元。", 1000, "lower_bound"),
    ("科学研究与试验发展经费投入1080亿元。", 1080, "exact"),
    ("全省研发投入达到860亿元。", 860, "exact"),                    # bare 研发投入: a sector's part is excluded
    ("全年研发投入超过500亿元,增长12%。", 500, "lower_bound"),
])
def test_rd_expenditure_wordings(sentence, value, qualifier):
    assert at(sentence)[0] == ("rd_expenditure", value, "亿元", 2024, "actual", qualifier)


@pytest.mark.parametrize("sentence", [
    "规上工业企业研发经费支出达到600亿元。",    # one sector's part of the total
    "全省高校研发经费达到80亿元。",
    "企业研发费用达到800亿元。",
    "研发费用加计扣除金额达到500亿元。",
    "带动企业研发投入120亿元。",
    "引导社会资本加大研发投入,撬动研发投入50亿元。",         # money leveraged, not the region's spending
    "高校研发投入30亿元。",
    "全省全社会研发投入预计增长10%。",
    "规上工业企业研发投入强度达到1.8%。",
])
def test_a_sectors_rd_spending_is_not_the_total(sentence):
    assert at(sentence) == []


def test_rd_expenditure_and_intensity_together():
    assert at("2024年全省研发经费投入1350亿元,强度2.45%。") == [
        ("rd_expenditure", 1350, "亿元", 2024, "actual", "exact"), ("rd_intensity", 2.45, "%", 2024, "actual", "exact")]
    assert at("研发经费投入总量和强度分别达到900亿元和2.3%。") == [
        ("rd_expenditure", 900, "亿元", 2024, "actual", "exact"), ("rd_intensity", 2.3, "%", 2024, "actual", "exact")]
    assert at("全社会研发经费支出由1.42万亿元增加到3.08万亿元。") == [
        ("rd_expenditure", 14200, "亿元", 2023, "actual", "exact"),
        ("rd_expenditure", 30800, "亿元", 2024, "actual", "exact")]
    assert at("全社会研发经费支出预计达到1520亿元、增长9%。") == [
        ("rd_expenditure", 1520, "亿元", 2024, "estimate", "exact")]
    assert at("力争全社会研发经费投入提高12%左右,规模达到1300亿元。", year=2025, plan=True) == [
        ("rd_expenditure", 1300, "亿元", 2025, "target", "exact")]


# --- little giants and specialised SMEs ------------------------------------------------------------------------------

def test_little_giants_stock_and_additions():
    assert at("国家级专精特新“小巨人”企业达到120家。") == [("little_giants", 120, "家", 2024, "actual", "exact")]
    assert at("新增国家级专精特新“小巨人”企业35家,总数达到180家。") == [
        ("little_giants_new", 35, "家", 2024, "actual", "exact"), ("little_giants", 180, "家", 2024, "actual", "exact")]
    # a bare 达到 after the additions' value states the total
    assert at("国家级专精特新“小巨人”企业新增42家、达到310家。") == [
        ("little_giants_new", 42, "家", 2024, "actual", "exact"), ("little_giants", 310, "家", 2024, "actual", "exact")]
    assert at("“小巨人”企业累计达到98家。") == [("little_giants", 98, "家", 2024, "actual", "exact")]
    assert at("拥有国家级“小巨人”企业286户。") == [("little_giants", 286, "家", 2024, "actual", "exact")]
    assert at("专精特新“小巨人”企业总数居全国第5,达到460家。") == [("little_giants", 460, "家", 2024, "actual", "exact")]


@pytest.mark.parametrize("sentence,expected", [
    ("国家级专精特新“小巨人”企业增至286家。", [("little_giants", 286, "家", 2024, "actual", "exact")]),
    ("专精特新“小巨人”企业数量居全国第3位、达到520家。", [("little_giants", 520, "家", 2024, "actual", "exact")]),
    ("国家级“小巨人”企业总数突破500家。", [("little_giants", 500, "家", 2024, "actual", "lower_bound")]),
    ("累计培育国家级专精特新“小巨人”企业215家。", [("little_giants", 215, "家", 2024, "actual", "exact")]),
    ("认定国家级专精特新“小巨人”企业45家。", [("little_giants_new", 45, "家", 2024, "actual", "exact")]),
    ("培育专精特新“小巨人”企业30家以上。", [("little_giants_new", 30, "家", 2024, "actual", "lower_bound")]),
    ("新增专精特新中小企业1200家、“小巨人”企业52家。", [
        ("specialized_smes_new", 1200, "家", 2024, "actual", "exact"),
        ("little_giants_new", 52, "家", 2024, "actual", "exact")]),
    ("专精特新中小企业、“小巨人”企业分别达到4200家、180家。", [
        ("specialized_smes", 4200, "家", 2024, "actual", "exact"), ("little_giants", 180, "家", 2024, "actual", "exact")]),
    ("今年新培育“小巨人”企业与单项冠军企业合计30家。", []),   # lumped with another class
])
def test_little_giant_wordings(sentence, expected):
    assert at(sentence) == expected


def test_respectively_carries_into_the_next_clause():
    # A和B分别达到x和y,分别新增u和v: the second 分别 pairs its values with the items before it
    assert at("国家级专精特新“小巨人”企业和省级专精特新中小企业分别达到120家和2000家,分别新增20家和300家。") == [
        ("little_giants", 120, "家", 2024, "actual", "exact"), ("specialized_smes", 2000, "家", 2024, "actual", "exact"),
        ("little_giants_new", 20, "家", 2024, "actual", "exact"),
        ("specialized_smes_new", 300, "家", 2024, "actual", "exact")]
    assert at("高新技术企业、科技型中小企业分别新增1200家、3000家。") == [
        ("high_tech_enterprises_new", 1200, "家", 2024, "actual", "exact"),
        ("tech_sme_new", 3000, "家", 2024, "actual", "exact")]
    # growth rates after the second 分别 are not levels
    assert at("高新技术企业和科技型中小企业分别达到1.1万家和2.4万家,分别增长15%和20%。") == [
        ("high_tech_enterprises", 11000, "家", 2024, "actual", "exact"), ("tech_sme", 24000, "家", 2024, "actual", "exact")]


def test_little_giants_in_a_plan_part():
    assert at("新培育国家级专精特新“小巨人”企业50家。", year=2025, plan=True) == [
        ("little_giants_new", 50, "家", 2025, "target", "exact")]
    assert at("“小巨人”企业达到300家。", year=2025, plan=True) == [("little_giants", 300, "家", 2025, "target", "exact")]


def test_little_giants_as_a_part_of_specialised_smes_are_counted_whole():
    # little giants are specialised SMEs by definition: 其中 gives their whole count
    assert at("专精特新中小企业达到3500家,其中“小巨人”企业186家。") == [
        ("specialized_smes", 3500, "家", 2024, "actual", "exact"), ("little_giants", 186, "家", 2024, "actual", "exact")]
    # other sub-totals stay sub-totals
    assert at("高新技术企业达到3000家,其中科技型中小企业500家。") == [
        ("high_tech_enterprises", 3000, "家", 2024, "actual", "exact")]
    assert at("科技型中小企业5000家,其中国家级专精特新“小巨人”企业30家。") == [
        ("tech_sme", 5000, "家", 2024, "actual", "exact")]


def test_a_bare_total_after_additions_needs_a_number():
    assert at("新增高新技术企业800家、达到6200家。") == [
        ("high_tech_enterprises_new", 800, "家", 2024, "actual", "exact"),
        ("high_tech_enterprises", 6200, "家", 2024, "actual", "exact")]
    assert at("新增省级专精特新中小企业500家,达标企业300家。") == [
        ("specialized_smes_new", 500, "家", 2024, "actual", "exact")]
    assert at("新增科技型中小企业2000家,总数超过1.2万家。") == [
        ("tech_sme_new", 2000, "家", 2024, "actual", "exact"), ("tech_sme", 12000, "家", 2024, "actual", "lower_bound")]


# --- new-type R&D institutions ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,expected", [
    ("新型研发机构达到85家。", [("new_rd_institutions", 85, "家", 2024, "actual", "exact")]),
    ("省级新型研发机构总数达到120家。", [("new_rd_institutions", 120, "家", 2024, "actual", "exact")]),
    ("备案新型研发机构达到210家。", [("new_rd_institutions", 210, "家", 2024, "actual", "exact")]),
    ("新型研发机构发展到75家。", [("new_rd_institutions", 75, "家", 2024, "actual", "exact")]),
    ("新认定省级新型研发机构15家。", [("new_rd_institutions_new", 15, "家", 2024, "actual", "exact")]),
    ("新增新型研发机构8家,总数达到60家。", [("new_rd_institutions_new", 8, "家", 2024, "actual", "exact"),
                                            ("new_rd_institutions", 60, "家", 2024, "actual", "exact")]),
    ("全省研发机构达到300家。", []),      # plain R&D institutions are not new-type ones
    ("认定省级新型研发机构21家,总数达到150家。", [("new_rd_institutions_new", 21, "家", 2024, "actual", "exact"),
                                                ("new_rd_institutions", 150, "家", 2024, "actual", "exact")]),
    ("新增省级新型研发机构12家、累计达到96家。", [("new_rd_institutions_new", 12, "家", 2024, "actual", "exact"),
                                                ("new_rd_institutions", 96, "家", 2024, "actual", "exact")]),
    ("建成新型研发机构56家。", [("new_rd_institutions", 56, "家", 2024, "actual", "exact")]),
])
def test_new_rd_institution_wordings(sentence, expected):
    assert at(sentence) == expected


# --- science and technology awards ---------------------------------------------------------------------------------

def test_awards_won_and_what_is_not_a_count_of_them():
    assert at("荣获国家科学技术奖20项。") == [("sci_tech_awards", 20, "项", 2024, "actual", "exact")]
    assert at("获国家科学技术奖励18项,其中一等奖2项。") == [("sci_tech_awards", 18, "项", 2024, "actual", "exact")]
    assert at("主持完成的26个项目荣获国家科学技术奖。") == [("sci_tech_awards", 26, "项", 2024, "actual", "exact")]
    assert at("参与完成的项目获国家科学技术奖35项。") == [("sci_tech_awards", 35, "项", 2024, "actual", "exact")]
    assert at("获国家科技进步二等奖3项。") == [("sci_tech_awards", 3, "项", 2024, "actual", "exact")]
    for sentence in ("高校获得国家科学技术奖12项。", "企业获国家科学技术奖9项。",   # one sector's awards
                     "获国家科技进步一等奖1项、二等奖5项。",                    # grades without a total
                     "省科学技术奖授奖300项。"):                               # awards granted, not won
        assert at(sentence) == [], sentence


# --- estimates ---------------------------------------------------------------------------------------------------------

def test_estimates_wherever_the_marker_stands():
    assert at("全社会研发经费投入预计增长10%、达到1100亿元。") == [
        ("rd_expenditure", 1100, "亿元", 2024, "estimate", "exact")]
    assert at("研发投入强度预计提高到2.4%。") == [("rd_intensity", 2.4, "%", 2024, "estimate", "exact")]
    assert at("研发经费投入强度有望达到2.2%。") == [("rd_intensity", 2.2, "%", 2024, "estimate", "exact")]
    # a marker opening the sentence governs the list after it
    assert at("预计2024年全省研发经费投入超过1000亿元,强度达到2.1%。") == [
        ("rd_expenditure", 1000, "亿元", 2024, "estimate", "lower_bound"),
        ("rd_intensity", 2.1, "%", 2024, "estimate", "exact")]
    # a marker in a later clause does not apply backwards
    assert at("全社会研发经费投入约1100亿元、增长9%左右,研发投入强度预计达到2.3%。") == [
        ("rd_expenditure", 1100, "亿元", 2024, "actual", "approx"), ("rd_intensity", 2.3, "%", 2024, "estimate", "exact")]
    # a bracketed marker right after the number
    assert at("全社会研发投入强度达到2.1%左右(预计数)。") == [("rd_intensity", 2.1, "%", 2024, "estimate", "approx")]
    assert at("全社会研发投入强度达到2.1%(初步统计)。") == [("rd_intensity", 2.1, "%", 2024, "estimate", "exact")]


# --- a sentence wrapped over lines -----------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:.*could not be inferred")  # a made-up text names no place or year
def test_a_sentence_wrapped_over_lines_is_read_whole(tmp_path):
    from analysis import load_corpus
    from analysis.metrics import extract_metrics

    doc = tmp_path / "report.txt"
    doc.write_text("各位代表：\n一、2015年工作回顾\n过去一年，经济运行总体平稳。全社会研究与试验发展经费\n支出占国内生产总值比重达到"
                   "2.1%，技术合同成交额达到9800亿元。研发经费投入强度\n达到2.2%。\n二、2016年工作总体部署\n"
                   "研发投入强度达到2.3%。\n", encoding="utf-8")
    corpus = load_corpus([doc])
    m = extract_metrics(corpus)
    text = corpus.docs["text"].iloc[0]
    assert m[["indicator", "value"]].values.tolist() == [
        ["rd_intensity", 2.1], ["tech_contract_value", 9800.0], ["rd_intensity", 2.2], ["rd_intensity", 2.3]]
    # offsets still point into the document text, and the row names the unit that holds the number
    assert all(text[r.start:r.end] == r.quote and text[r.number_start:r.number_end] == r.number
               for r in m.itertuples())
    units = corpus.units.set_index("unit_id")
    assert all(units.loc[r.unit_id, "start"] <= r.number_start < units.loc[r.unit_id, "end"] for r in m.itertuples())
    # a heading line is never joined to the paragraph after it
    assert not m["quote"].str.contains("工作回顾|总体部署").any()
