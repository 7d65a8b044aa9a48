"""Keyword filter throughput: 100,000 personalised messages against 10,000 words, and the naive way.

The words are the default lists plus generated ones: 2 to 4 characters drawn (fixed seed) from the 3,755
most common Chinese characters (GB2312 level 1), the characters real lists are written in, so a message
meets partial matches all the time and, now and then, a whole one. The messages are notices, bills and
reminders of 60 to 80 characters, each with its own name, department, date, amount and number; one in a
hundred holds an evasion (六 合 彩, 代開發票) and a few have emoji or full-width letters, so the slower
paths are in the figure too.

The naive baseline tests each word with `in` against the folded message (the same folding, so both find
the same hits). It is run on 1,000 of the messages and scaled up by 100: on all of them it would take
minutes. Both results are compared on those 1,000 messages.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from smsjingling.keywords import Matcher, normalize
from smsjingling.keywords.store import default_lists
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

WORDS = 10_000
MESSAGES = 100_000
NAIVE_MESSAGES = 1_000
RUNS = 5  # best of: the machine is shared, and one slow run says more about the neighbours than about us
SEED = 20240601

TEMPLATES = [
    "【{org}】{name}您好：您在本店{date}购买的商品已发货，快递单号SF{num}，预计两天内送达。如有疑问请致电400-{tel}。拒收请回复R",
    "{name}同事：本周五下午三点在三楼会议室召开{dept}季度总结会，请提前准备好工作汇报材料并准时参加，收到请回复，谢谢。{org}办公室",
    "尊敬的{name}会员：您的账户积分{amount}分将于{date}到期清零，请登录APP及时兑换礼品，更多活动详见门店公告。【{org}】退订回T",
    "【{org}】{name}，您{date}的工资{amount}元已发放至尾号{tail}的银行卡，工资明细已发送到您的邮箱，如有疑问请联系财务部王会计。",
    "{name}家长您好：{dept}定于{date}上午9点召开期中家长会，地点在学校报告厅，请准时到校，不便参加请提前告知班主任。【{org}】",
    "【{org}】温馨提示：{name}您好，您预约的{dept}体检时间为{date}上午八点，请空腹前来并携带身份证，如需改约请致电{tel}，谢谢。",
]
EVASIONS = ["买六 合 彩稳赚", "需要代開發票请联系", "ＶＩＰ百家乐开户", "法\u200b轮\u200b功", "刷单返利😀日结"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬建国志红晓东海燕雪梅思远子涵浩然"
DEPTS = ["销售部", "财务部", "人事部", "行政部", "研发中心", "三年级二班", "客服中心", "仓储物流部"]
ORGS = ["某某科技", "城南中学", "惠民超市", "人民医院", "宏达物流", "新华书店"]


def common_characters() -> list[str]:
    """GB2312 level 1: the 3,755 most common characters, in the standard's order."""
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:  # the five empty cells at the end of row 0xD7
                continue
    return chars


def word_list(rng: random.Random) -> list[tuple[str, str]]:
    words = [(w, c) for c, ws in default_lists().items() for w in ws]
    seen = {normalize(w) for w, _ in words}
    chars = common_characters()
    while len(words) < WORDS:
        word = "".join(rng.choice(chars) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append((word, "vendor"))
    return words


def messages(rng: random.Random) -> list[str]:
    out = []
    for i in range(MESSAGES):
        text = rng.choice(TEMPLATES).format(
            org=rng.choice(ORGS),
            name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
            dept=rng.choice(DEPTS),
            date=f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            num=rng.randint(10**11, 10**12 - 1),
            tel=f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            amount=f"{rng.randint(100, 99999):,}",
            tail=rng.randint(1000, 9999),
        )
        if i % 100 == 7:
            text = text.replace("请", rng.choice(EVASIONS) + "，请", 1)
        elif i % 50 == 13:
            text = "🎉" + text.replace("APP", "ＡＰＰ") + "👍"
        out.append(text)
    return out


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        with Stopwatch() as watch:
            work()
        best = min(best, watch.seconds)
    return best


def run() -> list[Figure]:
    rng = random.Random(SEED)
    words = word_list(rng)
    texts = messages(rng)
    average = sum(map(len, texts)) / len(texts)

    with Stopwatch() as build:
        matcher = Matcher(words)
    assert len(matcher) == WORDS, len(matcher)
    check = matcher.check

    def one_by_one() -> None:
        for text in texts:
            check(text)

    blocked = matcher.check_all(texts)  # warm-up too: the folding table is built, caches are filled
    assert blocked == {i: hits for i, text in enumerate(texts) if (hits := check(text))}
    cpu_start = time.process_time()
    ours = best_of(RUNS, one_by_one)
    cpu = (time.process_time() - cpu_start) / RUNS
    batch = best_of(RUNS, lambda: matcher.check_all(texts))

    folded_words = [(normalize(w), w, c) for w, c in words]
    sample = texts[:: MESSAGES // NAIVE_MESSAGES]

    def naive_all() -> None:
        for text in sample:
            folded = normalize(text)
            [w for key, w, _ in folded_words if key in folded]

    naive = best_of(1, naive_all) * (MESSAGES / len(sample))
    # Both ways find the same words on the sample (the naive way cannot say where, nor count repeats).
    for text in sample:
        folded = normalize(text)
        assert {(w, c) for key, w, c in folded_words if key in folded} == {(h.word, h.category) for h in check(text)}

    return [
        Figure(f"check(), {MESSAGES:,} messages (avg {average:.0f} chars) one by one", ours, "s", 1.0),
        Figure("  the same, CPU time (the machine is shared)", cpu, "s"),
        Figure("check_all(), the same messages as one campaign", batch, "s", 1.0),
        Figure("  messages blocked (evasions planted in 1 %, chance hits)", len(blocked), "msgs"),
        Figure(f"naive `word in text`, scaled from {len(sample):,} messages", naive, "s"),
        Figure("speed-up of check() over naive", naive / ours, "x", 50.0, higher_is_better=True),
        Figure(f"build the matcher, {WORDS:,} words", build.seconds, "s"),
    ]


BENCHMARKS = [Benchmark("keywords: check 100,000 messages against 10,000 words", run)]
