"""The categories of banned words: the nine kinds of forbidden content, and the vendor's own.

Both SMS contracts (seeds 003 and 004, annex 信息(源入网)安全保障责任书) forbid sending content of nine
kinds; the default lists in resources/keywords/ hold one file per kind, plus `fraud` (the fraud and
illegal-advertising phrases every vendor's list carries). A vendor's list may bring categories of its own
(政治, 广告 ...): those are kept as the vendor named them, and known names are mapped to ours.
"""

from __future__ import annotations

import enum

from smsjingling import messages
from smsjingling.errors import ValidationError

MAX_CATEGORY_LENGTH = 32  # the column's width

messages.register(
    {
        "keywords.bad_category": (
            "分类“{category}”无效：最多 {max} 个字符，且不能为空。",
            "“{category}” is not a usable category: at most {max} characters, and not empty.",
        ),
    }
)


class Category(enum.StrEnum):
    CONSTITUTION = "constitution"  # 1 反对宪法所确定的基本原则的
    STATE_SECURITY = "state_security"  # 2 危害国家安全，泄露国家秘密，颠覆国家政权，破坏国家统一的
    NATIONAL_HONOUR = "national_honour"  # 3 损害国家荣誉和利益的
    ETHNIC_HATRED = "ethnic_hatred"  # 4 煽动民族仇恨、民族歧视，破坏民族团结的
    CULT = "cult"  # 5 破坏国家宗教政策，宣扬邪教和封建迷信的
    RUMOUR = "rumour"  # 6 散布谣言，扰乱社会秩序，破坏社会稳定的
    OBSCENE_VIOLENT = "obscene_violent"  # 7 散布淫秽、色情、赌博、暴力、凶杀、恐怖或者教唆犯罪的
    INSULT = "insult"  # 8 侮辱或者诽谤他人，侵害他人合法权益的
    OTHER_ILLEGAL = "other_illegal"  # 9 含有法律、行政法规禁止的其他内容的
    FRAUD = "fraud"  # not one of the nine by name, but on every vendor's list: fraud, illegal advertising
    VENDOR = "vendor"  # imported from the vendor's list with no category of its own

    def label(self, lang: str | None = None) -> str:
        return messages.text(f"keywords.category.{self.value}", lang)


messages.register(
    {
        f"keywords.category.{category.value}": pair
        for category, pair in {
            Category.CONSTITUTION: ("反对宪法基本原则", "Against the Constitution's principles"),
            Category.STATE_SECURITY: ("危害国家安全与统一", "Endangering national security and unity"),
            Category.NATIONAL_HONOUR: ("损害国家荣誉和利益", "Harming national honour and interests"),
            Category.ETHNIC_HATRED: ("煽动民族仇恨、破坏民族团结", "Inciting ethnic hatred"),
            Category.CULT: ("邪教与封建迷信", "Cults and superstition"),
            Category.RUMOUR: ("谣言、扰乱社会秩序", "Rumours and disturbing public order"),
            Category.OBSCENE_VIOLENT: (
                "淫秽色情、赌博、暴力恐怖、教唆犯罪",
                "Obscenity, gambling, violence, terror, incitement to crime",
            ),
            Category.INSULT: ("侮辱诽谤、侵害他人权益", "Insult, defamation, infringing others' rights"),
            Category.OTHER_ILLEGAL: ("法律法规禁止的其他内容", "Other content forbidden by law"),
            Category.FRAUD: ("诈骗与违法广告", "Fraud and illegal advertising"),
            Category.VENDOR: ("服务商词库", "Vendor's list"),
        }.items()
    }
)

# Names vendors and users give categories, folded with casefold(); each maps to one of ours.
_ALIASES: dict[str, Category] = {
    "宪法": Category.CONSTITUTION,
    "反宪法": Category.CONSTITUTION,
    "政治": Category.STATE_SECURITY,
    "涉政": Category.STATE_SECURITY,
    "国家安全": Category.STATE_SECURITY,
    "反动": Category.STATE_SECURITY,
    "分裂": Category.STATE_SECURITY,
    "国家荣誉": Category.NATIONAL_HONOUR,
    "辱国": Category.NATIONAL_HONOUR,
    "民族": Category.ETHNIC_HATRED,
    "民族歧视": Category.ETHNIC_HATRED,
    "宗教": Category.CULT,
    "邪教": Category.CULT,
    "迷信": Category.CULT,
    "封建迷信": Category.CULT,
    "谣言": Category.RUMOUR,
    "色情": Category.OBSCENE_VIOLENT,
    "淫秽": Category.OBSCENE_VIOLENT,
    "涉黄": Category.OBSCENE_VIOLENT,
    "赌博": Category.OBSCENE_VIOLENT,
    "涉赌": Category.OBSCENE_VIOLENT,
    "暴力": Category.OBSCENE_VIOLENT,
    "暴恐": Category.OBSCENE_VIOLENT,
    "恐怖": Category.OBSCENE_VIOLENT,
    "毒品": Category.OBSCENE_VIOLENT,
    "犯罪": Category.OBSCENE_VIOLENT,
    "侮辱": Category.INSULT,
    "诽谤": Category.INSULT,
    "辱骂": Category.INSULT,
    "违法": Category.OTHER_ILLEGAL,
    "违禁": Category.OTHER_ILLEGAL,
    "其他": Category.OTHER_ILLEGAL,
    "诈骗": Category.FRAUD,
    "欺诈": Category.FRAUD,
    "广告": Category.FRAUD,
    "违法广告": Category.FRAUD,
    "服务商": Category.VENDOR,
    "通道": Category.VENDOR,
    "politics": Category.STATE_SECURITY,
    "political": Category.STATE_SECURITY,
    "national honor": Category.NATIONAL_HONOUR,
    "ethnic": Category.ETHNIC_HATRED,
    "racism": Category.ETHNIC_HATRED,
    "religion": Category.CULT,
    "superstition": Category.CULT,
    "rumor": Category.RUMOUR,
    "porn": Category.OBSCENE_VIOLENT,
    "pornography": Category.OBSCENE_VIOLENT,
    "obscene": Category.OBSCENE_VIOLENT,
    "gambling": Category.OBSCENE_VIOLENT,
    "violence": Category.OBSCENE_VIOLENT,
    "terror": Category.OBSCENE_VIOLENT,
    "terrorism": Category.OBSCENE_VIOLENT,
    "drugs": Category.OBSCENE_VIOLENT,
    "crime": Category.OBSCENE_VIOLENT,
    "abuse": Category.INSULT,
    "defamation": Category.INSULT,
    "illegal": Category.OTHER_ILLEGAL,
    "other": Category.OTHER_ILLEGAL,
    "scam": Category.FRAUD,
    "advertising": Category.FRAUD,
    "ads": Category.FRAUD,
    "spam": Category.FRAUD,
}


def resolve_category(name: str) -> str:
    """The stored category for a name a user or a file gave: ours by key, label or a common alias
    (政治 -> state_security), else the name itself, trimmed (a vendor's own category)."""
    text = " ".join(str(name).split())
    folded = text.casefold()
    for category in Category:
        if folded in (category.value, category.label("zh").casefold(), category.label("en").casefold()):
            return category.value
    if folded in _ALIASES:
        return _ALIASES[folded].value
    if not text or len(text) > MAX_CATEGORY_LENGTH:
        raise ValidationError("keywords.bad_category", category=text, max=MAX_CATEGORY_LENGTH)
    return text


def category_label(value: str, lang: str | None = None) -> str:
    """How to show a stored category: ours by its label, a vendor's own as it is."""
    try:
        return Category(value).label(lang)
    except ValueError:
        return value
