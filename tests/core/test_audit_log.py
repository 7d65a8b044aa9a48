"""Reading the audit log: filters, pages newest first, actions in words, the chain check naming the rows
where it breaks, and the export."""

from __future__ import annotations

import ast
import csv
import re
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from smsjingling import audit, audit_log
from smsjingling.audit_log import AuditQuery
from smsjingling.contacts.book import ContactBook
from smsjingling.records.export import ExportCancelled
from smsjingling.records.period import Period
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent


@pytest.fixture
def logged(db: Database) -> ContactBook:
    book = ContactBook(db, actor="王老师")
    book.add("张三", "13800138000")
    book.create_group("家长")
    ContactBook(db, actor="李主任").add("李四", "13900139000")
    return book


def rows(db: Database, query: AuditQuery | None = None, **kw: object) -> list[audit_log.AuditRow]:
    with db.reader() as s:
        return audit_log.events(s, query or AuditQuery(), **kw)  # type: ignore[arg-type]


def test_events_come_newest_first_and_page_below_an_id(db: Database, logged: ContactBook) -> None:
    everything = rows(db)
    assert [r.action for r in everything] == ["contact.add", "group.create", "contact.add"]
    assert [r.actor for r in everything] == ["李主任", "王老师", "王老师"]
    assert everything[0].machine == audit.current_machine()
    assert rows(db, limit=1, below_id=everything[0].id) == [everything[1]]
    with db.reader() as s:
        assert audit_log.newer(s, AuditQuery(), above_id=everything[1].id) == [everything[0]]
        assert audit_log.actions(s) == ["contact.add", "group.create"]
        assert audit_log.actors(s) == ["李主任", "王老师"]


def test_filters_by_action_area_actor_days_and_text(db: Database, logged: ContactBook) -> None:
    def actions(query: AuditQuery) -> list[str]:
        return [r.action for r in rows(db, query)]

    assert actions(AuditQuery(action="group.create")) == ["group.create"]
    assert actions(AuditQuery(action="contact.")) == ["contact.add", "contact.add"]
    assert actions(AuditQuery(actor="李主任")) == ["contact.add"]
    today = Period(date.today() - timedelta(days=1), date.today() + timedelta(days=2))
    assert len(actions(AuditQuery(period=today))) == 3
    assert actions(AuditQuery(period=Period(date(2020, 1, 1), date(2020, 1, 2)))) == []
    assert actions(AuditQuery(text="家长")) == ["group.create"]  # Chinese in the JSON details, as typed
    assert actions(AuditQuery(text="13900139000")) == ["contact.add"]
    assert actions(AuditQuery(text="李主")) == ["contact.add"]  # the actor
    assert actions(AuditQuery(text="100%")) == []  # LIKE wildcards are literal
    with db.reader() as s:
        assert audit_log.count(s, AuditQuery(actor="王老师")) == 2


def test_actions_and_details_in_words() -> None:
    assert audit_log.action_text("campaign.create", "zh") == "创建发送任务"
    assert audit_log.action_text("campaign.create", "en") == "Campaign created"
    assert audit_log.action_text("something.new", "zh") == "something.new"
    details = {"name": "张三", "groups": ["家长"], "count": 2}
    assert audit_log.details_text(details, "zh") == 'name：张三；groups：["家长"]；count：2'
    assert audit_log.details_text(details, "en") == 'name: 张三; groups: ["家长"]; count: 2'


def _strings(node: ast.AST | None) -> set[str]:
    """The string constants an expression can be: "a", or "a" if c else "b"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def recorded_actions() -> set[str]:
    """Every action the core passes to audit.record: a literal, a module constant, a local `action = ...`,
    or a literal handed to a function of the module whose parameter `action` is passed on."""
    found: set[str] = set()
    for path in Path(audit.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        # function name -> position of its `action` parameter as callers pass it (self not counted)
        takes_action: dict[str, int] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.args]
                if "action" in names:
                    takes_action[node.name] = names.index("action") - (1 if names[:1] == ["self"] else 0)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "action" for t in node.targets):
                found |= _strings(node.value)
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name == "record" and isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "audit":
                action = node.args[1] if len(node.args) > 1 else None
                found |= _strings(action)
                if isinstance(action, ast.Name) and action.id in constants:
                    found.add(constants[action.id])
            elif name in takes_action and len(node.args) > takes_action[name]:
                found |= _strings(node.args[takes_action[name]])
            found |= {s for k in node.keywords if k.arg == "action" for s in _strings(k.value)}
    return {a for a in found if re.fullmatch(r"[a-z_]+\.[a-z_]+", a)}


def test_every_action_the_core_records_has_words() -> None:
    actions = recorded_actions()
    assert {"campaign.create", "keywords.defaults", "optout.add"} <= actions
    unnamed = sorted(
        a
        for a in actions
        if a.startswith(tuple(f"{k.split('.')[0]}." for k in audit_log.ACTIONS)) and a not in audit_log.ACTIONS
    )
    assert unnamed == [], "add them to smsjingling.audit_log.ACTIONS"


def test_the_chain_check_names_an_edited_and_a_deleted_row(db: Database, logged: ContactBook) -> None:
    assert audit_log.check_chain(db).intact and audit_log.check_chain(db).total == 3
    first, second, third = sorted(r.id for r in rows(db))
    with db.session() as s:
        s.execute(update(AuditEvent).where(AuditEvent.id == second).values(actor="别人"))
    check = audit_log.check_chain(db)
    assert not check.intact and check.total == 3
    assert [(b.id, b.reason, b.actor, b.action) for b in check.breaks] == [(second, "edited", "别人", "group.create")]
    assert check.breaks[0].at is not None and first < second < third


def test_export_writes_the_filtered_events_oldest_first_and_is_audited(
    tmp_path: Path, db: Database, logged: ContactBook
) -> None:
    out = tmp_path / "audit.csv"
    seen: list[tuple[int, int]] = []
    count = audit_log.export_audit(
        db, out, AuditQuery(action="contact."), page=1, actor="审计员", progress=lambda d, t: seen.append((d, t))
    )
    assert count == 2 and seen == [(1, 2), (2, 2)]
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == list(audit_log.HEADERS)
    assert [(r[1], r[3], r[4]) for r in table[1:]] == [
        ("王老师", "添加联系人", "contact.add"),
        ("李主任", "添加联系人", "contact.add"),
    ]
    assert "+8613800138000" in table[1][5]
    last = rows(db)[0]
    assert (last.action, last.actor, last.details["count"]) == ("audit.export", "审计员", 2)
    assert audit_log.check_chain(db).intact


def test_a_cancelled_export_writes_nothing(tmp_path: Path, db: Database, logged: ContactBook) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExportCancelled):
        audit_log.export_audit(db, tmp_path / "x.xlsx", cancel=cancel)
    assert not (tmp_path / "x.xlsx").exists()
