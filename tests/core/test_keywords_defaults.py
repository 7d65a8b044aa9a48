"""The shipped default lists: one file per forbidden kind, usable words, and no hits in everyday notices."""

from __future__ import annotations

from collections import Counter

import pytest

from smsjingling import paths
from smsjingling.keywords import Category, Matcher, normalize
from smsjingling.keywords.store import default_lists

# Everyday messages of offices, shops and carriers, many holding a banned word's characters inside other
# words (平台独家 holds 台独, 救援交通 援交, 流量包夜间 包夜 ...): none of them may be blocked.
EVERYDAY = [
    "各位同事：本周五下午三点在三楼会议室召开季度总结会，请准时参加。",
    "【某某商城】平台独家优惠，收藏独家好物，满三退一，详情见APP。退订回T",
    "香港独家代理新品到店，新疆独特风味干果八折，欢迎选购。",
    "房东突然通知涨租？公寓管家为您解答，请致电400-123-4567。",
    "请勿将USB设备接入办公电脑，违反共同约定者按制度处理。",
    "射击训练：计算命中率后公布成绩，回回都要登记。",
    "下周安排汉语课和英语课，全校统一教材，请家长知悉。",
    "今晚18:00起救援交通管制，请绕行。",
    "您的流量包夜间使用不计费，详情回复CX查询。",
    "关注我们的微博彩蛋活动，赢取芝麻古法榨油礼盒。",
    "汽修店：打气枪、千斤顶一律七折。",
    "银行提醒：谨防假币，收到残损币请到柜台兑换。",
    "考试时间为6月10日，请携带准考证，考试答案将于考后公布。",
    "社区提醒：请勿散布谣言，相关情况以官方通报为准。",
    "本月电价下降头一次超过百分之五。",
    "这款全能神器效果实际神奇，欢迎试用。",
    "请各部门负责人将本通知转发给所有人。",
    "疫苗接种通知：请于本周六上午到社区卫生服务中心接种。",
    "您的快递已到驿站，取件码8-3-1024，请凭码取件。",
    "工资条已发送至您的邮箱，如有疑问请联系财务部王会计。",
    "国庆节放假安排：10月1日至7日放假调休，共7天。",
    "尊敬的会员，您的积分将于12月31日到期，请及时兑换礼品。",
    "【人民医院】您预约的体检时间为明早8点，请空腹前来。",
    "物业通知：明日上午停水检修，请提前储水。",
    "公司年会抽奖：恭喜销售部获得团队奖。",
    "Dear customer, your VIP card expires soon. Reply STOP to unsubscribe.",
]


def test_one_file_per_forbidden_kind() -> None:
    folder = paths.resources_dir() / "keywords"
    lists = default_lists()
    expected = {c.value for c in Category} - {Category.VENDOR.value}
    assert set(lists) == expected
    for category in expected:
        lines = (folder / f"{category}.txt").read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# ")  # says which kind it is
    assert (folder / "opencc" / "LICENSE").is_file() and (folder / "opencc" / "TSCharacters.txt").is_file()


@pytest.mark.parametrize("category", sorted(default_lists()))
def test_default_words_are_usable_and_distinct(category: str) -> None:
    words = default_lists()[category]
    assert 15 <= len(words) <= 60
    folded = [normalize(w) for w in words]
    assert all(folded) and all(len(w) <= 20 for w in words)
    assert [w for w, n in Counter(folded).items() if n > 1] == []
    # Written as they are matched: plain simplified Chinese, nothing that folding would change.
    assert folded == words


def test_no_default_word_hits_an_everyday_message() -> None:
    matcher = Matcher((w, c) for c, words in default_lists().items() for w in words)
    hits = {text: [h.word for h in matcher.check(text)] for text in EVERYDAY}
    assert {t: h for t, h in hits.items() if h} == {}
    # ... while the words themselves are found.
    assert [h.word for h in matcher.check("加微信玩六 合 彩，代開發票")] == ["六合彩", "代开发票"]
