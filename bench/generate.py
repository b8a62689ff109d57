"""Generated correspondence for benchmarks: N letters with about three commitments each, 500 parties,
5,000 people, their roles, letter participants and reply links, one event per letter and commitment, each on
the letter's day, and one per fulfilment on its day.

Dates spread over eight years before `--today` (and a few months after), with a realistic mix: most old
commitments are done (some late), dropped or superseded, a few are still open and overdue, recent ones
are open or due soon, one in ten has a vague window. Rows go in with SQLAlchemy Core in batches.

    .venv/bin/python bench/generate.py --letters 100000 --database-url sqlite:///bench/out/bench_100000.db
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, event, func, select

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker import models  # noqa: E402,F401  (registers every table)
from tracker.commitments.models import Commitment, CommitmentParty  # noqa: E402
from tracker.db import refresh_planner_statistics  # noqa: E402
from tracker.events import Event  # noqa: E402
from tracker.letters.models import Letter, LetterLink, LetterParticipant  # noqa: E402
from tracker.migrate import upgrade  # noqa: E402
from tracker.consultations.models import CommentPeriod, Submission  # noqa: E402
from tracker.meetings.models import Meeting, MeetingParticipant  # noqa: E402
from tracker.letters.models import LetterFile  # noqa: E402
from tracker.parties.models import Party, Person, Role  # noqa: E402
from tracker.reminders.models import Digest, Recipient, Subscription  # noqa: E402
from tracker.search.operations import rebuild as rebuild_search_index  # noqa: E402

PARTIES = 500
INTERNAL_PARTIES = 5
PEOPLE = 5000
STAFF = 200
BATCH = 5000
YEARS_BACK = 8
TIMEZONES = ("UTC", "Europe/Brussels", "America/Los_Angeles", "Pacific/Auckland", "Asia/Tokyo", "Africa/Nairobi")
DUE_PHRASES = ("by end of April", "in early May", "mid-June", "by the next meeting", "Q3", "within 30 days")
VAGUE_PHRASES = ("weeks not months", "as soon as possible", "in due course")


class Loader:
    """Batched Core inserts with a progress line."""

    def __init__(self, engine, total_letters: int, tables_parents_first):
        self.engine = engine
        # One connection and few, large transactions: a commit per batch costs more than the inserts.
        self.connection = engine.connect()
        self.transaction = self.connection.begin()
        self.started = time.monotonic()
        self.rows = 0
        self.total_letters = total_letters
        self.pending: dict = {table: [] for table in tables_parents_first}

    def add(self, table, row: dict) -> None:
        batch = self.pending.setdefault(table, [])
        batch.append(row)
        if len(batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Insert every pending batch, parents before children (PostgreSQL enforces foreign keys at once).

        One full batch flushes every table in the order given at construction, so a child row never goes
        in ahead of the parent row it names.
        """
        for key, batch in self.pending.items():
            if batch:
                self.connection.execute(key.insert(), batch)
                self.rows += len(batch)
                self.pending[key] = []
                if self.rows % (BATCH * 40) < len(batch):
                    self.commit()

    def commit(self) -> None:
        self.transaction.commit()
        self.transaction = self.connection.begin()

    def close(self) -> None:
        self.flush()
        self.transaction.commit()
        self.connection.close()

    def progress(self, letters_done: int) -> None:
        elapsed = time.monotonic() - self.started
        print(f"\r  {letters_done:>9,} / {self.total_letters:,} letters, {self.rows:>11,} rows, {elapsed:6.1f} s",
              end="", file=sys.stderr, flush=True)


