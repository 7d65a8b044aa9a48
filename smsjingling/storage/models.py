"""The database model (SQLAlchemy 2.x). Schema changes go through the Alembic migrations."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from smsjingling.storage.types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}
    # Named constraints, so migrations can refer to them on every database.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


contact_groups = Table(
    "contact_groups",
    Base.metadata,
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_contact_groups_group", "group_id", "contact_id"),
)


class Contact(Base):
    """One person (or one landline) in the book. `phone` is E.164 and unique."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="", index=True)
    phone: Mapped[str] = mapped_column(String(24), unique=True)
    # False for landlines and service numbers: kept in the book, never sent to.
    sms_capable: Mapped[bool] = mapped_column(default=True)
    # A hint from the number's prefix; numbers can be ported between carriers.
    carrier: Mapped[str] = mapped_column(String(8), default="")
    region: Mapped[str] = mapped_column(String(64), default="")
    # Every other column of the spreadsheet (部门, 职务, 备注 ...), keyed by its Chinese field name.
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    consent_at: Mapped[datetime | None] = mapped_column(default=None)
    consent_source: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by whoever changes the contact: an import that merges a row and then merges it back is no change.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    groups: Mapped[list[Group]] = relationship(secondary=contact_groups, back_populates="contacts")


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contacts: Mapped[list[Contact]] = relationship(secondary=contact_groups, back_populates="groups")


class OptOutReason(enum.StrEnum):
    TD_REPLY = "td_reply"  # the recipient replied TD/T/退订
    MANUAL = "manual"  # an operator added it
    COMPLAINT = "complaint"  # a complaint reached the office or the vendor


class OptOut(Base):
    """A number that must not receive messages. Kept by phone, so it survives deleting the contact."""

    __tablename__ = "opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(24), unique=True)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The inbound message (a TD reply) that caused it; the inbound table arrives with the sending engine.
    source_message_id: Mapped[int | None] = mapped_column(default=None)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuditEvent(Base):
    """Who did what, when. Each row's hash covers the previous row's hash, so edits and deletions show."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    machine: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


# The sending tables share this metadata; importing them here means every user of the model (Alembic, the
# schema check, open_database) sees the whole schema.
from smsjingling.storage import accounts as _accounts  # noqa: E402, F401  (the prepaid account and its ledger)
from smsjingling.storage import sending as _sending  # noqa: E402, F401  (circular by design: it needs Base)
