"""`flask --app app intake FILE... [--json] [--meeting ID] [--to PARTY] [--received YYYY-MM-DD]`: read documents in a batch.

Each file is its own transaction: one that fails leaves nothing behind and the others still go in.
"""
from __future__ import annotations

import json
import os
import sys
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import access, db, events
from tracker.intake import queries, read
from tracker.meetings.models import Meeting
from tracker.validation import InvalidInput


@click.command("intake", help=f"Read letters, emails and transcripts ({read.SUPPORTED}: "
                              f"{' '.join(read.SUPPORTED_SUFFIXES)}) and save them with every candidate commitment "
                              "accepted; --json only prints what was found.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print what was extracted, save nothing.")
@click.option("--meeting", "meeting_id", type=int, help="The meeting a transcript belongs to (its id).")
@click.option("--to", "to_parties", multiple=True,
              help="Short name of a party a transcript's promises were made to (repeatable).")
@click.option("--received", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the files were received or archived (YYYY-MM-DD). A document that states no date of "
                   "its own is read as written that day, so its relative dues (\"early next week\") get windows.")
@click.option("--separate-anyway", "separate_anyway", is_flag=True,
              help="Save a letter that looks like one already recorded as a separate letter (else it is skipped).")
@with_appcontext
def intake_command(files, as_json: bool, meeting_id: int | None, to_parties: tuple[str, ...], received,
                   separate_anyway: bool) -> None:
    limit = int(current_app.config["MAX_UPLOAD_BYTES"])
    messages: list[str] = []
    found: list[dict] = []
    failed = 0
    with click.progressbar(files, label="Reading", file=sys.stderr, show_pos=True,
                           item_show_func=lambda f: os.path.basename(f) if f else "") as bar:
        for path in bar:
            try:
                message, extracted = _one(path, limit, as_json, meeting_id, to_parties,
                                          received.date() if received else None, separate_anyway)
            except InvalidInput as error:
                failed += 1
                message, extracted = f"{path}: {error}", None
            messages.append(message)
            if extracted is not None:
                found.append(extracted)
    for message in messages:
        click.echo(message, err=True)
    if as_json:
        click.echo(json.dumps(found if len(files) > 1 else (found[0] if found else None), indent=2,
                              ensure_ascii=False))
    if failed:
        raise SystemExit(1)


def _one(path: str, limit: int, as_json: bool, meeting_id, to_parties,
         received: date | None = None, separate_anyway: bool = False) -> tuple[str, dict | None]:
    # The operations and the extraction rules (about 4 MB) load when a file is read, not with every app that
    # registers this command (web workers too).
    from tracker.intake import operations
    from tracker.intake.extract import as_dict, extract

    if not os.path.isfile(path):
        raise InvalidInput("there is no such file", "file")
    size = os.path.getsize(path)
    if size > limit:  # refused before reading it into memory
        raise InvalidInput(f"the file is {read.size_label(size)}; the limit is {read.size_label(limit)}", "file")
    with open(path, "rb") as fh:
        data = fh.read()
    document = read.read_document_bounded(data, os.path.basename(path), limit,
                                          read.Budget.from_config(current_app.config))
    with db.write_session() as outer, outer.begin_nested():
        session = outer
        known = operations.known_from(session, document.text)
        previous = operations.previous_import(session, document.sha256, document.text)
        reference = received
        if meeting_id:
            meeting = session.get(Meeting, meeting_id)
            if meeting is None:
                raise InvalidInput(f"there is no meeting #{meeting_id}", "meeting_id")
            reference = meeting.starts_at.date()
        extraction = extract(document.text, known, reference, date_order=current_app.config.get("DATE_ORDER", "MDY"))
        operations.resolve_reply(session, extraction, access.EVERYTHING)
        nears = operations.near_duplicates(session, document.text, extraction.date, access.EVERYTHING) \
            if extraction.kind == "letter" and not previous else []
        if as_json:
            result = as_dict(extraction)
            result.update(file=path, format=document.format, sha256=document.sha256,
                          imported_before=f"{previous[0]} #{previous[1]}" if previous else None,
                          near_duplicates=[{"letter": n.letter_id, "percent_same": n.percent} for n in nears])
            return f"{path}: read ({extraction.kind}, {len(extraction.candidates)} candidates)", result
        if previous:
            return f"{path}: skipped — {operations.duplicate_message(document.filename, previous)}", None
        if nears and not separate_anyway:
            first = nears[0]
            return (f"{path}: skipped — it looks like letter #{first.letter_id} “{first.subject}” "
                    f"({first.percent} % of its text is the same); --separate-anyway saves it as another letter",
                    None)
        made_to = _party_ids(session, to_parties)
        if extraction.kind == "transcript" and not meeting_id:
            raise InvalidInput("a transcript needs its meeting: add --meeting ID", "meeting_id")
        if extraction.kind == "transcript" and not made_to:
            made_to = _meeting_parties(session, meeting_id, known)
        reviewed = operations.accept_all(extraction, document, data, meeting_id=meeting_id, made_to=made_to,
                                         known=known)
        reviewed.separate_anyway = separate_anyway
        saved = operations.save_intake(session, reviewed, max_bytes=limit, actor=events.Actor(name="intake (CLI)"),
                                       skip_unattributed=True)
    note = "".join(f"\n  not saved: {s}" for s in saved.skipped)
    return (f"{path}: saved as {saved.kind} #{saved.id} with {len(saved.commitment_ids)} commitment(s){note}", None)


def _party_ids(session, short_names) -> list[int]:
    ids = []
    for name in short_names:
        party = session.exec(queries.party_named(name)).first()
        if party is None:
            raise InvalidInput(f"there is no party {name!r} (use its short name)", "to")
        ids.append(party.id)
    return ids


def _meeting_parties(session, meeting_id: int, known) -> list[int]:
    """External parties taking part in the meeting: whom its promises were made to, by default."""
    internal = {p.id for p in known.parties if p.is_internal}
    return list(dict.fromkeys(p.party_id for p in session.exec(queries.meeting_participants(meeting_id))
                              if p.party_id and p.party_id not in internal))
