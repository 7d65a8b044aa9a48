"""`secrets forget-all`: remove the program's entries from the OS keyring (what an uninstall deleting the user's
data runs first: the passwords, keys and PINs are not in the data folder)."""

from __future__ import annotations

import argparse

from smsjingling import messages
from smsjingling.keyring_entries import forget_all

messages.register(
    {
        "cli.secrets_removed": ("已从系统钥匙串删除：{name}", "Removed from the system keyring: {name}"),
        "cli.secrets_total": (
            "共删除 {count} 项（服务 {service}）",
            "{count} entries removed (service {service})",
        ),
        "cli.secrets_no_database": (
            "未能读取数据库，只删除了钥匙串自身能列出的项：{detail}",
            "The database could not be read; only the entries the keyring itself lists were removed: {detail}",
        ),
    }
)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("secrets", help="the passwords, keys and PINs in the OS keyring / 系统钥匙串中的密码")
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    f = sub.add_parser(
        "forget-all",
        help="remove all of the program's entries from the keyring (the uninstaller's /DELETEDATA runs it)",
    )
    f.set_defaults(handler=_forget_all)


def _forget_all(args: argparse.Namespace) -> int:
    from smsjingling.storage.database import KEYRING_SERVICE

    result = forget_all(args.db)
    for name in result.removed:
        print(messages.text("cli.secrets_removed", name=name))
    for problem in result.problems:
        print(messages.text("cli.secrets_no_database", detail=problem))
    print(messages.text("cli.secrets_total", count=len(result.removed), service=KEYRING_SERVICE))
    return 0
