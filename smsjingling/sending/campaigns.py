"""Campaigns: create one (now, at a time, or recurring), queue its messages, pause, resume, cancel, resend.

The caps of the contract and the plan (recipients per send, messages per day) are checked before anything
is queued; a send that would exceed them is refused with how much it is over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.account.ledger import InsufficientBalance
from smsjingling.compose import Composer
from smsjingling.errors import NotFoundError, UserError, ValidationError
from smsjingling.keywords import KeywordStore
from smsjingling.messages import Text
from smsjingling.sending import billing, record
from smsjingling.sending.expand import Matcher, Plan, Recipients, plan
from smsjingling.sending.record import Move
from smsjingling.sending.rules import DAILY_MAX, RECIPIENT_CAP, TIMEZONE
from smsjingling.settings import REQUIRE_CONSENT, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, CampaignKind, CampaignStatus, Message, MessageStatus
from smsjingling.storage.types import utcnow

messages.register(
    {
        "send.invalid_number": ("号码无效", "Not a valid number"),
        "send.opted_out": ("已退订", "Opted out"),
        "send.not_mobile": (
            "不是手机号（固定电话或服务号码），不能接收短信",
            "Not a mobile number (a landline or service number)",
        ),
        "send.no_consent": ("未记录同意接收", "No consent recorded"),
        "send.keyword": ("含禁用词", "Contains a banned word"),
        "send.daily_max": ("超出每日发送上限", "Over the daily maximum"),
        "send.no_funds": ("预付费余额不足，未排队", "Not enough prepaid balance; not queued"),
        "send.no_recipients": ("没有可发送的接收人（{reasons}）", "Nobody to send to ({reasons})"),
        "send.over_recipient_cap": (
            "本次发送有 {count} 个接收人，超出合同约定的每次上限 {cap} 人 {over} 人。请分批发送。",
            "This send has {count} recipients, {over} over the contract's cap of {cap} per send. "
            "Split it into smaller sends.",
        ),
        "send.over_daily_max": (
            "今天已发送或排队 {used} 条，本次 {count} 条，超出每日上限 {cap} 条 {over} 条。",
            "{used} messages are already sent or queued today; this send adds {count}, {over} over the "
            "daily maximum of {cap}.",
        ),
        "send.keyword_hit": (
            "短信内容含禁用词：{words}。请修改内容，或由管理员允许本次发送使用这些词。",
            "The message contains banned words: {words}. Change the text, or have an admin allow them for this send.",
        ),
        "campaign.not_found": ("没有编号为 {id} 的发送任务", "There is no campaign {id}"),
        "campaign.bad_state": (
            "发送任务 {id} 的状态是“{status}”，不能{action}。",
            "Campaign {id} is {status}; it cannot be {action}.",
        ),
        # The words of campaign.bad_state: a campaign's state, and what was asked of it.
        "campaign.state.scheduled": ("等待发送时间", "waiting for its time"),
        "campaign.state.running": ("正在发送", "running"),
        "campaign.state.paused": ("已暂停", "paused"),
        "campaign.state.completed": ("已完成", "completed"),
        "campaign.state.cancelled": ("已取消", "cancelled"),
        "campaign.state.missed": ("已错过", "missed"),
        "campaign.action.paused": ("暂停", "paused"),
        "campaign.action.resumed": ("继续", "resumed"),
        "campaign.action.cancelled": ("取消", "cancelled"),
        "campaign.action.resent": ("重发", "resent"),
    }
)

# The statuses that count against the daily maximum: sent today, or waiting to be.
_COUNTED = (
    MessageStatus.QUEUED,
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.UNDELIVERED,
    MessageStatus.UNKNOWN,
)


class KeywordBlocked(ValidationError):
    """The template itself contains banned words: the whole send is refused."""

    def __init__(self, words: list[str]) -> None:
        super().__init__("send.keyword_hit", words="、".join(words))
        self.words = words


@dataclass
class CampaignRequest:
    template: str
    recipients: Recipients
    name: str = ""
    kind: CampaignKind = CampaignKind.NOTICE
    channel_policy: str = "auto"
    start_at: datetime | None = None  # None: now
    recurrence: str = ""  # an RFC 5545 RRULE for a recurring send
    grace_minutes: int = 60
    allowed_words: tuple[str, ...] = ()
    timezone: str = ""  # default: the settings' time zone


class Campaigns:
    def __init__(
        self,
        db: Database,
        actor: str | None = None,
        *,
        matcher: Callable[[], Matcher | None] | None = None,
        on_queued: Callable[[int], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.actor = actor
        self.settings = Settings(db, actor)
        # The banned-keyword filter checks every send unless a caller supplies another matcher.
        self._matcher = matcher or KeywordStore(db, actor).matcher
        self.on_queued = on_queued or (lambda campaign_id: None)
        self.clock = clock

    # -- creating -------------------------------------------------------------------------------

    def composer(self, template: str, kind: CampaignKind | str) -> Composer:
        return Composer.from_settings(self.settings, template, kind=kind)

    def preview(self, request: CampaignRequest) -> Plan:
        """What the send would do, per recipient, without writing anything."""
        composer = self.composer(request.template, request.kind)
        with self.db.reader() as s:
            return self._plan(s, request.recipients, composer, request.allowed_words)

    def create(self, request: CampaignRequest) -> int:
        """Create the campaign; a send for now is expanded and queued at once. Raises a UserError (over a
        cap, banned words in the template, nobody to send to) before anything is written."""
        composer = self.composer(request.template, request.kind)
        self._check_template(composer, request)
        now = self.clock()
        immediate = not request.recurrence and (request.start_at is None or request.start_at <= now)
        ledger = (
            billing.ledger_for_policy(self.db, request.channel_policy, self.actor, settings=self.settings)
            if immediate
            else None
        )
        with self.db.session() as s:
            planned = self._plan(s, request.recipients, composer, request.allowed_words)
            self._check_caps(s, planned, now)
            campaign = Campaign(
                name=request.name or request.template[:30],
                kind=CampaignKind(request.kind).value,
                template=request.template,
                signature=composer.decoration.signature,
                unsubscribe_suffix=composer.decoration.unsubscribe,
                recipients=request.recipients.to_json(),
                channel_policy=request.channel_policy,
                status=(CampaignStatus.RUNNING if immediate else CampaignStatus.SCHEDULED).value,
                created_by=self.actor or "",
                created_at=now,
                start_at=request.start_at,
                recurrence=request.recurrence,
                timezone=request.timezone or self.settings.get(TIMEZONE),
                grace_minutes=request.grace_minutes,
                allowed_words=list(request.allowed_words),
            )
            s.add(campaign)
            s.flush()
            if request.allowed_words:
                audit.record(
                    s,
                    "keywords.allow",
                    {"campaign": campaign.id, "words": list(request.allowed_words)},
                    actor=self.actor,
                )
            audit.record(
                s,
                "campaign.create",
                {
                    "campaign": campaign.id,
                    "name": campaign.name,
                    "kind": campaign.kind,
                    "recipients": request.recipients.to_json() | {"numbers": len(request.recipients.numbers)},
                    "start_at": request.start_at.isoformat() if request.start_at else None,
                    "recurrence": request.recurrence,
                },
                actor=self.actor,
            )
            if immediate:
                self._write(s, campaign, planned, now)
                # In this transaction: a send the balance cannot cover raises here, with the shortfall, and
                # nothing is queued.
                billing.reserve_queued(s, ledger, campaign.id, now)
            campaign_id = campaign.id
        if immediate:
            self.on_queued(campaign_id)
        return campaign_id

    def start(self, session: Session, campaign: Campaign) -> None:
        """Expand and queue a campaign whose time has come (the scheduler's callback). Caps are checked
        again; a send that is now over one has its messages blocked with that reason, not silently dropped."""
        now = self.clock()
        composer = self.composer(campaign.template, campaign.kind)
        planned = self._plan(session, Recipients.from_json(campaign.recipients), composer, campaign.allowed_words)
        try:
            self._check_caps(session, planned, now)
        except ValidationError as exc:
            self._block(planned, "send.daily_max", exc)
        campaign.status = CampaignStatus.RUNNING.value
        # Gateway money is held as the messages are queued, now as for a send queued at once; when it cannot
        # be, every message is blocked with the shortfall (or how far past the daily maximum) in its record.
        ledger = (
            billing.ledger_for_policy(self.db, campaign.channel_policy, self.actor, settings=self.settings)
            if planned.queued()
            else None
        )
        if ledger is None:
            self._write(session, campaign, planned, now)
            return
        try:
            with session.begin_nested():
                self._write(session, campaign, planned, now)
                billing.reserve_queued(session, ledger, campaign.id, now)
        except ValidationError as exc:
            reason = "send.no_funds" if isinstance(exc, InsufficientBalance) else "send.daily_max"
            audit.record(
                session, "campaign.refused", {"campaign": campaign.id, "why": exc.message("en")}, actor=self.actor
            )
            self._block(planned, reason, exc)
            session.refresh(campaign)
            campaign.status = CampaignStatus.RUNNING.value
            self._write(session, campaign, planned, now)

    @staticmethod
    def _block(planned: Plan, reason: str, exc: ValidationError) -> None:
        for m in planned.queued():
            m.status, m.reason, m.detail = MessageStatus.BLOCKED, reason, exc.message()

    def refusal(self, request: CampaignRequest, planned: Plan) -> UserError | None:
        """Why `create` would refuse this request, given its plan (from `preview`), or None: banned words in
        the template, nobody to send to, over a cap, or, for a send now through a prepaid gateway, a balance
        that cannot cover it. For a confirmation that shows the refusal before the user confirms."""
        composer = self.composer(request.template, request.kind)
        now = self.clock()
        try:
            self._check_template(composer, request)
            with self.db.reader() as s:
                self._check_caps(s, planned, now)
            if not request.recurrence and (request.start_at is None or request.start_at <= now):
                # At the flat price per segment; create() holds the plan's price, and refuses in the same
                # words if that is what the balance cannot cover.
                ledger = billing.ledger_for_policy(self.db, request.channel_policy, self.actor)
                if ledger is not None and planned.price_fen > (available := ledger.available()):
                    raise InsufficientBalance(planned.price_fen, available)
        except UserError as exc:
            return exc
        return None

    def _plan(self, s: Session, recipients: Recipients, composer: Composer, allowed: Iterable[str]) -> Plan:
        return plan(
            s,
            recipients,
            composer,
            require_consent=self.settings.get(REQUIRE_CONSENT),
            matcher=self._matcher(),
            allowed_words=allowed,
        )

    def _check_template(self, composer: Composer, request: CampaignRequest) -> None:
        matcher = self._matcher()
        if matcher is None:
            return
        # The template's own words (merge fields are checked per recipient once rendered).
        words = sorted({h.word for h in matcher.check(request.template, request.allowed_words)})
        if words:
            raise KeywordBlocked(words)

    def _check_caps(self, s: Session, planned: Plan, now: datetime) -> None:
        queued = planned.queued()
        if not queued:
            raise ValidationError("send.no_recipients", reasons=_reasons_text(planned))
        cap = self.settings.get(RECIPIENT_CAP)
        if len(queued) > cap:
            raise ValidationError("send.over_recipient_cap", count=len(queued), cap=cap, over=len(queued) - cap)
        daily = self.settings.get(DAILY_MAX)
        used = self.used_today(s, now)
        count = planned.segments
        if used + count > daily:
            raise ValidationError("send.over_daily_max", used=used, count=count, cap=daily, over=used + count - daily)

    def used_today(self, s: Session, now: datetime) -> int:
        """Segments sent or waiting to be sent today (local day): what the daily maximum counts."""
        zone = ZoneInfo(self.settings.get(TIMEZONE))
        local = now.astimezone(zone)
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return int(
            s.execute(
                select(func.coalesce(func.sum(Message.segments), 0)).where(
                    Message.status.in_([x.value for x in _COUNTED]),
                    Message.created_at >= start - timedelta(days=1),  # index range; the exact day below
                    func.coalesce(Message.sent_at, Message.created_at) >= start,
                )
            ).scalar()
        )

    def _write(self, s: Session, campaign: Campaign, planned: Plan, now: datetime) -> None:
        if planned.messages:
            conn = s.connection()
            marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            to_time = Message.__table__.c.created_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            stamp = to_time(now) if to_time else now
            # Raw executemany of plain tuples: a 100,000-recipient campaign is written in about a second.
            sql = f"INSERT INTO messages ({', '.join(_COLUMNS)}) VALUES ({', '.join([marker] * len(_COLUMNS))})"
            queued = MessageStatus.QUEUED
            cid = campaign.id
            conn.exec_driver_sql(
                sql,
                [
                    (
                        cid,
                        m.contact_id,
                        m.phone,
                        m.carrier,
                        m.text,
                        m.encoding,
                        m.segments,
                        m.price_fen,
                        m.status.value,
                        m.reason,
                        m.detail,
                        0,
                        stamp,
                        "",
                        stamp,
                        None if m.status is queued else stamp,
                        stamp,
                    )
                    for m in planned.messages
                ],
            )
        record.add_new(s, campaign.id, [m.status.value for m in planned.messages])
        campaign.segments = planned.segments
        campaign.price_fen = planned.price_fen
        if not planned.queued():
            campaign.status = CampaignStatus.COMPLETED.value
            campaign.finished_at = now
        audit.record(
            s,
            "campaign.queue",
            {
                "campaign": campaign.id,
                "queued": len(planned.queued()),
                "not_sent": planned.reasons(),
                "segments": planned.segments,
                "price_fen": planned.price_fen,
            },
            actor=self.actor,
        )

    # -- controlling ----------------------------------------------------------------------------

    def _get(self, s: Session, campaign_id: int) -> Campaign:
        campaign = s.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFoundError("campaign.not_found", id=campaign_id)
        return campaign

    def _require(self, campaign: Campaign, allowed: set[CampaignStatus], action: str) -> None:
        if CampaignStatus(campaign.status) not in allowed:
            raise ValidationError(
                "campaign.bad_state",
                id=campaign.id,
                status=Text(f"campaign.state.{campaign.status}"),
                action=Text(f"campaign.action.{action}"),
            )

    def pause(self, campaign_id: int) -> None:
        with self.db.session() as s:
            c = self._get(s, campaign_id)
            self._require(c, {CampaignStatus.RUNNING, CampaignStatus.SCHEDULED}, "paused")
            c.status = CampaignStatus.PAUSED.value
            audit.record(s, "campaign.pause", {"campaign": campaign_id}, actor=self.actor)

    def resume(self, campaign_id: int) -> None:
        with self.db.session() as s:
            c = self._get(s, campaign_id)
            self._require(c, {CampaignStatus.PAUSED}, "resumed")
            expanded = s.execute(select(func.count()).where(Message.campaign_id == campaign_id)).scalar()
            c.status = (CampaignStatus.RUNNING if expanded else CampaignStatus.SCHEDULED).value
            audit.record(s, "campaign.resume", {"campaign": campaign_id}, actor=self.actor)
            record.finish_campaigns(s, [campaign_id], self.clock())
        self.on_queued(campaign_id)

    def cancel(self, campaign_id: int) -> int:
        """Queued messages become cancelled; messages in flight finish. Returns how many were cancelled."""
        now = self.clock()
        with self.db.session() as s:
            c = self._get(s, campaign_id)
            self._require(c, {CampaignStatus.RUNNING, CampaignStatus.PAUSED, CampaignStatus.SCHEDULED}, "cancelled")
            ids = (
                s.execute(
                    select(Message.id).where(
                        Message.campaign_id == campaign_id, Message.status == MessageStatus.QUEUED.value
                    )
                )
                .scalars()
                .all()
            )
            applied = record.move(
                s,
                [Move(i, MessageStatus.CANCELLED, "campaign.cancelled") for i in ids],
                expect=[MessageStatus.QUEUED],
                now=now,
            )
            c.status = CampaignStatus.CANCELLED.value
            c.finished_at = now
            audit.record(s, "campaign.cancel", {"campaign": campaign_id, "cancelled": len(applied)}, actor=self.actor)
        billing.Billing(self.db, self.actor).release_all([m.message_id for m in applied])
        return len(applied)

    def resend(
        self,
        campaign_id: int,
        statuses: Iterable[MessageStatus] = (MessageStatus.FAILED, MessageStatus.UNKNOWN),
        message_ids: Iterable[int] | None = None,
    ) -> int:
        """Queue again, on the operator's request, the messages in `statuses` (only those among
        `message_ids` when given: the ones an operator picked in the record). Returns how many."""
        wanted = [MessageStatus(x) for x in statuses]
        picked = None if message_ids is None else sorted(set(message_ids))
        now = self.clock()
        with self.db.reader() as s:
            policy = self._get(s, campaign_id).channel_policy
        ledger = billing.ledger_for_policy(self.db, policy, self.actor, settings=self.settings)
        with self.db.session() as s:
            c = self._get(s, campaign_id)
            self._require(c, {CampaignStatus.RUNNING, CampaignStatus.COMPLETED, CampaignStatus.PAUSED}, "resent")
            which = select(Message.id).where(
                Message.campaign_id == campaign_id, Message.status.in_([w.value for w in wanted])
            )
            if picked is not None:
                which = which.where(Message.id.in_(picked))
            ids = s.execute(which).scalars().all()
            applied = record.move(
                s,
                [
                    Move(
                        i,
                        MessageStatus.QUEUED,
                        "campaign.resend",
                        changes={"due_at": now, "attempts": 0, "claimed_by": "", "sent_at": None},
                    )
                    for i in ids
                ],
                expect=wanted,
                now=now,
            )
            if applied and c.status == CampaignStatus.COMPLETED.value:
                c.status = CampaignStatus.RUNNING.value
                c.finished_at = None
            if applied:
                # Queued again is held again (a message still held from before is not held twice); when the
                # balance cannot cover them, nothing is queued and the shortfall is said.
                billing.reserve_queued(s, ledger, campaign_id, now)
            audit.record(
                s,
                "campaign.resend",
                {"campaign": campaign_id, "messages": len(applied), "statuses": [w.value for w in wanted]}
                | ({"picked": len(picked)} if picked is not None else {}),
                actor=self.actor,
            )
        if applied:
            self.on_queued(campaign_id)
        return len(applied)

    def counts(self, campaign_id: int) -> dict[MessageStatus, int]:
        with self.db.reader() as s:
            self._get(s, campaign_id)
            return record.counts(s, campaign_id)


_COLUMNS = (
    "campaign_id",
    "contact_id",
    "phone",
    "carrier",
    "text",
    "encoding",
    "segments",
    "price_fen",
    "status",
    "reason",
    "error",
    "attempts",
    "due_at",
    "claimed_by",
    "created_at",
    "done_at",
    "updated_at",
)


def _reasons_text(planned: Plan) -> str:
    return "，".join(f"{messages.text(k) if k else k} {n}" for k, n in planned.reasons().items()) or "0"
