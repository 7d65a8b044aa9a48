"""The contact book: contacts, groups, opt-outs, consent and search, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from smsjingling import audit
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.search import ContactQuery, phone_prefix
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.phones import PhoneError
from smsjingling.storage.models import AuditEvent


def test_add_normalises_number_and_records_carrier_and_region(book: ContactBook) -> None:
    c = book.add("张三", "138-0013-8000", fields={"部门": "销售部", "备注": ""}, groups=["销售部"])
    assert c.phone == "+8613800138000"
    assert c.carrier == "cmcc" and c.region  # 移动, with a region from the geocoder
    assert c.sms_capable
    assert c.fields == {"部门": "销售部"}  # empty values are not stored
    assert c.groups == ("销售部",)


def test_landline_is_kept_but_not_sms_capable(book: ContactBook) -> None:
    c = book.add("前台", "010-88886666")
    assert c.phone == "+861088886666" and not c.sms_capable


def test_duplicate_number_is_refused_with_the_holder_named(book: ContactBook) -> None:
    book.add("张三", "13800138000")
    with pytest.raises(ValidationError) as err:
        book.add("李四", "+86 138 0013 8000")
    assert err.value.key == "contact.duplicate_phone"
    assert "张三" in err.value.message("zh")


def test_invalid_number_is_refused(book: ContactBook) -> None:
    with pytest.raises(PhoneError):
        book.add("王五", "138001")
    assert book.count() == 0


def test_edit_and_delete(book: ContactBook) -> None:
    c = book.add("张三", "13800138000", groups=["A"])
    c2 = book.update(c.id, name="张三丰", phone="13900139000", fields={"职务": "经理"}, groups=["A", "B"])
    assert (c2.name, c2.phone, c2.fields, c2.groups) == ("张三丰", "+8613900139000", {"职务": "经理"}, ("A", "B"))
    assert book.delete([c.id]) == 1
    with pytest.raises(NotFoundError):
        book.get(c.id)
    assert [g.members for g in book.groups()] == [0, 0]  # memberships went with the contact


def test_contact_in_several_groups_and_group_management(book: ContactBook) -> None:
    a = book.add("甲", "13800138001", groups=["销售部", "全体"])
    b = book.add("乙", "13800138002", groups=["全体"])
    assert {g.name: g.members for g in book.groups()} == {"全体": 2, "销售部": 1}
    assert book.add_to_group([a.id, b.id], "销售部") == 1
    book.rename_group("销售部", "市场部")
    with pytest.raises(ValidationError):
        book.rename_group("市场部", "全体")
    with pytest.raises(ValidationError):
        book.create_group("全体")
    assert book.remove_from_group([a.id], "市场部") == 1
    book.delete_group("市场部")
    assert [g.name for g in book.groups()] == ["全体"]
    assert book.count() == 2  # deleting a group keeps its contacts
    with pytest.raises(NotFoundError):
        book.delete_group("不存在")


def test_optouts_survive_the_contact_and_show_in_search(book: ContactBook) -> None:
    c = book.add("张三", "13800138000")
    book.add_optout("+8613800138000", "td_reply", "回复TD")
    assert book.get(c.id).opted_out
    assert book.count(ContactQuery(opted_out=True)) == 1
    assert book.count(ContactQuery(opted_out=False)) == 0
    book.delete([c.id])
    assert [o.phone for o in book.optouts()] == ["+8613800138000"]
    assert book.is_opted_out(["+8613800138000", "+8613900139000"]) == {"+8613800138000"}
    with pytest.raises(ValidationError):
        book.add_optout("13900139000", "because")
    book.remove_optout("13800138000")
    with pytest.raises(NotFoundError):
        book.remove_optout("13800138000")


def test_consent_when_and_how(book: ContactBook) -> None:
    c = book.add("张三", "13800138000")
    at = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    book.set_consent([c.id], at, "纸质回执")
    got = book.get(c.id)
    assert got.consent_at == at and got.consent_source == "纸质回执"
    book.set_consent([c.id], None, "")
    assert book.get(c.id).consent_at is None


@pytest.fixture
def people(book: ContactBook) -> ContactBook:
    book.add("张三", "13800138000", fields={"部门": "销售部"}, groups=["销售"])
    book.add("张三丰", "13912345678", fields={"部门": "武当"})
    book.add("李四", "18612348000", fields={"备注": "VIP客户"}, groups=["销售"])
    book.add("Alice Wang", "+85291234567")
    return book


def test_search_by_phone_prefix_name_prefix_and_any_field(people: ContactBook) -> None:
    names = lambda q: [c.name for c in people.search(q)]  # noqa: E731
    assert names("138") == ["张三"]
    assert names("+86 139") == ["张三丰"]
    assert names("张三") == ["张三", "张三丰"]
    assert names("8000") == ["张三", "李四"]  # 尾号: no prefix match, so a substring search
    assert names("VIP") == ["李四"]
    assert names("武当") == ["张三丰"]
    assert names("alice") == ["Alice Wang"]  # case-insensitive fallback
    assert names("100%") == []  # LIKE wildcards are literal
    销售 = people.group("销售").id
    assert [c.name for c in people.search(ContactQuery(text="张", group_id=销售))] == ["张三"]
    assert people.count(ContactQuery(group_id=销售)) == 2
    assert len(people.search("", limit=2)) == 2 and len(people.search("", limit=2, offset=2)) == 2


def test_phone_prefix_forms() -> None:
    assert phone_prefix("138 0013") == "+861380013"
    assert phone_prefix("0086138") == "+86138"
    assert phone_prefix("010-8888") == "+86108888"
    assert phone_prefix("+852 9123") == "+8529123"
    assert phone_prefix("张三") is None and phone_prefix("13") is None


def test_every_change_is_audited_and_the_chain_detects_edits(book: ContactBook) -> None:
    c = book.add("张三", "13800138000")
    book.update(c.id, name="张三丰")
    book.add_optout("13800138000")
    with book.db.reader() as s:
        actions = list(s.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars())
        assert actions == ["contact.add", "contact.edit", "optout.add"]
        assert audit.verify_chain(s) == []
        assert {e.actor for e in s.execute(select(AuditEvent)).scalars()} == {"tester"}
    with book.db.session() as s:
        s.execute(text("UPDATE audit_events SET details = '{\"id\": 999}' WHERE action = 'contact.edit'"))
    with book.db.reader() as s:
        breaks = audit.verify_chain(s)
    assert [(b.reason) for b in breaks] == ["edited"]
    with book.db.session() as s:
        s.execute(text("DELETE FROM audit_events WHERE action = 'contact.edit'"))
    with book.db.reader() as s:
        assert [b.reason for b in audit.verify_chain(s)] == ["gap"]
