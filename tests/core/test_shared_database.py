"""Several desktops on one server database: the password never shown, taken from the keyring; the audit
chain one chain whoever appends; a dispatcher's recovery touching only its own messages; each modem built
only on the desktop it is plugged into; claims that never hand one message to two dispatchers."""

from __future__ import annotations

import logging
import threading
from collections import Counter

import psycopg
import pytest
from sqlalchemy import select, update

from modem.sim.port import SimModem
from smsjingling import audit
from smsjingling.errors import DatabaseError
from smsjingling.sending import record
from smsjingling.sending.channels import Channels, build_workers
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.storage.database import Database, connection_lost, keyring_user, open_database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Channel, ChannelKind, Message, MessageStatus
from tests.core.gateway_peers import memory_keyring
from tests.core.sending_helpers import modem_worker, queue_campaign, wait_until
from tests.pg_cluster import PASSWORD_ROLE, Databases

SECRET = "S3cret-pw!"


def test_a_password_in_the_url_shows_nowhere_when_the_server_is_unreachable(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DatabaseError) as refused:
        open_database(f"postgresql://staff:{SECRET}@127.0.0.1:1/office")  # nothing listens on port 1
    text = refused.value.message()
    assert "无法连接数据库 postgresql+psycopg://staff:***@127.0.0.1:1/office" in text
    assert SECRET not in text and SECRET not in repr(refused.value) and SECRET not in caplog.text
    assert connection_lost(refused.value.__cause__)


@pytest.mark.postgres
def test_where_and_every_log_line_hide_the_password(pg_databases: Databases, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url = pg_databases.create()
    db = open_database(url.set(password=SECRET))  # the test server trusts loopback: any password opens it
    try:
        with db.session() as s:
            audit.record(s, "test.opened", {"where": db.where})
        assert db.where.endswith(f"{url.host}:{url.port}/{url.database}") and ":***@" in db.where
        assert SECRET not in db.where and SECRET not in repr(db.engine) and SECRET not in str(db.url)
        assert "opened the database" in caplog.text and SECRET not in caplog.text
    finally:
        db.close()
        pg_databases.drop(url)


@pytest.mark.postgres
def test_the_password_comes_from_the_keyring(pg_databases: Databases) -> None:
    url = pg_databases.create()
    try:
        with psycopg.connect(url.set(drivername="postgresql").render_as_string(False), autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PASSWORD_ROLE,)).fetchone():
                admin.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN SUPERUSER")
            admin.execute(f"ALTER ROLE {PASSWORD_ROLE} PASSWORD '{SECRET}'")
        staff = url.set(username=PASSWORD_ROLE, password=None)
        with memory_keyring():
            try:
                open_database(staff).close()
                pytest.skip(f"the server lets {PASSWORD_ROLE} in without a password")
            except DatabaseError as exc:
                assert "password" in exc.message()  # none supplied, or the wrong one
        with memory_keyring() as ring:
            ring.set_password("smsjingling", keyring_user(staff), SECRET)
            assert keyring_user(staff) == f"db:{PASSWORD_ROLE}@{url.host}/{url.database}"
            db = open_database(staff)
            try:
                with db.reader() as s:
                    assert s.execute(select(1)).scalar() == 1
                assert SECRET not in db.where and SECRET not in db.url.render_as_string(hide_password=False)
            finally:
                db.close()
    finally:
        pg_databases.drop(url)


def test_the_audit_chain_stays_one_chain_under_concurrent_writers(db: Database) -> None:
    # Separate engines, as separate desktops would have; each appends in transactions of its own.
    desktops = [open_database(db.url) for _ in range(4)]
    errors: list[BaseException] = []

    def append(n: int, desktop: Database) -> None:
        try:
            for i in range(15):
                with desktop.session() as s:
                    audit.record(s, "test.concurrent", {"desktop": n, "i": i})
        except BaseException as exc:  # reported on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=append, args=pair) for pair in enumerate(desktops)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for desktop in desktops:
        desktop.close()
    assert errors == []
    with db.reader() as s:
        assert audit.verify_chain(s) == []
        events = s.execute(select(AuditEvent)).scalars().all()
    assert len(events) == 60
    assert all(e.machine == audit.current_machine() and e.actor == audit.current_actor() for e in events)


