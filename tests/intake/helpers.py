"""The sample record's people and parties, as the database and as plain Known lists; a small PDF writer."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from tracker.intake.extract import Known, KnownLetter, KnownParty, KnownPerson, KnownRole
from tracker.meetings import operations as meeting_operations
from tracker.parties import operations as party_operations

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tracker" / "demo" / "seeds"
REPLY = "000_baf48a9fc2b21926.txt"      # CEO's reply, 21 April 2010
CHAIRS = "001_b2928006187455e9.txt"     # the three chairs, March 2010
CCNSO = "002_07fface5c0235766.txt"      # ccNSO chair, 11 March 2010
NAIROBI = "004_26ea40bcf093d0fb.txt"    # transcript

PARTIES = [("ccNSO Council", "ccNSO", "supporting_organisation", False),
           ("GNSO Council", "GNSO", "supporting_organisation", False),
           ("At-Large Advisory Committee", "ALAC", "advisory_committee", False),
           ("ICANN Board", "Board", "board", False),
           ("CEO's office", "CEO", "staff", True),
           ("ICANN staff", "Staff", "staff", True)]
PEOPLE = [("Rod Beckstrom", "CEO", "CEO and President"), ("Peter Dengate-Thrush", "Board", "Chair"),
          ("Chris Disspain", "ccNSO", "Chair"), ("Chuck Gomes", "GNSO", "Chair"),
          ("Cheryl Langdon-Orr", "ALAC", "Chair"), ("Greg Rattray", "Staff", "Chief Internet Security Advisor"),
          ("Yurie Ito", "Staff", "Director, Security Coordination")]
NAIROBI_DAYS = (date(2010, 3, 7), date(2010, 3, 12))
BRUSSELS_DAYS = (date(2010, 6, 20), date(2010, 6, 25))


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def seed_bytes(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def known(letters=()) -> Known:
    """The sample record's people and parties as plain values (ids are positions, from 1)."""
    parties = tuple(KnownParty(i, name, short, internal) for i, (name, short, _kind, internal) in enumerate(PARTIES, 1))
    by_short = {p.short_name: p.id for p in parties}
    people = tuple(KnownPerson(i, name, (KnownRole(by_short[short], title),))
                   for i, (name, short, title) in enumerate(PEOPLE, 1))
    return Known(people, parties, tuple(letters), {"Nairobi": NAIROBI_DAYS, "Brussels": BRUSSELS_DAYS})


def chairs_letter(letter_id: int = 50) -> KnownLetter:
    """The chairs' letter as recorded: month precision, by Chris, Chuck and Cheryl."""
    return KnownLetter(letter_id, date(2010, 3, 1), "month", "Comments on the establishment of a DNS-CERT",
                       (3, 4, 5), (1, 2, 3))


def seed_world(session) -> dict:
    """Parties, people with roles, and the Nairobi and Brussels meetings, through the real operations."""
    parties = {short: party_operations.create_party(session, name=name, short_name=short, kind=kind,
                                                    is_internal=internal)
               for name, short, kind, internal in PARTIES}
    people = {}
    for name, short, title in PEOPLE:
        person = party_operations.create_person(session, name=name)
        party_operations.add_role(session, person=person, party=parties[short], title=title)
        people[name] = person
    meetings = {
        "Nairobi": meeting_operations.create_meeting(
            session, title="DNS-CERT consultation, Nairobi", kind="consultation_session", aliases="Nairobi",
            starts_at=datetime(2010, 3, 7, 8, tzinfo=timezone.utc), ends_at=datetime(2010, 3, 12, 18, tzinfo=timezone.utc)),
        "Brussels": meeting_operations.create_meeting(
            session, title="ICANN meeting in Brussels", kind="icann_public_meeting", aliases="Brussels",
            starts_at=datetime(2010, 6, 20, 8, tzinfo=timezone.utc), ends_at=datetime(2010, 6, 25, 18, tzinfo=timezone.utc)),
    }
    return {"parties": parties, "people": people, "meetings": meetings}


def pdf_bytes(pages: list[str], encrypt_with: str | None = None) -> bytes:
    """A minimal valid PDF whose pages hold the given text (Helvetica, one line per text line)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = len(objects) + 1 + 2 * len(pages)
    page_ids = []
    for text in pages:
        lines = []
        for line in text.splitlines() or [""]:
            escaped = line.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            lines.append(b"(" + escaped + b") Tj T*")
        stream = b"BT /F1 10 Tf 12 TL 50 780 Td " + b" ".join(lines) + b" ET"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    assert add(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    data = bytes(out)
    if encrypt_with is not None:
        import io

        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(user_password=encrypt_with, algorithm="RC4-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    return data
