"""`keywords` commands: the banned-word lists, and checking a text against them."""

from __future__ import annotations

import argparse
from pathlib import Path

from smsjingling import messages
from smsjingling.cli.output import table
from smsjingling.keywords import KeywordStore, category_label
from smsjingling.keywords.categories import Category
from smsjingling.storage.database import open_database

messages.register(
    {
        "cli.keywords.headers": ("关键词|分类|来源|启用", "Keyword|Category|Source|Enabled"),
        "cli.keywords.total": ("共 {count} 个", "{count} in all"),
        "cli.keywords.added": ("已添加“{word}”（{category}）", "Added “{word}” ({category})"),
        "cli.keywords.removed": ("已删除 {count} 个", "Removed {count}"),
        "cli.keywords.enabled": ("已启用 {count} 个", "Enabled {count}"),
        "cli.keywords.disabled": ("已停用 {count} 个", "Disabled {count}"),
        "cli.keywords.clean": ("未发现违禁词。", "No banned words found."),
        "cli.keywords.hit": (
            "第 {start}–{end} 个字符：“{text}” 命中“{word}”（{category}）",
            "characters {start}–{end}: “{text}” matches “{word}” ({category})",
        ),
        "cli.keywords.hits": ("共 {count} 处命中，不能发送。", "{count} hit(s): this text cannot be sent."),
    }
)


def register(commands: argparse._SubParsersAction) -> None:
    categories = ", ".join(c.value for c in Category)
    k = commands.add_parser("keywords", help="banned-word lists and checking a text / 违禁词")
    sub = k.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = sub.add_parser("list", help="list the words")
    p.add_argument("--category", help=f"one category: {categories}, or a Chinese name (赌博, 政治 …)")
    p.set_defaults(handler=_list)

    p = sub.add_parser("add", help="add a word")
    p.add_argument("word")
    p.add_argument("--category", required=True, help=f"{categories}, or a name of your own")
    p.set_defaults(handler=_add)

    for name, help_text in (
        ("remove", "remove a word (in any written form)"),
        ("enable", "match a word again"),
        ("disable", "keep a word listed but stop matching it"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("word")
        p.add_argument("--category", help="only in this category (default: every category)")
        p.set_defaults(handler=_change, change=name)

    p = sub.add_parser("import", help="import the vendor's list (.txt, .xlsx, .xls, .csv)")
    p.add_argument("file", type=Path)
    p.add_argument("--category", help="for words whose row names no category (default: vendor)")
    p.add_argument("--strict", action="store_true", help="import nothing if any value is rejected")
    p.set_defaults(handler=_import)

    p = sub.add_parser("check", help="check a text; exit code 1 when it has hits")
    p.add_argument("text")
    p.set_defaults(handler=_check)


def _store(args: argparse.Namespace) -> KeywordStore:
    return KeywordStore(open_database(args.db))


def _list(args: argparse.Namespace) -> int:
    yes = "是" if messages.current_language() == "zh" else "yes"
    records = _store(args).list(args.category)
    table(
        messages.text("cli.keywords.headers").split("|"),
        [(r.word, category_label(r.category), r.source, yes if r.enabled else "") for r in records],
    )
    print(messages.text("cli.keywords.total", count=len(records)))
    return 0


def _add(args: argparse.Namespace) -> int:
    record = _store(args).add(args.word, args.category)
    print(messages.text("cli.keywords.added", word=record.word, category=category_label(record.category)))
    return 0


def _change(args: argparse.Namespace) -> int:
    store = _store(args)
    count = getattr(store, args.change)(args.word, args.category)
    key = {"remove": "cli.keywords.removed", "enable": "cli.keywords.enabled", "disable": "cli.keywords.disabled"}
    print(messages.text(key[args.change], count=count))
    return 0


def _import(args: argparse.Namespace) -> int:
    report = _store(args).import_file(args.file, args.category, strict=args.strict)
    print(report.summary())
    for problem in report.rejected[:50]:
        print(f"  {problem.row}\t{problem.column}\t{problem.value}\t{problem.reason()}")
    if len(report.rejected) > 50:
        print(f"  … +{len(report.rejected) - 50}")
    return 1 if report.rejected else 0


def _check(args: argparse.Namespace) -> int:
    hits = _store(args).matcher().check(args.text)
    if not hits:
        print(messages.text("cli.keywords.clean"))
        return 0
    for hit in hits:
        print(
            messages.text(
                "cli.keywords.hit",
                # 1-based and inclusive, as a person counts characters.
                start=hit.start + 1,
                end=hit.end,
                text=hit.text,
                word=hit.word,
                category=category_label(hit.category),
            )
        )
    print(messages.text("cli.keywords.hits", count=len(hits)))
    return 1