def server_only(db: Database) -> None:
    if db.engine.dialect.name == "sqlite":
        pytest.skip("one SQLite file has one dispatcher, which recovers every message")


@pytest.mark.allow_log_warnings
def test_recovery_touches_only_this_dispatchers_own_messages(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    server_only(db)
    cid = queue_campaign(db, [f"+86138{i:08d}" for i in range(6)])
    with db.session() as s:
        ids = list(s.execute(select(Message.id).order_by(Message.id)).scalars())
        moves = [record.Move(mid, MessageStatus.SENDING) for mid in ids[:4]]
        record.move(s, moves, expect=[MessageStatus.QUEUED])
        for mid, owner in zip(ids, ["desk-a", "desk-b", "desk-a", "desk-b", "desk-a", "desk-b"], strict=True):
            s.execute(update(Message).where(Message.id == mid).values(claimed_by=owner))
    unknown, released = Dispatcher(db, [], instance="desk-a").recover()
    assert (unknown, released) == (2, 1)
    assert "2 message(s) were being sent when the program stopped; marked unknown" in caplog.text
    with db.reader() as s:
        got = dict(s.execute(select(Message.id, Message.status)).all())
        claims = dict(s.execute(select(Message.id, Message.claimed_by)).all())
        assert record.counts(s, cid) == record.recount(s, cid)
    assert [got[mid] for mid in ids] == ["unknown", "sending", "unknown", "sending", "queued", "queued"]
    assert [claims[mid] for mid in ids] == ["desk-a", "desk-b", "desk-a", "desk-b", "", "desk-b"]


def test_each_desktop_builds_only_its_own_modems(db: Database) -> None:
    here = Channels(db).add_modem("本机猫", "sim://here?latency=0", hourly_cap=0, daily_cap=0)
    with db.session() as s:
        s.add(Channel(kind=ChannelKind.MODEM.value, name="前台的猫", config={"url": "sim://x", "machine": "前台"}))
        s.add(Channel(kind=ChannelKind.MODEM.value, name="旧猫", config={"url": "sim://old"}))  # before machines
        config = s.get(Channel, here).config
    assert config["machine"] == audit.current_machine()
    assert sorted(w.name for w in build_workers(db)) == ["旧猫", "本机猫"]
    assert sorted(w.name for w in build_workers(db, machine="前台")) == ["前台的猫", "旧猫"]


def test_two_dispatchers_on_one_database_never_send_a_message_twice(db: Database) -> None:
    server_only(db)
    sims = [SimModem(latency=0, sr_delay=0.01) for _ in range(4)]
    try:
        cid = queue_campaign(db, [f"+86139{i:08d}" for i in range(120)])
        dispatchers = [
            Dispatcher(db, [modem_worker(db, a), modem_worker(db, b)], instance=name, poll_seconds=0.02)
            for name, (a, b) in (("desk-a", sims[:2]), ("desk-b", sims[2:]))
        ]
        for d in dispatchers:
            d.start()
        try:
            wait_until(lambda: counts(db, cid).get("delivered") == 120, timeout=60)
        finally:
            for d in dispatchers:
                d.stop()
        left = Counter(item.text for sim in sims for item in sim.sent)
        assert len(left) == 120 and set(left.values()) == {1}
        assert all(len(sim.sent) > 0 for sim in sims)  # both dispatchers took part
    finally:
        for sim in sims:
            sim.remove()


def counts(db: Database, campaign_id: int) -> dict[str, int]:
    with db.reader() as s:
        return {k.value: v for k, v in record.counts(s, campaign_id).items() if v}
