"""Saving one contact from an edit dialog (ContactBook.save), opting several out at once, and the words for
opt-out reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.labels import optout_reason_text, optout_reasons
from smsjingling.contacts.records import ContactDraft
from smsjingling.errors import ValidationError
from smsjingling.phones import PhoneError
from smsjingling.storage.models import AuditEvent


def actions(book: ContactBook) -> list[str]:
    with book.db.reader() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars())


def test_a_new_contact_with_everything(book: ContactBook) -> None:
    at = datetime(2024, 5, 6, 7, 8, tzinfo=UTC)
    saved = book.save(
        ContactDraft(
            id=None,
            name=" 张三 ",
            phone="138 0013 8000",
            fields={"部门": "办公室", "备注": "", " 职务 ": "主任"},
            groups=("领导", "全体", "领导"),
            consent_at=at,
            consent_source="纸质回执",
            opted_out=True,
            optout_reason="complaint",
            optout_note="电话投诉",
        )
    )
    assert (saved.name, saved.phone, saved.carrier) == ("张三", "+8613800138000", "cmcc")
    assert saved.fields == {"部门": "办公室", "职务": "主任"}  # blanks dropped, keys trimmed
    assert saved.groups == ("全体", "领导")
    assert (saved.consent_at, saved.consent_source, saved.opted_out) == (at, "纸质回执", True)
    entry = book.optout_of(saved.phone)
    assert entry is not None and (entry.reason, entry.note) == ("complaint", "电话投诉")
    assert actions(book) == ["contact.add", "optout.add"]


def test_editing_changes_only_what_changed(book: ContactBook) -> None:
    first = book.add("李四", "13900139000", fields={"部门": "财务科"}, groups=["员工"])
    draft = ContactDraft(id=first.id, name="李四", phone="+8613900139000", fields={"部门": "财务科"}, groups=("员工",))
    assert book.save(draft) == book.get(first.id)
    assert actions(book) == ["contact.add"]  # nothing changed, nothing audited

    moved = book.save(
        ContactDraft(id=first.id, name="李四", phone="13700137000", fields={"部门": "人事处"}, groups=("领导",))
    )
    assert (moved.phone, moved.fields, moved.groups) == ("+8613700137000", {"部门": "人事处"}, ("领导",))
    assert {g.name: g.members for g in book.groups()} == {"员工": 0, "领导": 1}
    assert actions(book)[-1] == "contact.edit"


def test_opting_out_and_back_in_through_the_dialog(book: ContactBook) -> None:
    c = book.add("王五", "18612345678")
    draft = ContactDraft(
        id=c.id, name="王五", phone=c.phone, opted_out=True, optout_reason="manual", optout_note="本人要求"
    )
    assert book.save(draft).opted_out
    # Saving again keeps the entry as it was; only a new note is written.
    book.save(ContactDraft(id=c.id, name="王五", phone=c.phone, opted_out=True, optout_note="本人电话要求"))
    entry = book.optout_of(c.phone)
    assert entry is not None and (entry.reason, entry.note) == ("manual", "本人电话要求")
    assert not book.save(ContactDraft(id=c.id, name="王五", phone=c.phone, opted_out=False)).opted_out
    assert book.optout_of(c.phone) is None
    assert actions(book)[1:] == ["optout.add", "optout.note", "optout.remove"]


def test_a_td_reply_stays_a_td_reply_when_the_contact_is_saved(book: ContactBook) -> None:
    c = book.add("赵六", "13700137000")
    book.add_optout(c.phone, "td_reply", "回复TD")
    book.save(ContactDraft(id=c.id, name="赵六", phone=c.phone, opted_out=True, optout_reason="manual"))
    entry = book.optout_of(c.phone)
    assert entry is not None and entry.reason == "td_reply"


def test_bad_input_is_refused_with_the_cores_words(book: ContactBook) -> None:
    book.add("张三", "13800138000")
    with pytest.raises(ValidationError) as err:
        book.save(ContactDraft(id=None, name="重名", phone=" "))
    assert err.value.message("zh") == "请填写手机号码。"
    with pytest.raises(PhoneError) as bad:
        book.save(ContactDraft(id=None, name="错号", phone="138001"))
    assert "位数太少" in bad.value.message("zh")
    with pytest.raises(ValidationError) as taken:
        book.save(ContactDraft(id=None, name="李四", phone="13800138000"))
    assert "张三" in taken.value.message("zh")
    with pytest.raises(ValidationError):
        book.save(ContactDraft(id=None, name="钱七", phone="15012345678", opted_out=True, optout_reason="bored"))
    assert book.count() == 1


def test_opting_out_several_contacts_at_once(book: ContactBook) -> None:
    a = book.add("甲", "13800138001")
    b = book.add("乙", "13800138002")
    book.add_optout(b.phone, "td_reply")
    assert book.set_opted_out([a.id, b.id], True, "complaint", "集体投诉") == 1  # b was already out
    assert book.optout_of(a.phone).reason == "complaint"  # type: ignore[union-attr]
    assert book.optout_of(b.phone).reason == "td_reply"  # type: ignore[union-attr]
    assert book.set_opted_out([a.id, b.id], False) == 2
    assert book.optouts() == []


def test_reasons_read_as_words() -> None:
    assert [optout_reason_text(r, "zh") for r in optout_reasons()] == ["手动登记", "投诉", "回复退订"]
    assert optout_reason_text("td_reply", "en") == "Replied to unsubscribe"
    assert optout_reason_text("carrier_list", "zh") == "carrier_list"  # unknown values as stored
