"""Allowing a listed word for one send: an admin's decision, kept on the campaign and in the audit log.

A hit blocks a send. An admin who judges a hit harmless (a company named 大发, a notice quoting a fraud
warning) allows that word for this campaign only: the words are stored on the campaign
(`Campaign.allowed_words`), and the checks of its messages pass them as `allowed`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.keywords.matcher import Hit, Matcher
from smsjingling.keywords.normalize import normalize
from smsjingling.storage.sending import Campaign

ALLOW_EVENT = "keywords.allow"

messages.register(
    {
        "keywords.campaign_not_found": ("找不到群发任务（编号 {id}）。", "No campaign with id {id}."),
        "keywords.nothing_allowed": ("没有要放行的关键词。", "No words to allow were given."),
    }
)


def allow_for_campaign(session: Session, campaign_id: int, words: Iterable[str], actor: str | None = None) -> list[str]:
    """Allow `words` for this campaign, in the caller's transaction; the campaign's allowed words after.

    The audit event (`keywords.allow`: campaign, words) is written even when a word was allowed before,
    since each decision is one to account for.
    """
    wanted = [" ".join(str(w).split()) for w in words]
    wanted = [w for w in wanted if normalize(w)]
    if not wanted:
        raise ValidationError("keywords.nothing_allowed")
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("keywords.campaign_not_found", id=campaign_id)
    allowed = list(campaign.allowed_words or [])
    for word in wanted:
        if word not in allowed:
            allowed.append(word)
    campaign.allowed_words = allowed  # a new list, so the JSON column is seen as changed
    audit.record(
        session,
        ALLOW_EVENT,
        {"campaign": campaign_id, "campaign_name": campaign.name, "words": wanted},
        actor=actor,
    )
    session.flush()
    return allowed


def allow_and_check(
    session: Session, matcher: Matcher, campaign_id: int, text: str, words: Iterable[str], actor: str | None = None
) -> list[Hit]:
    """Allow `words` for the campaign (stored and audited), then check `text` again: the hits that remain,
    leaving out every word the campaign now allows."""
    allowed = allow_for_campaign(session, campaign_id, words, actor)
    return matcher.check(text, allowed)
