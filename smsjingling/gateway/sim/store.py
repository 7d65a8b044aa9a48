"""The simulated gateway's books on disk, so that they outlive the program, as a real vendor's do: accounts
(balance, prices, limits, totals), every message accepted and charged, the lasting rejections (the answer a
client id keeps), delivery reports and replies. Written through, one transaction per change of the
in-memory state and under its lock; read back whole when the simulator starts.

Why a file of its own (SQLite, `gateway-sim.sqlite3` in the data folder) and not our database: these are the
vendor's books, which the local ledger is reconciled against. Kept in our database they would be restored,
rolled back or purged together with the ledger they are meant to check.

What is not kept: callbacks waiting to be pushed and the callback address (the client registers its
listener again when it starts; the reports stay available by pull), rejections "for now" (the client tries
those again anyway), and the fault plan. Reports not yet due when the simulator stopped fall due again at
their time (accepted + the report delay).

Only one process may run the simulator on a store: it is opened in SQLite's exclusive locking mode, so a
second one gets `StoreBusy` instead of books that would drift apart.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from smsjingling.gateway.keys import Secret

if TYPE_CHECKING:
    from smsjingling.gateway.sim.state import Reply, Report, SentRecord, SimAccount, SimState

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    account_id TEXT PRIMARY KEY, key TEXT NOT NULL, balance_fen INTEGER NOT NULL, price_fen INTEGER NOT NULL,
    max_batch INTEGER NOT NULL, requests_per_second REAL NOT NULL, daily_max INTEGER NOT NULL,
    max_segments INTEGER NOT NULL, blocked_words TEXT NOT NULL, undeliverable TEXT NOT NULL,
    disabled INTEGER NOT NULL, topped_up_fen INTEGER NOT NULL, charged_fen INTEGER NOT NULL,
    send_requests INTEGER NOT NULL, day TEXT, day_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS accepted (
    account_id TEXT NOT NULL, client_id TEXT NOT NULL, gateway_id TEXT NOT NULL, phone TEXT NOT NULL,
    text TEXT NOT NULL, segments INTEGER NOT NULL, fee_fen INTEGER NOT NULL, accepted_at TEXT NOT NULL,
    PRIMARY KEY (account_id, client_id)
);
CREATE TABLE IF NOT EXISTS rejected (
    account_id TEXT NOT NULL, client_id TEXT NOT NULL, phone TEXT NOT NULL, text TEXT NOT NULL,
    code TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (account_id, client_id)
);
CREATE TABLE IF NOT EXISTS reports (
    account_id TEXT NOT NULL, seq INTEGER NOT NULL, client_id TEXT NOT NULL, gateway_id TEXT NOT NULL,
    phone TEXT NOT NULL, status TEXT NOT NULL, segments INTEGER NOT NULL, submitted_at TEXT NOT NULL,
    done_at TEXT NOT NULL, PRIMARY KEY (account_id, seq)
);
CREATE TABLE IF NOT EXISTS replies (
    account_id TEXT NOT NULL, seq INTEGER NOT NULL, reply_id TEXT NOT NULL, phone TEXT NOT NULL,
    text TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (account_id, seq)
);
"""


class StoreBusy(Exception):
    """Another process runs the simulator on this store."""


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


class SimStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=0.5, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(SCHEMA)
            # A write takes the lock, and exclusive mode keeps it until close: from now on this process owns it.
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('opened_at', ?)", (_time(datetime.now(UTC)),))
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusy(str(self.path)) from None
            raise
        self._conn: sqlite3.Connection | None = conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the simulator's store is closed")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # --- writing (called under the state's lock) --------------------------------------------------------

    def _transaction(self, statements: Iterable[tuple[str, Iterable[tuple]]]) -> None:
        conn = self.conn
        conn.execute("BEGIN")
        try:
            for sql, rows in statements:
                conn.executemany(sql, rows)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def _account_row(a: SimAccount) -> tuple:
        return (
            a.account_id,
            a.key.reveal(),
            a.balance_fen,
            a.price_fen,
            a.max_batch,
            a.requests_per_second,
            a.daily_max,
            a.max_segments,
            json.dumps(list(a.blocked_words), ensure_ascii=False),
            json.dumps(a.undeliverable, ensure_ascii=False),
            int(a.disabled),
            a.topped_up_fen,
            a.charged_fen,
            a.send_requests,
            a.day.isoformat() if a.day else None,
            a.day_count,
        )

    _SAVE_ACCOUNT = f"INSERT OR REPLACE INTO accounts VALUES ({', '.join(['?'] * 16)})"

    def save_account(self, account: SimAccount) -> None:
        self._transaction([(self._SAVE_ACCOUNT, [self._account_row(account)])])

    def record_submit(
        self,
        account: SimAccount,
        accepted: list[SentRecord],
        rejected: list[tuple[str, str, str, str, datetime]],
    ) -> None:
        """One send request: the account's new figures, what it accepted, and its lasting rejections
        (client id, phone, text, code, when)."""
        a = account.account_id
        self._transaction(
            [
                (self._SAVE_ACCOUNT, [self._account_row(account)]),
                (
                    "INSERT OR REPLACE INTO accepted VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (a, r.client_id, r.gateway_id, r.phone, r.text, r.segments, r.fee_fen, _time(r.accepted_at))
                        for r in accepted
                    ],
                ),
                (
                    "INSERT OR REPLACE INTO rejected VALUES (?, ?, ?, ?, ?, ?)",
                    [(a, cid, phone, text, code, _time(at)) for cid, phone, text, code, at in rejected],
                ),
            ]
        )

    def record_reports(self, reports: list[tuple[str, Report]]) -> None:
        self._transaction(
            [
                (
                    "INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (a, r.seq, r.client_id, r.gateway_id, r.phone, r.status, r.segments, _time(r.submitted_at),
                         _time(r.done_at))
                        for a, r in reports
                    ],
                )
            ]
        )  # fmt: skip

    def record_reply(self, account_id: str, reply: Reply) -> None:
        self._transaction(
            [
                (
                    "INSERT OR REPLACE INTO replies VALUES (?, ?, ?, ?, ?, ?)",
                    [(account_id, reply.seq, reply.reply_id, reply.phone, reply.text, _time(reply.received_at))],
                )
            ]
        )

    # --- reading back ------------------------------------------------------------------------------------

    def load(self, state: SimState) -> None:
        """Fill an empty state with the stored books."""
        from smsjingling.gateway.sim.state import Reply, Report, SentRecord, SimAccount

        conn = self.conn
        for row in conn.execute("SELECT * FROM accounts ORDER BY account_id"):
            (account_id, key, balance, price, batch, rps, daily, segments, blocked, undeliverable, disabled,
             topped, charged, requests, day, day_count) = row  # fmt: skip
            acct = SimAccount(
                account_id,
                Secret(key),
                balance,
                price_fen=price,
                max_batch=batch,
                requests_per_second=rps,
                daily_max=daily,
                max_segments=segments,
                undeliverable=json.loads(undeliverable),
                blocked_words=tuple(json.loads(blocked)),
                disabled=bool(disabled),
            )
            acct.topped_up_fen, acct.charged_fen, acct.send_requests = topped, charged, requests
            acct.day, acct.day_count = (date.fromisoformat(day) if day else None), day_count
            state.restore_account(acct)
        records: dict[tuple[str, str], SentRecord] = {}
        for a, cid, gid, phone, text, segments, fee, at in conn.execute("SELECT * FROM accepted ORDER BY gateway_id"):
            record = SentRecord(cid, gid, phone, text, segments, fee, _moment(at))
            records[(a, cid)] = record
            state.restore_accepted(a, record)
        for a, cid, phone, text, code, at in conn.execute("SELECT * FROM rejected ORDER BY at"):
            state.restore_rejected(a, cid, phone, text, code, _moment(at))
        reported: set[tuple[str, str]] = set()
        for a, seq, cid, gid, phone, status, segments, submitted, done in conn.execute(
            "SELECT * FROM reports ORDER BY account_id, seq"
        ):
            state.restore_report(a, Report(seq, cid, gid, phone, status, segments, _moment(submitted), _moment(done)))
            reported.add((a, cid))
        for a, seq, rid, phone, text, at in conn.execute("SELECT * FROM replies ORDER BY account_id, seq"):
            state.restore_reply(a, Reply(seq, rid, phone, text, _moment(at)))
        for (a, cid), record in records.items():
            if (a, cid) not in reported:
                state.restore_due(a, record)
