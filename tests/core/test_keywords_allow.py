"""Allowing a word for one send: stored on the campaign, written to the audit log, and left out of checks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smsjingling import audit
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.keywords import KeywordStore, allow_and_check, allow_for_campaign
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Campaign

TEXT = "【反诈中心】公安机关不会要求您把钱转到“安全账户”，也不会代開發票。"


@pytest.fixture
def campaign_id(db: Database) -> int:
    with db.session() as s:
        campaign = Campaign(name="反诈提醒", template=TEXT)
        s.add(campaign)
        s.flush()
        return campaign.id


def test_allow_stores_audits_and_filters(db: Database, campaign_id: int) -> None:
    matcher = KeywordStore(db).matcher()
    assert {h.word for h in matcher.check(TEXT)} == {"安全账户", "代开发票"}

    with db.session() as s:
        remaining = allow_and_check(s, matcher, campaign_id, TEXT, ["安全账户"], actor="admin")
    assert [h.word for h in remaining] == ["代开发票"]
    with db.session() as s:
        allowed = allow_for_campaign(s, campaign_id, ["代 開 發 票", "安全账户"], actor="boss")
    assert allowed == ["安全账户", "代 開 發 票"]

    with db.reader() as s:
        campaign = s.get(Campaign, campaign_id)
        assert campaign is not None and campaign.allowed_words == ["安全账户", "代 開 發 票"]
        events = s.execute(select(AuditEvent).where(AuditEvent.action == "keywords.allow")).scalars().all()
        assert [(e.actor, e.details["campaign"], e.details["words"]) for e in events] == [
            ("admin", campaign_id, ["安全账户"]),
            ("boss", campaign_id, ["代 開 發 票", "安全账户"]),
        ]
        assert audit.verify_chain(s) == []
    # The engine's check of each message of this campaign: nothing blocks it now.
    assert matcher.check(TEXT, allowed=campaign.allowed_words) == []
    # Other campaigns are not affected.
    assert len(matcher.check(TEXT)) == 2


def test_allow_refuses_nothing_and_unknown_campaigns(db: Database, campaign_id: int) -> None:
    with db.session() as s, pytest.raises(ValidationError) as error:
        allow_for_campaign(s, campaign_id, ["  ", "***"], actor="admin")
    assert error.value.key == "keywords.nothing_allowed"
    with db.session() as s, pytest.raises(NotFoundError) as error:
        allow_for_campaign(s, campaign_id + 1, ["安全账户"], actor="admin")
    assert str(campaign_id + 1) in str(error.value)
    with db.reader() as s:
        assert s.execute(select(AuditEvent).where(AuditEvent.action == "keywords.allow")).first() is None