def _fast_sqlite(engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # Generated data can be regenerated: trade durability for load speed.
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-200000")
        cursor.close()


def generate(database_url: str, letters: int, today: date = date(2010, 5, 12), seed: int = 2010) -> dict:
    """Create the schema and fill it; returns the counts written. The database must be empty."""
    upgrade(database_url)
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":
        _fast_sqlite(engine)
    with engine.connect() as connection:
        if connection.execute(select(func.count()).select_from(Letter)).scalar():
            raise SystemExit(f"{database_url} already holds letters: generate into an empty database")
    rng = random.Random(seed)
    now = datetime.combine(today, datetime.min.time(), timezone.utc)
    tables = {name: model.__table__ for name, model in  # parents before children
              (("party", Party), ("person", Person), ("role", Role), ("letter", Letter),
               ("participant", LetterParticipant), ("link", LetterLink), ("commitment", Commitment),
               ("commitment_party", CommitmentParty), ("event", Event), ("meeting", Meeting),
               ("meeting_participant", MeetingParticipant), ("comment_period", CommentPeriod),
               ("submission", Submission), ("letter_file", LetterFile), ("recipient", Recipient),
               ("subscription", Subscription), ("digest", Digest))}
    loader = Loader(engine, letters, tables.values())

    for pid in range(1, PARTIES + 1):
        internal = pid <= INTERNAL_PARTIES
        loader.add(tables["party"], dict(id=pid, name=f"{'Office' if internal else 'Party'} {pid:04d}",
                                         short_name=f"{'OFF' if internal else 'P'}{pid:04d}",
                                         kind="staff" if internal else rng.choice(
                                             ("supporting_organisation", "advisory_committee", "government",
                                              "registry", "organisation")),
                                         is_internal=internal, description="", created_at=now))
    loader.flush()
    for person_id in range(1, PEOPLE + 1):
        loader.add(tables["person"], dict(id=person_id, name=f"Person {person_id:05d}",
                                          email=f"person{person_id}@example.org", timezone=rng.choice(TIMEZONES),
                                          is_staff=person_id <= STAFF, created_at=now))
    loader.flush()
    role_id = 0
    for person_id in range(1, PEOPLE + 1):
        party_id = rng.randint(1, INTERNAL_PARTIES) if person_id <= STAFF else rng.randint(INTERNAL_PARTIES + 1,
                                                                                            PARTIES)
        starts = today - timedelta(days=rng.randint(30, 365 * YEARS_BACK))
        ends = None if rng.random() < 0.7 else starts + timedelta(days=rng.randint(30, 900))
        role_id += 1
        loader.add(tables["role"], dict(id=role_id, person_id=person_id, party_id=party_id,
                                        title=rng.choice(("Chair", "Vice-Chair", "Member", "Liaison", "Staff")),
                                        starts_on=starts, ends_on=ends))
    loader.flush()

    commitment_id = participant_id = link_id = event_id = 0
    recent_incoming: list[tuple[int, int]] = []  # (letter id, external party) for replies to link to
    span_days = 365 * YEARS_BACK
    for letter_id in range(1, letters + 1):
        # Letter dates spread over the years, a little denser lately; some are in the near future.
        age = int(span_days * rng.random() ** 1.3) - 20
        sent_on = today - timedelta(days=age)
        roll = rng.random()
        direction = "incoming" if roll < 0.45 else "outgoing" if roll < 0.9 else "between_others"
        external = rng.randint(INTERNAL_PARTIES + 1, PARTIES)
        internal = rng.randint(1, INTERNAL_PARTIES)
        author, recipient = (external, internal) if direction != "outgoing" else (internal, external)
        if direction == "between_others":
            recipient = rng.randint(INTERNAL_PARTIES + 1, PARTIES)
        reply_state = reply_by = None
        if direction == "incoming":
            reply_by = sent_on + timedelta(days=30)
            waited = (today - sent_on).days
            r = rng.random()
            if waited > 90:
                reply_state = "replied" if r < 0.9 else "no_reply_needed" if r < 0.97 else "awaiting_reply"
            else:
                reply_state = "awaiting_reply" if r < 0.6 else "replied" if r < 0.9 else "no_reply_needed"
        loader.add(tables["letter"], dict(
            id=letter_id, sent_on=sent_on, date_precision="day" if rng.random() < 0.95 else "month",
            subject=f"Letter {letter_id}: {rng.choice(('DNS-CERT', 'comment period', 'budget', 'IDN ccTLD', 'WHOIS'))}",
            direction=direction, body=f"<p>Dear colleagues, about item {letter_id}.</p>", source_url=None,
            reply_state=reply_state, reply_by=reply_by, content_hash=None, created_at=now, updated_at=now))
        participants = [("author", author, None), ("recipient", recipient, None)]
        if rng.random() < 0.5:
            participants.append(("author", None, rng.randint(1, PEOPLE)))
        if rng.random() < 0.3:
            participants.append(("cc", rng.randint(INTERNAL_PARTIES + 1, PARTIES), None))
        for role, party_id, person_id in participants:
            participant_id += 1
            loader.add(tables["participant"], dict(id=participant_id, letter_id=letter_id, role=role,
                                                   party_id=party_id, person_id=person_id, title=None))
        # The log grows as the record did: each letter logged on its day (letters dated ahead, today), so the
        # record as of a past day (tracker/snapshots) has that day's history to be rebuilt from.
        # A letter dated ahead was logged on one of the last 30 days: none is logged after today.
        logged_on = sent_on if sent_on <= today else today - timedelta(days=rng.randint(0, 30))
        logged_at = datetime.combine(logged_on, datetime.min.time(), timezone.utc) + timedelta(hours=12)
        event_id += 1
        loader.add(tables["event"], dict(id=event_id, kind="letter.logged", subject_type="letter",
                                         subject_id=letter_id, occurred_at=logged_at, actor_user_id=None,
                                         actor_name="generator", data={"subject": f"Letter {letter_id}"},
                                         unique_key=None))
        if direction == "incoming":
            recent_incoming.append((letter_id, external))
            recent_incoming = recent_incoming[-50:]
        elif direction == "outgoing" and recent_incoming and rng.random() < 0.7:
            target, _party = recent_incoming.pop(rng.randrange(len(recent_incoming)))
            link_id += 1
            loader.add(tables["link"], dict(id=link_id, from_letter_id=letter_id, to_letter_id=target,
                                            kind="replies_to"))
        for _ in range(rng.choice((2, 3, 3, 4))):
            commitment_id += 1
            event_id += 1
            row = _commitment(rng, commitment_id, letter_id, sent_on, direction, today, now)
            loader.add(tables["commitment"], row)
            us, them = internal, external
            by, to = ([us], [them]) if row["kind"] == "promise" else ([them], [us])
            if rng.random() < 0.15:
                to.append(rng.randint(INTERNAL_PARTIES + 1, PARTIES) if row["kind"] == "promise"
                          else rng.randint(1, INTERNAL_PARTIES))
            for side, party_ids in (("by", by), ("to", to)):
                for party_id in dict.fromkeys(party_ids):
                    loader.add(tables["commitment_party"], dict(commitment_id=commitment_id, party_id=party_id,
                                                                side=side))
            loader.add(tables["event"], dict(id=event_id, kind="commitment.made", subject_type="commitment",
                                             subject_id=commitment_id, occurred_at=logged_at, actor_user_id=None,
                                             actor_name="generator", data={"title": row["title"]},
                                             unique_key=None))
            if row["fulfilled_on"] is not None:  # done or partly done on its fulfilment day
                event_id += 1
                loader.add(tables["event"], dict(
                    id=event_id, kind=f"commitment.{row['status']}", subject_type="commitment",
                    subject_id=commitment_id, actor_user_id=None, actor_name="generator", unique_key=None,
                    occurred_at=max(datetime.combine(row["fulfilled_on"], datetime.min.time(), timezone.utc)
                                    + timedelta(hours=17), logged_at),
                    data={"from_status": "open", "status": row["status"], "from_progress": 0,
                          "progress": row["progress"], "from_fulfilled_on": None,
                          "fulfilled_on": row["fulfilled_on"].isoformat(), "from_outcome": "",
                          "outcome": row["outcome"], "evidence_changed": False}))
        if letter_id % 2000 == 0:
            loader.progress(letter_id)
    extra = _meetings_periods_files_and_reminders(loader, tables, letters, today, now, seed)
    loader.close()
    loader.progress(letters)
    print(file=sys.stderr)
    with engine.begin() as connection:  # bulk rows bypass the operations whose handlers keep search in step
        extra["searchable"] = rebuild_search_index(connection, progress=True)
    if engine.dialect.name != "sqlite":
        _reset_sequences(engine, tables.values())
    tidy(engine)
    engine.dispose()
    return {"letters": letters, "commitments": commitment_id, "participants": participant_id, "links": link_id,
            "events": event_id, "parties": PARTIES, "people": PEOPLE, "roles": role_id, **extra,
            "seconds": round(time.monotonic() - loader.started, 1)}


def tidy(engine) -> None:
    """What production's housekeeping would have done by now: SQLite's statistics (the scheduler's daily job);
    on PostgreSQL, autovacuum's work (off on a bench machine): the visibility map index-only scans rely on, dead
    rows left by rolled-back writes (pages of a past day, bench_writes.py) cleaned, statistics."""
    if engine.dialect.name == "sqlite":
        refresh_planner_statistics(engine)
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def _meetings_periods_files_and_reminders(loader: Loader, tables: dict, letters: int, today: date, now: datetime,
                                          seed: int) -> dict:
    """The records every other page shows: meetings with participants, comment periods with submissions,
    original files on some letters, a digest recipient per staff member following two parties, and one sent
    digest each. A separate random stream keeps the letters and commitments identical to earlier runs."""
    rng = random.Random(seed + 1)
    meetings, periods, files = max(5, letters // 100), max(3, letters // 500), max(5, letters // 50)
    participant_id = submission_id = 0
    for meeting_id in range(1, meetings + 1):
        starts = datetime.combine(today - timedelta(days=rng.randint(-60, 365 * YEARS_BACK)), datetime.min.time(),
                                  timezone.utc) + timedelta(hours=rng.randint(6, 16))
        loader.add(tables["meeting"], dict(
            id=meeting_id, title=f"Meeting {meeting_id}: {rng.choice(('consultation', 'workshop', 'council call'))}",
            kind=rng.choice(("consultation", "workshop", "call", "public_meeting")), starts_at=starts,
            ends_at=starts + timedelta(hours=2), timezone=rng.choice(TIMEZONES), location="", remote=rng.random() < 0.5,
            aliases="", transcript="Speaker: we will come back to this in early May.\n" * 20, source_url=None,
            created_at=now, updated_at=now))
        for _ in range(3):
            participant_id += 1
            loader.add(tables["meeting_participant"], dict(
                id=participant_id, meeting_id=meeting_id, person_id=rng.randint(1, PEOPLE),
                party_id=rng.randint(1, PARTIES), role="participant", name_in_transcript=None))
    for period_id in range(1, periods + 1):
        opens = today - timedelta(days=rng.randint(-30, 365 * YEARS_BACK))
        loader.add(tables["comment_period"], dict(
            id=period_id, title=f"Comment period {period_id}", opens_on=opens, closes_on=opens + timedelta(days=45),
            reply_closes_on=None, summary="Staff summary of the comments received.", summary_url=None,
            forum_url=None, created_at=now, updated_at=now))
        for _ in range(5):
            submission_id += 1
            loader.add(tables["submission"], dict(
                id=submission_id, comment_period_id=period_id, party_id=rng.randint(INTERNAL_PARTIES + 1, PARTIES),
                author=f"Person {rng.randint(1, PEOPLE):05d}", submitted_on=opens + timedelta(days=rng.randint(0, 44)),
                url=None))
    body = b"Dear colleagues,\n\nWe will publish the report in early May.\n"
    for file_id in range(1, files + 1):
        loader.add(tables["letter_file"], dict(
            id=file_id, letter_id=rng.randint(1, letters), filename=f"letter-{file_id}.txt", content_type="text/plain",
            size=len(body), sha256=f"{file_id:064x}", data=body, uploaded_at=now))
    for recipient_id in range(1, STAFF + 1):
        loader.add(tables["recipient"], dict(
            id=recipient_id, person_id=recipient_id, user_id=None, include_own=True, frequency="daily", weekday=0,
            send_time="08:00", timezone=rng.choice(TIMEZONES), due_soon_days=7, send_when_empty=False, paused=False,
            unsubscribed_at=None, last_digest_at=None, created_at=now, updated_at=now))
        for party_id in rng.sample(range(INTERNAL_PARTIES + 1, PARTIES + 1), 2):
            loader.add(tables["subscription"], dict(recipient_id=recipient_id, party_id=party_id))
        loader.add(tables["digest"], dict(
            id=recipient_id, recipient_id=recipient_id, period=(today - timedelta(days=1)).isoformat(),
            scheduled_for=now - timedelta(days=1), to_address=f"person{recipient_id}@example.org",
            subject="Your commitments: 2 overdue, 3 due soon", text_body="…", html_body="<p>…</p>", headers={},
            message_id=f"<digest-{recipient_id}@tracker.example.org>", raw_message="", item_count=5, state="sent",
            attempts=1, next_attempt_at=None, claimed_at=None, claimed_by="", sent_at=now - timedelta(days=1),
            last_error="", transport="memory", resend_of_id=None, created_at=now))
    return {"meetings": meetings, "comment_periods": periods, "letter_files": files, "recipients": STAFF}


def _reset_sequences(engine, tables) -> None:
    """Rows went in with explicit ids: move each id sequence past them so the app's inserts do not collide."""
    with engine.begin() as connection:
        for table in tables:
            if "id" not in table.c:
                continue
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"GREATEST((SELECT MAX(id) FROM {table.name}), 1))")


def _commitment(rng: random.Random, commitment_id: int, letter_id: int, sent_on: date, direction: str,
                today: date, now: datetime) -> dict:
    kind = "request" if direction == "incoming" else "promise"
    vague = rng.random() < 0.1
    if vague:
        phrase, earliest, latest, precision = rng.choice(VAGUE_PHRASES), None, None, "vague"
    else:
        latest = sent_on + timedelta(days=rng.randint(7, 150))
        window = rng.random() < 0.3
        earliest = latest - timedelta(days=9) if window else None
        phrase, precision = rng.choice(DUE_PHRASES), "window" if window else "day"
    baseline_latest, baseline_earliest, baseline_phrase = latest, earliest, phrase
    if latest and rng.random() < 0.2:  # rescheduled: the first window was earlier
        baseline_latest = latest - timedelta(days=rng.randint(10, 60))
        baseline_earliest = baseline_latest - timedelta(days=9) if earliest else None
    reference = latest or sent_on + timedelta(days=60)
    status, fulfilled_on, progress, outcome = "open", None, 0, ""
    r = rng.random()
    if (today - reference).days > 45:  # long past: mostly settled, a few still open (overdue)
        if r < 0.78:
            status = "done"
        elif r < 0.86:
            status = "partly_done"
        elif r < 0.93:
            status = "dropped"
        elif r < 0.96:
            status = "superseded"
        else:
            status = "in_progress" if r < 0.98 else "open"
    elif sent_on <= today:  # current
        status = "done" if r < 0.25 else "in_progress" if r < 0.6 else "open"
    if status in ("done", "partly_done"):
        # Fulfilled by today at the latest, spread over the last two weeks rather than all today.
        fulfilled_on = min(reference + timedelta(days=rng.randint(-25, 20)), today - timedelta(days=rng.randint(0, 14)))
        fulfilled_on = max(fulfilled_on, sent_on)
        progress = 100 if status == "done" else 60
        outcome = "Answered in a later letter." if kind == "request" else ""
    elif status == "in_progress":
        progress = rng.choice((10, 25, 50, 75))
    return dict(id=commitment_id, kind=kind, title=f"{kind.title()} {commitment_id} of letter {letter_id}",
                quote="We will publish this soon.", source_letter_id=letter_id, source_meeting_id=None,
                speaker_id=None, owner_id=rng.randint(1, STAFF), due_phrase=phrase, due_earliest=earliest,
                due_latest=latest, due_precision=precision, due_anchor_meeting_id=None, baseline_phrase=baseline_phrase,
                baseline_earliest=baseline_earliest, baseline_latest=baseline_latest, status=status,
                progress=progress, fulfilled_on=fulfilled_on, evidence_url=None, evidence_letter_id=None,
                evidence_meeting_id=None, outcome=outcome, created_at=now, updated_at=now)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, required=True, help="how many letters (about 3 commitments each)")
    parser.add_argument("--database-url", required=True, help="an empty database (the schema is created)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2010, 5, 12),
                        help="the day the data is centred on (pin the app's NOW to it)")
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args(argv)
    counts = generate(args.database_url, args.letters, args.today, args.seed)
    print(", ".join(f"{k}: {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
