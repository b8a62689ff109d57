"""Reading a letter or a transcript for what staff would otherwise retype: pure functions, no I/O.

``extract(text, known, reference_date)`` returns an :class:`Extraction`: the kind (letter or transcript),
the letter's date and its precision, authors and recipients (name, title, party, matched ids), the letter
it replies to, and candidate commitments with the quoted sentence, its character offsets into ``text``,
promise or request, the speaker, and the due window from ``tracker.duedates.parse_due``.

Matching is done against plain lists (:class:`Known`), never a database session, so every rule here can
be tested on text alone. Nothing is decided for good: staff review every field before it is saved.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from tracker.duedates import LETTER_DATE_RULES, DueWindow, find_dates, parse_due, vocabulary, written_date
from tracker.intake import cues as cue_table
from tracker.intake import signatures

# --------------------------------------------------------------------------- what is known


@dataclass(frozen=True)
class KnownRole:
    party_id: int
    title: str
    starts_on: date | None = None
    ends_on: date | None = None

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True)
class KnownPerson:
    id: int
    name: str
    roles: tuple[KnownRole, ...] = ()


@dataclass(frozen=True)
class KnownParty:
    id: int
    name: str
    short_name: str
    is_internal: bool = False
    default_owner_id: int | None = None  # who looks after this group's commitments (tracker.commitments.owners)


@dataclass(frozen=True)
class KnownLetter:
    id: int
    sent_on: date
    date_precision: str = "day"
    subject: str = ""
    author_person_ids: tuple[int, ...] = ()
    author_party_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Known:
    """What the tracker already holds, as plain values (built by operations.known_from)."""
    people: tuple[KnownPerson, ...] = ()
    parties: tuple[KnownParty, ...] = ()
    letters: tuple[KnownLetter, ...] = ()
    # parse_due's events: {meeting name or alias: (first day, last day)}
    anchors: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- what is found


@dataclass
class Participant:
    role: str  # author | recipient | speaker
    name: str = ""
    title: str = ""
    party_name: str = ""
    person_id: int | None = None
    party_id: int | None = None


@dataclass
class ReplyReference:
    phrase: str
    on: date
    precision: str  # day | month
    letter_id: int | None = None


@dataclass
class Candidate:
    kind: str  # promise | request
    sentence: str  # whitespace collapsed, as quoted
    start: int  # offsets into the extracted text
    end: int
    title: str
    speaker: str | None = None
    due: DueWindow | None = None
    cue: str = ""  # the rule that proposed it, shown to staff
    owner: str = ""  # who the text gives it to ("Staff", "Ana Ruiz"), when it names someone


@dataclass
class Extraction:
    kind: str  # letter | transcript
    date: date | None = None
    date_precision: str = "day"
    subject: str = ""
    direction: str = "between_others"
    authors: list[Participant] = field(default_factory=list)
    recipients: list[Participant] = field(default_factory=list)
    speakers: list[Participant] = field(default_factory=list)
    reply_to: ReplyReference | None = None
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def promises(self) -> list[Candidate]:
        return [c for c in self.candidates if c.kind == "promise"]

    @property
    def requests(self) -> list[Candidate]:
        return [c for c in self.candidates if c.kind == "request"]


# --------------------------------------------------------------------------- vocabulary

# Dates are read with the grammar's vocabulary (tracker.duedates.vocabulary): one spelling of every month.
_DAY = rf"{vocabulary.DAY_NUMBER}(?:(?i:st|nd|rd|th)\.?)?"
_WEEKDAY = rf"(?:{vocabulary.WEEKDAY},?\s+)?"


def _letter_dates(text: str):
    """The full dates written in a text as a letter dates itself (day, month and year, or month and year)."""
    return [m for m in find_dates(text) if m.rule in LETTER_DATE_RULES and m.year_written]


def _years_written(text: str) -> list[int]:
    """The years of the full dates in a text, ranges too ("7 March - 20 March 2031")."""
    return [m.latest.year for m in find_dates(text)
            if m.year_written and (m.rule in LETTER_DATE_RULES or m.rule == "from date to date")]


def _date_of(mention) -> tuple[date, str]:
    return mention.earliest, "month" if mention.rule == "month" else "day"


_HONORIFIC = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Hon|The\s+Hon|Sir|Dame|H\.?E\.?|"
                        r"Ambassador|Minister)\.?\s+)+", re.I)
_ROLE_WORDS = re.compile(
    r"\b(?:chair|co-chair|chairman|chairwoman|chairperson|vice|ceo|cto|coo|cfo|president|director|secretary|"
    r"minister|manager|officer|head|counsel|member|liaison|executive|coordinator|administrator|"
    r"commissioner|ambassador|general|senior|chief|founder|lead|representative|delegate|advisor|adviser|"
    r"treasurer|governor|deputy|principal|professor|editor|staff)\b", re.I)
_NAME_PARTICLES = {"van", "de", "der", "von", "da", "di", "du", "le", "la", "del", "dos", "bin", "al"}
_NOT_NAMES = {"dear", "to", "from", "re", "subject", "date", "cc", "attn", "attention", "thank", "thanks",
              "yours", "regards", "sincerely", "comments", "the", "and", "internet", "page", "annex", "summary"}
_VALEDICTION = re.compile(
    r"^[ \t]*(?:yours[ \t]+(?:sincerely|faithfully|truly|respectfully)|sincerely(?:[ \t]+yours)?|"
    r"warm(?:ly|est[ \t]+regards)?|(?:kind|best|warm|with[ \t]+best)[ \t]+(?:regards|wishes)|regards|"
    r"respectfully(?:[ \t]+yours)?|cordially|best|faithfully)[ \t]*[,.]?[ \t]*$", re.I | re.M)
_SALUTATION = re.compile(r"^[ \t]*Dear[ \t]+(?P<names>[^\n]{1,200}?)[ \t]*[,:;]?[ \t]*$", re.M)
_HEADER = re.compile(r"^(?P<key>From|To|Cc|Date|Subject|Sent):[ \t]*(?P<value>[^\n]*)$", re.M | re.I)
# "Participants: …", "Apologies: …", "Location: …" head a list or a field of minutes: no one speaks there.
_FIELD_LABELS = (r"Participants|Attendees|Attendance|Present|Apologies|Regrets|Absent|Guests|Observers|Staff|"
                 r"Location|Venue|Time|Agenda|Minutes|Notes|Actions?|Action\s+items?|Decisions?|Status|Topic|"
                 r"Chairs?|Scribe|Minute\s+taker|Next\s+(?:call|meeting)|Documents?|Links?|Recording|Remote")
_TURN = re.compile(r"^[ \t]*(?P<name>(?!(?:To|From|Cc|Re|Subject|Date|Dear|Note|Attn|Sent|Tel|Fax|Email|"
                   r"Web|Phone|Source|Q|A)\b)(?!(?:" + _FIELD_LABELS + r")[ \t]*:)"
                   r"[A-Z][\w.'’-]*(?:[ \t]+[A-Za-z][\w.'’-]*){0,3}):[ \t]+(?=\S)", re.M)
# The words that introduce the date of the letter a text answers, ending where that date starts.
_REPLY_TO_LEAD = re.compile(
    r"\b(?:your|the)\s+(?:letter|email|e-mail|note|message|correspondence)\s+(?:of|dated|sent\s+on|from)\s+"
    r"(?:the\s+)?$", re.I)
_REPLY_TO_LOOK_BACK = 80


def _reply_references(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, date, str]]:
    """('your letter of 3 May 2031', its date, its precision) for each letter the text says it answers."""
    end = len(text) if end is None else end
    found = []
    for mention in _letter_dates(text[start:end]):
        date_start = start + mention.start
        lead = _REPLY_TO_LEAD.search(text, max(start, date_start - _REPLY_TO_LOOK_BACK), date_start)
        if lead:
            found.append((_squash(text[lead.start():start + mention.end]), *_date_of(mention)))
    return found


def reply_reference_dates(text: str) -> list[tuple[date, str]]:
    """The dates of the letters a text says it answers ('your letter of 3 May 2031'): what to look up first."""
    found = []
    for _phrase, on, precision in _reply_references(text):
        if (on, precision) not in found:
            found.append((on, precision))
    return found


def name_words(text: str) -> set[str]:
    """Capitalised words of a text, normalised: a known person can only be matched if a word of the name is here."""
    return {_norm(w) for w in re.findall(r"\b[A-ZÀ-Þ][\w’'-]+", text) if len(w) > 1}


def _norm(text: str) -> str:
    """Lower case, one kind of dash and apostrophe, no accents, single spaces: for comparing names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[‐‑‒–—―-]", "-", text).replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_date_text(text: str) -> tuple[date, str] | None:
    """'11 March 2010' → (2010-03-11, 'day'); 'March 2010' → (2010-03-01, 'month'); else None."""
    return written_date(text)


# --------------------------------------------------------------------------- entry point


def extract(text: str, known: Known = Known(), reference_date: date | None = None, *,
            date_order: str = "MDY") -> Extraction:
    """Everything intake can read from a letter or transcript; nothing here touches the database.

    ``date_order`` ("MDY" or "DMY", config DATE_ORDER) reads a numeric due date such as "03/04/2031"."""
    if is_transcript(text):
        return extract_transcript(text, known, reference_date, date_order=date_order)
    return extract_letter(text, known, reference_date, date_order=date_order)


def is_transcript(text: str) -> bool:
    """'Name: text' turns at the start of lines, several of them, by two speakers or more."""
    turns = [m.group("name") for m in _TURN.finditer(text)]
    return len(turns) >= 4 and len(set(turns)) >= 2 and not _SALUTATION.search(text[:3000])


# --------------------------------------------------------------------------- letters


@dataclass
class _Line:
    text: str
    start: int
    end: int


def _lines(text: str, start: int = 0, end: int | None = None) -> list[_Line]:
    end = len(text) if end is None else end
    found = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        stripped = match.group().strip()
        if stripped:
            offset = start + match.start() + (len(match.group()) - len(match.group().lstrip()))
            found.append(_Line(stripped, offset, offset + len(stripped)))
    return found


def extract_letter(text: str, known: Known = Known(), reference_date: date | None = None, *,
                   date_order: str = "MDY") -> Extraction:
    """A letter or email: date, people, reply reference, requests and promises."""
    result = Extraction(kind="letter")
    headers = _email_headers(text)
    salutation = _SALUTATION.search(text)
    valediction = _last_valediction(text, salutation.end() if salutation else 0)
    head_end = salutation.start() if salutation else (headers["_end"] if headers else min(len(text), 1500))
    body_start = salutation.end() if salutation else (headers["_end"] if headers else 0)
    body_end = valediction.start() if valediction else len(text)
    signature_lines = _lines(text, valediction.end(), min(len(text), valediction.end() + 1500)) if valediction else []

    # Date: the email's Date header, else a date line in the head, else one below the signature.
    date_line = None
    if headers and headers.get("date"):
        found = parse_date_text(headers["date"])
        if found:
            result.date, result.date_precision = found
    if result.date is None:
        date_line = _date_line(_lines(text, headers["_end"] if headers else 0, head_end))
        if date_line is None and signature_lines:
            date_line = _date_line(signature_lines)
        if date_line is not None:
            result.date, result.date_precision = date_line[1]
    if result.date is None or _title_date(text):
        # Minutes and action items are dated by their title, before any date in a list below it.
        titled = _title_date(text)
        if titled:
            result.date, result.date_precision = titled
    if result.date is None:
        quoted = _quoted_header_date(text)
        if quoted:  # an undated reply: the quoted message's Sent:/Date: line is the best date there is
            result.date, result.date_precision = quoted
    if result.date is None:
        stated = _date_from_today_or_tomorrow(text)
        if stated:
            result.date, result.date_precision = stated, "day"
    if result.date is None:
        result.warnings.append("No date found in the letter: enter the date it was sent.")
    on = result.date or reference_date

    # Head: letterhead above the date line, address block between the date and the salutation.
    head_lines = _lines(text, headers["_end"] if headers else 0, head_end)
    if date_line is not None and date_line[0] in head_lines:
        cut = head_lines.index(date_line[0])
        letterhead, address = head_lines[:cut], head_lines[cut + 1:]
    else:
        letterhead, address = [], head_lines
    # The address block is the short lines at the top: it ends where prose (or a "Hi Ana," salutation) begins.
    for position, line in enumerate(address):
        if len(line.text.split()) > 10 or signatures.SALUTATION.match(line.text):
            address = address[:position]
            break
    subject_line = _subject_line(address)
    if subject_line is not None:
        address = [line for line in address if line is not subject_line]
        # "Subject:" is a label; "Re: …" is kept as written, as the letter and any reply to it name it.
        result.subject = re.sub(r"^subject\s*:\s*", "", subject_line.text, flags=re.I)
    if headers and headers.get("subject"):
        result.subject = headers["subject"]

    authors = [a for a in _people_in(signature_lines, "author", known, on) if not _heading_like(a.name)]
    head_people = _people_in(letterhead, "author", known, on)
    if not authors:
        authors = [p for p in (_person_participant(name, "author", known, on, title)
                               for name, title in signatures.signatories(text)) if p]
    if headers and headers.get("from") and not authors:
        sender = signatures.sender_name(headers["from"])
        authors = [p for p in [_person_participant(sender, "author", known, on)] if p and sender]
    authors = _merge_letterhead(authors, head_people)
    if not any(a.party_id or a.party_name for a in authors):
        letterhead_party = _party_from_lines(letterhead, known)
        if letterhead_party and authors:
            authors[0].party_id, authors[0].party_name = letterhead_party.id, letterhead_party.name
        elif letterhead_party:
            authors = [Participant("author", party_name=letterhead_party.name, party_id=letterhead_party.id)]
    result.authors = authors

    recipients = [r for r in _people_in([_Line(re.sub(r"^To:\s*", "", line.text, flags=re.I), line.start, line.end)
                                         for line in address if not re.fullmatch(r"To:?", line.text, flags=re.I)],
                                        "recipient", known, on)
                  if not _heading_like(r.name) and not any(_norm(r.name) == _norm(a.name) for a in authors)]
    if headers:
        for key in ("to", "cc"):
            for name in signatures.addressee_names(headers.get(key, "")):
                person = _person_participant(name, "recipient" if key == "to" else "cc", known, on)
                if person and not any(_norm(r.name) == _norm(person.name) for r in recipients):
                    recipients.append(person)
    # The first greeting of any form ("Hi Ana," above a quoted "Dear all,") names the recipients.
    greeted = signatures.salutation_names(text)
    recipients = _apply_salutation(", ".join(greeted), recipients, known, on)
    if not recipients:
        recipients = _apply_salutation(", ".join(signatures.thanked_names(text)), recipients, known, on)
    if not recipients:
        recipients = _apply_salutation(", ".join(signatures.titled_addressee(text)), recipients, known, on)
    if not recipients:
        group = signatures.group_of_notes(text)
        if group:
            party = _match_party(group, known)
            recipients.append(Participant("recipient", party_name=party.name if party else group,
                                          party_id=party.id if party else None))
    posted_to = signatures.list_of_subject(headers.get("subject", "")) if headers else ""
    # The list a message was posted to, when its own text (above any quoted message) names no one else.
    own_part = text[:signatures.quoted_part_start(text, headers["_end"] if headers else 0)]
    if posted_to and not signatures.salutation_names(own_part) and not signatures.thanked_names(own_part) \
            and not any(_norm(r.name) == _norm(posted_to) for r in recipients):
        recipients.append(Participant("recipient", name=posted_to))
    result.recipients = recipients
    result.direction = _direction(result.authors, result.recipients, known)
    if not result.subject:
        result.subject = _default_subject(result)

    replies = _reply_references(text, body_start, body_end)
    if replies:
        result.reply_to = ReplyReference(*replies[0])
        result.reply_to.letter_id = match_reply(result, known.letters)

    kinds = {"incoming": ("request",), "outgoing": ("promise",)}.get(result.direction, ("promise", "request"))
    # An email's covering note above a quoted letter's salutation is the sender's own text: read it too.
    start = headers["_end"] if headers else body_start
    if not headers and any(len(line.text.split()) > 10 for line in _lines(text, 0, body_start)):
        start = 0  # prose above the first salutation: a covering note over a quoted letter
    due_reference = None if on else latest_date_in(text)
    anchors = {**stated_next_meetings(text, on, date_order), **known.anchors}
    # Below the sign-off come the action list of a notes email, or a quoted message whose commitments its writer
    # made: read to the end (a signature block itself matches no cue).
    by_line = _line_candidates(text, start, len(text), on, anchors, due_reference, date_order=date_order)
    by_sentence = _candidates(text, start, len(text), on, anchors, speaker=None,
                              taken=[(c.start, c.end) for c in by_line], due_reference=due_reference,
                              date_order=date_order)
    result.candidates = [c for c in sorted(by_line + by_sentence, key=lambda c: c.start) if c.kind in kinds]
    read_same_date(text, result.candidates, on, date_order)
    borrow_stated_deadlines(text, result.candidates)
    return result


_TITLE = re.compile(r"\b(?:minutes|action\s+items?|actions|notes|summary|agenda|meeting|call|teleconference)\b",
                    re.I)


def _title_date(text: str) -> tuple[date, str] | None:
    """The date in the title of minutes or notes ('Minutes of the 2031-05-06 Board call'): first lines only."""
    for line in _lines(text, 0, min(len(text), 600))[:4]:
        if _TITLE.search(line.text) and len(line.text) <= 160:
            found = parse_date_text(line.text)
            if found and found[1] == "day":
                return found
    return None


_TODAY_OR_TOMORROW = re.compile(
    rf"\b(?P<rel>today|tomorrow)\s*,?\s*(?P<weekday>{vocabulary.WEEKDAY}),?\s+"
    rf"(?P<day>{_DAY})\s+(?P<month>{vocabulary.MONTH})(?!\s*,?\s*{vocabulary.YEAR})", re.I)


def _date_from_today_or_tomorrow(text: str) -> date | None:
    """'… is tomorrow, Tuesday 28 March' dates a message the day before, in the year of the text's other dates
    where 28 March is a Tuesday: the writer stated the date without meaning to."""
    match = _TODAY_OR_TOMORROW.search(text)
    if not match:
        return None
    years = sorted(set(_years_written(text)))
    weekday = vocabulary.weekday_number(match["weekday"].capitalize())
    for year in years:
        try:
            day = date(year, vocabulary.month_number(match["month"]), int(re.match(r"\d+", match["day"]).group()))
        except ValueError:
            continue
        if day.weekday() == weekday:
            return day - timedelta(days=1) if match["rel"].lower() == "tomorrow" else day
    return None


def _quoted_header_date(text: str) -> tuple[date, str] | None:
    """The first 'Sent:' or 'Date:' header line anywhere (an Outlook block quoted under a reply)."""
    for match in re.finditer(r"^[ \t>]*(?:\*\s*)?(?:Sent|Date)\s*:\*?[ \t]*(?P<value>[^\n]+)$", text, re.M | re.I):
        found = parse_date_text(match.group("value"))
        if found:
            return found
    # A mail client's attribution line over a quoted message: "2031/5/15 Ana Ruiz <ana@example.org>".
    attribution = re.search(r"^[ \t>]*(?:On\s+)?(?P<y>(?:19|20)\d\d)[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)\b[^\n]*"
                            r"(?:@|\bwrote\b)", text, re.M)
    if attribution:
        try:
            return date(int(attribution["y"]), int(attribution["m"]), int(attribution["d"])), "day"
        except ValueError:
            return None
    return None


def _email_headers(text: str) -> dict | None:
    """Header lines at the top of an email rendered by read.py ('From: …', 'Date: …'), else None."""
    headers, position = {}, 0
    for match in re.finditer(r"[^\n]*\n?", text):
        line = match.group().rstrip("\n")
        if not line.strip():
            if headers:
                position = match.end()
                break
            continue
        header = _HEADER.fullmatch(line.strip())
        if not header:
            break
        headers[header.group("key").lower().replace("sent", "date")] = header.group("value").strip()
        position = match.end()
    if len(headers) >= 2 and ("from" in headers or "subject" in headers):
        headers["_end"] = position
        return headers
    return None


def _strip_address(value: str) -> str:
    """'Chris Disspain <chris@example.org>' → 'Chris Disspain'."""
    value = re.sub(r"<[^>]*>", "", value).strip().strip('"').strip()
    return "" if "@" in value else value


def _last_valediction(text: str, after: int) -> re.Match | None:
    found = None
    for match in _VALEDICTION.finditer(text, after):
        found = match
    return found


def _date_line(lines: list[_Line]) -> tuple[_Line, tuple[date, str]] | None:
    """The line that is (mostly) a date: a letter's date stands on a line of its own."""
    fallback = None
    for line in lines:
        mentions = _letter_dates(line.text)
        if not mentions:
            continue
        mention = mentions[0]
        rest = (line.text[:mention.start] + line.text[mention.end:]).strip(" ,.\t")
        if not rest or re.fullmatch(r"(?:Date|Dated|[A-Z][a-z]+)[:,]?", rest):
            return line, _date_of(mention)
        if fallback is None and len(rest) < 40:
            fallback = (line, _date_of(mention))
    return fallback


def _subject_line(lines: list[_Line]) -> _Line | None:
    for line in lines:
        if re.match(r"^(?:re|subject)\s*:", line.text, re.I):
            return line
    # A line right above the salutation that is neither a name nor a title reads as the subject.
    if lines:
        last = lines[-1]
        if not _looks_like_name(last.text) and not _ROLE_WORDS.search(last.text) and len(last.text.split()) >= 3:
            return last
    return None


def _looks_like_name(text: str) -> bool:
    text = _HONORIFIC.sub("", text.strip()).strip(" ,;")
    words = text.split()
    if not 2 <= len(words) <= 4 or len(text) > 45 or re.search(r"[\d@:;/()“”\"]", text):
        return False
    if any(w.lower().strip(",.") in _NOT_NAMES for w in words) or any(m.year_written for m in find_dates(text)):
        return False
    if _ROLE_WORDS.search(text):
        return False
    return all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words) and words[-1][0].isupper()


def _clean_name(text: str) -> str:
    return _HONORIFIC.sub("", text.strip()).strip(" ,;")


def _match_person(name: str, known: Known) -> KnownPerson | None:
    target = _norm(_clean_name(name)).replace("-", " ")
    for person in known.people:
        if _norm(person.name).replace("-", " ") == target:
            return person
    return None


def _match_party(text: str, known: Known) -> KnownParty | None:
    """A party named in text: its name or short name (longest wins), or an expanded acronym."""
    if not text:
        return None
    normal = _norm(text)
    best, best_length = None, 0
    for party in known.parties:
        for label in (party.name, party.short_name):
            label_norm = _norm_label(label)
            if label_norm and len(label_norm) > best_length and _contains_word(normal, label_norm):
                best, best_length = party, len(label_norm)
    if best:
        return best
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w-]*", text) if w[0].isupper())
    if len(initials) >= 3:
        for party in known.parties:
            if party.short_name.lower() == initials.lower():
                return party
    return None


@functools.lru_cache(maxsize=8192)
def _norm_label(label: str) -> str:
    return _norm(label)


def _contains_word(text: str, label: str) -> bool:
    """label occurs in text as whole words (no letter, digit, '_' or '-' on either side); no regex per party,
    so matching against hundreds of known parties stays cheap."""
    start = text.find(label)
    while start != -1:
        end = start + len(label)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            return True
        start = text.find(label, start + 1)
    return False


_ORGANISATION_WORDS = re.compile(
    r"\b(?:council|committee|board|office|organi[sz]ation|ministry|department|agency|association|registry|"
    r"registrar|foundation|corporation|commission|authority|university|institute|government|secretariat|forum|"
    r"society|inc|ltd|llc|gmbh|icann)\b", re.I)


def _names_an_organisation(text: str, known: Known) -> bool:
    """'ccNSO Council', 'Example Council', 'ALAC': the part after a title's comma or dash that says whom it is for.
    'Security Coordination' or 'Stakeholder Relations' are the rest of the title itself, so it stays whole."""
    if _match_party(text, known):
        return True
    if _ROLE_WORDS.search(text):
        return False
    return bool(_ORGANISATION_WORDS.search(text) or re.fullmatch(r"[a-z]{0,3}[A-Z]{2,}[a-z]{0,2}", text))


def _split_title(text: str, known: Known) -> tuple[str, str]:
    """'Chair – ccNSO Council' → ('Chair', 'ccNSO Council'); 'CEO & President' → ('CEO & President', '')."""
    text = _squash(text).strip(" ,;")
    parts = re.split(r"\s+[–—-]\s+|\s*,\s+", text, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1] and _names_an_organisation(parts[1].strip(), known):
        return parts[0].strip(), parts[1].strip()
    match = re.match(r"^(.*?\S)\s+(?:of|at)\s+(?:the\s+)?(.+)$", text)
    if match and _match_party(match.group(2), known):
        return match.group(1), match.group(2)
    return text, ""


def _person_participant(name: str, role: str, known: Known, on: date | None, title: str = "") -> Participant | None:
    name = _clean_name(name)
    if not name:
        return None
    person = _match_person(name, known)
    participant = Participant(role, name=person.name if person else name)
    if person:
        participant.person_id = person.id
    _apply_title(participant, title, person, known, on)
    return participant


def _apply_title(participant: Participant, title_text: str, person: KnownPerson | None, known: Known,
                 on: date | None) -> None:
    title, party_text = _split_title(title_text, known) if title_text else ("", "")
    party = _match_party(party_text, known) or (_match_party(title, known) if title else None)
    role = None
    if person:
        held = [r for r in person.roles if r.held_on(on)] or list(person.roles)
        if party:
            role = next((r for r in held if r.party_id == party.id), None)
        role = role or (held[0] if held else None)
    if not party and role:
        party = next((p for p in known.parties if p.id == role.party_id), None)
    participant.title = title or (role.title if role else "")
    participant.party_id = party.id if party else None
    participant.party_name = party.name if party else party_text


def _people_in(lines: list[_Line], role: str, known: Known, on: date | None) -> list[Participant]:
    """Names and title lines of a block, paired: alternating (name, title, …) or grouped (names…, titles…)."""
    names, titles = [], []
    for index, line in enumerate(lines):
        text = line.text
        if _VALEDICTION.match(text) or _SALUTATION.match(text):
            continue
        person = _match_person(text, known)
        if person or _looks_like_name(text):
            names.append((index, text))
        elif _ROLE_WORDS.search(text) and len(text) <= 90 and not text.endswith("."):
            titles.append((index, text))
    pairs: list[tuple[str, str]] = []
    if names and len(titles) == len(names):
        pairs = [(n[1], t[1]) for n, t in zip(names, titles)]
    else:
        for position, (index, name) in enumerate(names):
            following = names[position + 1][0] if position + 1 < len(names) else len(lines)
            title = next((t for i, t in titles if index < i < following), "")
            pairs.append((name, title))
    people = []
    for name, title in pairs:
        participant = _person_participant(name, role, known, on, title)
        if participant and not any(p.name == participant.name for p in people):
            people.append(participant)
    return people


def _merge_letterhead(authors: list[Participant], letterhead: list[Participant]) -> list[Participant]:
    """The signature says who signed; the letterhead may add the title ('Rod Beckstrom / CEO and President')."""
    if not authors:
        return letterhead
    for author in authors:
        match = next((h for h in letterhead if _norm(h.name) == _norm(author.name)), None)
        if match:
            author.title = author.title or match.title
            if not author.party_id and match.party_id:
                author.party_id, author.party_name = match.party_id, match.party_name
    return authors


def _party_from_lines(lines: list[_Line], known: Known) -> KnownParty | None:
    for line in lines:
        party = _match_party(line.text, known)
        if party:
            return party
    return None


def _apply_salutation(names_text: str, recipients: list[Participant], known: Known, on: date | None):
    """'Dear Chris, Chuck and Cheryl' confirms the address block, or names the recipients when there is none."""
    names_text = re.sub(r"\b(?:all|coll?ea?gues|sir|madam|sirs|friends|everyone)\b", "", names_text, flags=re.I)
    tokens = [t.strip(" –—-:;!") for t in re.split(r",|\band\b|&|/", names_text) if t.strip(" –—-:;!")]
    for token in tokens:
        token = signatures.addressed_body(_clean_name(token))
        if not token or not token[0].isupper():
            continue
        first = _norm(token)
        if any(_norm(r.name) == first or _norm(r.name).split(" ")[0] == first
               or _norm(r.name).split(" ")[-1] == first for r in recipients):
            continue
        matches = [p for p in known.people if _norm(p.name).split(" ")[0] == first or _norm(p.name) == first
                   or _norm(p.name).split(" ")[-1] == first]
        if len(matches) == 1:
            participant = _person_participant(matches[0].name, "recipient", known, on)
            if participant:
                recipients.append(participant)
        elif not matches:
            # "Dear Ana," names Ana even when she is not known yet: staff complete the name on review.
            participant = _person_participant(token, "recipient", known, on)
            if participant:
                recipients.append(participant)
    return recipients


def _heading_like(name: str) -> bool:
    """'Status Updates', 'Proposed Agenda', 'A. Administrative Matters': heading words no one's name contains, or
    the numbering of a section."""
    if re.match(r"^(?:[A-Z]|\d{1,2}|[IVX]{1,4})[.)]\s", name):
        return True
    return any(w.lower().strip(",.:") in signatures.HEADING_WORDS - {"and", "of", "the"} for w in name.split())


def _direction(authors: list[Participant], recipients: list[Participant], known: Known) -> str:
    internal = {p.id for p in known.parties if p.is_internal}
    if any(a.party_id in internal for a in authors):
        return "outgoing"
    if any(r.party_id in internal for r in recipients):
        return "incoming"
    return "between_others"


def _default_subject(result: Extraction) -> str:
    who = ", ".join(a.name or a.party_name for a in result.authors[:3]) or "unknown sender"
    to = ", ".join(r.name or r.party_name for r in result.recipients[:3])
    when = ""
    if result.date:
        when = result.date.strftime("%B %Y") if result.date_precision == "month" else \
            f"{result.date.day} {result.date.strftime('%B %Y')}"
    return _squash(f"Letter from {who}" + (f" to {to}" if to else "") + (f", {when}" if when else ""))[:500]


def sent_then(sent_on: date, date_precision: str, reference: ReplyReference) -> bool:
    """Whether a letter was sent when a reply says ("your letter of 3 May" / "of May"): the same day when both are
    dated to the day, the same month otherwise. (queries.sent_then is its SQL twin.)"""
    if reference.precision == "day" and date_precision == "day":
        return sent_on == reference.on
    return (sent_on.year, sent_on.month) == (reference.on.year, reference.on.month)


def match_reply(result: Extraction, letters) -> int | None:
    """The recorded letter this one answers, of `letters` (KnownLetter): same date (or month) and written by this
    letter's recipients; when its recipients are not known, the only letter of that date. None when two are as
    likely. Only these letters count: written by a recipient, or (any) two of each precision sent then are enough
    to give the same answer as every letter of the month (operations.resolve_reply reads no more)."""
    reference = result.reply_to
    recipient_people = {r.person_id for r in result.recipients if r.person_id}
    recipient_parties = {r.party_id for r in result.recipients if r.party_id}
    scored = []
    for letter in letters:
        if not sent_then(letter.sent_on, letter.date_precision, reference):
            continue
        overlap = len(recipient_people & set(letter.author_person_ids)) + \
            len(recipient_parties & set(letter.author_party_ids))
        scored.append((overlap, letter.date_precision == reference.precision, letter.id))
    if not scored:
        return None
    scored.sort(reverse=True)
    best = scored[0]
    if (recipient_people or recipient_parties) and best[0] == 0:
        return None
    if len(scored) > 1 and scored[1][:2] == best[:2]:
        return None  # two equally good letters: leave the choice to staff
    return best[2]


# --------------------------------------------------------------------------- sentences and candidates

_BOUNDARY_BULLET = re.compile(r"\n[ \t]*(?:[·•▪◦‣∙*]|-(?=\s)|\d{1,2}[.)](?=\s)|\(?[a-h]\)(?=\s))")


# A full stop after a list number at the start of a line, or after a common abbreviation, ends no sentence.
_NO_CUT_BEFORE = re.compile(r"(?:(?:^|\n)[ \t]*\d{1,2}\.|\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|vs|etc|e\.g|i\.e|Inc|Ltd|Jr|Sr|U\.S)\.)$")


# "… applications. (Goal: 2022-07-13)": a labelled deadline in brackets after the full stop is the item's own.
_DUE_LABEL_AFTER = re.compile(r"\s+\((?i:goal|due(?:\s+date)?|deadline|target(?:\s+date)?|eta)\s*[:\-–]")


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text[start:end], trimmed; hard-wrapped lines are joined."""
    end = len(text) if end is None else end
    cuts = {start, end}
    for match in re.finditer(r"[.!?][”\"’')\]]*(?=\s+[“\"‘(]?[A-Z0-9])", text[start:end]):
        before = text[max(start, start + match.start() - 12):start + match.start() + 1]
        if _NO_CUT_BEFORE.search(before) or _DUE_LABEL_AFTER.match(text, start + match.end()):
            continue
        cuts.add(start + match.end())
    for match in re.finditer(r"[.!?:;][”\"’')]*[ \t]*(?=\n)", text[start:end]):
        cuts.add(start + match.end())
    for match in _BOUNDARY_BULLET.finditer(text, start, end):
        cuts.add(match.start() + 1)
    for match in re.finditer(r"\n[ \t]*\n\s*", text[start:end]):
        before = text[start:start + match.start()].rstrip()
        after = text[start + match.end():start + match.end() + 1]
        # A blank line inside a sentence is layout noise (PDF line breaks): keep joining lowercase text.
        if before and (before[-1].isalpha() and before[-1].islower() or before[-1] in ",–—-") and after.islower():
            continue
        cuts.add(start + match.start())
    spans = []
    ordered = sorted(cuts)
    for a, b in zip(ordered, ordered[1:]):
        chunk = text[a:b]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            spans.append((a + left, a + right))
    return spans


# Words that may stand between "we" and "will" ("we certainly will"); anything else ("I think it will") is
# someone else's future, not a promise.
_ADVERBS = r"(?:also|then|certainly|further|now|therefore|definitely|shortly|soon|still|both|all|indeed|again)"
# Talk about the session itself ("I will say", "I'm going to turn it over", "we'll take questions").
_DISCOURSE = (r"(?!not\b|say\b|be\s+describing|describe|talk|go\b|turn|move|start|stop|let\b|give\s+this\s+back|"
              r"give\s+\w+\s+a\s+remote|give\s+(?:a|an)\s+(?:\w+\s+){0,2}answer|answer\b|cut\b|end\s+up|get\s+into|"
              r"get\s+around|just\s+stop|see\b(?!\s+to\s+it\b)|have\s+to|need\b|come\s+back|hand\b|probably\s+have|"
              r"sit\b|leave\b|take\s+(?:that|this|one|questions?)\b|keep\s+going|wrap\s+up|close\b|now\b|"
              r"be\s+challenged)")
# A modal before a verb of feeling, knowing or remembering states a disposition, not an act anyone could
# track: "I shall always remember", "we will be glad to hear", "I shall regret".
_STATIVE = (r"(?!(?:always\s+|ever\s+|never\s+|long\s+)?(?:retain|remember|forget|feel|believe|think|know|"
            r"regret|rejoice|hope|wish|cherish|miss|treasure|wonder|trust|doubt|expect\s+(?!to\b)|"
            r"be\s+(?:\w+\s+)?(?:glad|pleased|happy|delighted|grateful|sorry|interested|curious|proud)\b"
            r"(?!\s+to\s+(?!hear|see|learn|know|read|receive|note)\w)))")
_ACTION_VERBS = (r"(?:publish|post|provide|release|circulate|send|share|deliver|complete|issue|hold|present|"
                 r"update|review|report|respond|reply|consult|convene|establish|create|develop|prepare|work|seek|"
                 r"engage|conduct|launch|make|ensure|continue|extend|brief|host|organi[sz]e|submit|produce|"
                 r"consider|propose|include|implement|analy[sz]e|meet|do|give|set\s+up|begin|start|revise|"
                 r"cooperate|co-operate|collaborate|assist|support|help|attend|participate|contact|follow\s+up|"
                 r"coordinate|co-ordinate|discuss|remove|arrange|inform|notify|facilitate|schedule|investigate|"
                 r"address|fund|appoint|examine|study|clarify|confirm|correct|amend|reconsider|take\s+steps|"
                 r"look\s+into|see\s+to\s+it|write|call|visit|offer|maintain|monitor|publici[sz]e|translate)")
# The writer's own side named as an organisation or a titled person: "ICANN will publish", "the Government
# will support you", "Dr. Sachs will cooperate". A bare third party ("this", "it", "they") is a prediction.
_OUR_SIDE = (r"(?:ICANN|staff|the\s+board|our\s+(?:\w+\s+)?(?:team|staff|office|government|organi[sz]ation|"
             r"secretariat|council|committee)|my\s+(?:\w+\s+)?(?:office|staff|team|government)|"
             r"the\s+(?:[A-Z][\w.]*\s+){0,3}[Gg]overnment|the\s+secretariat|"
             r"(?:Dr|Mr|Mrs|Ms|Prof|Professor)\.?\s+[A-Z][\w'’-]+)")
_WILLING = r"(?:prepared|ready|willing|determined|resolved)"
_PROMISE_PATTERNS = [
    re.compile(rf"\b(?:we|i)(?:['’]ll|(?:\s+{_ADVERBS}){{0,2}}\s+(?:will|shall))\s+(?:{_ADVERBS}\s+)?{_DISCOURSE}"
               rf"{_STATIVE}", re.I),
    # "I regret this incident and will see to it that …": the subject stated once for two verbs.
    re.compile(rf"\b(?:we|i)\s+(?!will\b|shall\b)[a-z]+\b[^.;:,]{{0,60}}?\s+and\s+(?:will|shall)\s+"
               rf"(?:{_ADVERBS}\s+)?{_DISCOURSE}{_STATIVE}", re.I),
    re.compile(rf"\b(?:we|i)(?:\s+{_ADVERBS})?\s+(?:plan|intend|aim|undertake|promise|commit|expect|agree|offer)\s+"
               rf"(?:to\s+|an?\s+)(?!be\s+able\b){_DISCOURSE}", re.I),
    re.compile(rf"\b(?:we|i)(?:\s+{_ADVERBS})?\s+hope\s+to\s+(?={_ACTION_VERBS}\b)", re.I),
    re.compile(rf"\b(?:we|i)(?:['’]re|['’]m|\s+are|\s+am)\s+(?:{_ADVERBS}\s+|strongly\s+|fully\s+|quite\s+|"
               rf"entirely\s+|always\s+)?(?:committed|planning|intending|aiming|willing|going|{_WILLING})\s+to\s+"
               rf"{_DISCOURSE}", re.I),
    # An offer in the conditional: "we would agree to remove …", "we would be happy to provide …".
    re.compile(rf"\b(?:we|i)(?:\s*,[^,]{{1,30}},)?\s+would\s+(?:{_ADVERBS}\s+|gladly\s+)?(?:(?:agree|undertake|"
               rf"offer)(?=\s*(?:to\b|[—–-]))|be\s+(?:quite\s+|very\s+|most\s+|more\s+than\s+)?(?:{_WILLING}|happy|"
               rf"glad|pleased)\s+to\s+(?={_ACTION_VERBS}\b))", re.I),
    re.compile(r"\b(?:our|my)\s+(?:\w+\s+)?(?:aim|intention|plan|goal|objective|endeavou?r|commitment|undertaking|"
               r"priority)\s+(?:is|will\s+be|remains)\s+to\s+", re.I),
    re.compile(r"\bit\s+(?:is|will\s+be|remains)\s+(?:our|my)\s+(?:\w+\s+)?(?:intention|aim|plan|endeavou?r|goal|"
               r"objective|commitment|priority)\s+(?:to|that)\s+", re.I),
    re.compile(r"\bi\s+have\s+planned\s+to\s+", re.I),
    re.compile(r"\bwe['’]d\s+do\s+", re.I),
    re.compile(r"\bcommitting\s+to\s+", re.I),
    re.compile(r"\b(?:we|I)\s+(?:may|will|shall)\s+ask\s+(?:the\s+)?(?:\w+\s+){1,5}?to\b", re.I),
    # Work handed to our own people is under way: "I have asked staff to prepare …", "I have given my
    # representatives instructions that …".
    re.compile(r"\b(?:we|i)\s+have\s+(?:already\s+|now\s+|also\s+)?(?:asked|instructed|directed|tasked)\s+"
               r"(?:(?:our|my|ICANN|ICANN['’]s|the)\s+)?(?:\w+\s+){0,3}?(?:staff|team|representatives?|officers?|"
               r"colleagues|office|counsel|secretariat|CEO)\s+to\b", re.I),
    re.compile(r"\b(?:we|i)\s+have\s+(?:already\s+|now\s+|also\s+)?given\s+(?:\w+\s+){1,6}?instructions\b", re.I),
    re.compile(rf"\b{_OUR_SIDE}\s+will\s+(?:{_ADVERBS}\s+)?(?:(?={_ACTION_VERBS}\b)|be\s+(?:quite\s+)?"
               rf"(?:{_WILLING}|available)\s+to\s+)", re.I),
    re.compile(r"\bwill\s+be\s+(?:\w+\s+)?(?:published|posted|provided|released|made\s+available|available|"
               r"circulated|sent|shared|delivered|completed|issued|announced|presented|distributed|submitted|"
               r"finali[sz]ed|convened|reported)\b", re.I),
]
# Who a request is addressed to, when it names them: the recipient (you, ICANN, its Board or staff).
_ADDRESSEE = r"(?:you|ICANN|the\s+(?:ICANN\s+)?Board|staff|the\s+CEO)"
_REQUEST_PATTERNS = [
    re.compile(r"\b(?:we|i)\s+(?:would\s+|strongly\s+|therefore\s+|also\s+|respectfully\s+|further\s+)*"
               r"(?:recommend|urge|request|call\s+on|call\s+upon)\s+(?!(?:all\s+|other\s+|our\s+)*(?:governments|"
               r"members|participants|stakeholders|colleagues|everyone|each\s+other|the\s+community)\b)", re.I),
    re.compile(rf"\b(?:we|i)\s+(?:would\s+|strongly\s+|therefore\s+|also\s+|respectfully\s+|further\s+)*"
               rf"(?:invite|encourage)\s+(?={_ADDRESSEE}\b)", re.I),
    re.compile(rf"\b(?:we|i)\s+(?:(?:would|therefore|also|respectfully|{_ADVERBS})\s+)*ask\s+"
               rf"(?=that\b|of\s+you\b|{_ADDRESSEE}\b)", re.I),
    re.compile(r"\bwould\s+ask\s+you\s+(?:is\s+)?", re.I),
    # The addressee as the subject of the wished-for act: "if you will give …", "you may think it desirable to".
    re.compile(r"\bif\s+you\s+(?:could|would|will|can)\s+(?!not\b|like\b|prefer\b|wish\b|want\b|need\b|have\b|"
               r"be\b|recall\b|remember\b|allow\s+me\b|excuse\b|forgive\b|see\b|hear\b|look\b|"
               r"take\s+a\s+look\b|imagine\b)", re.I),
    re.compile(r"\byou\s+(?:may|might)\s+(?:(?:wish|want|care|like)\s+to|consider|think\s+it\s+(?:\w+\s+)?"
               r"(?:desirable|advisable|useful|wise|appropriate|helpful|necessary))\b", re.I),
    re.compile(rf"\b(?:would|might|could|should)\s+(?:\w+\s+)?be\s+(?:\w+\s+)?for\s+{_ADDRESSEE}\s+to\b", re.I),
    re.compile(rf"\bit\s+(?:is|would\s+be|will\s+be|remains)\s+(?:\w+\s+)?(?:essential|important|vital|critical|"
               rf"imperative|necessary|crucial|desirable|helpful|useful|appreciated)\s+(?:that|if|for)\s+"
               rf"{_ADDRESSEE}\b", re.I),
    re.compile(r"\b(?:we|i)\s+(?:would|should|will)\s+(?:be\s+(?:most\s+|very\s+|extremely\s+|truly\s+)?"
               r"(?:grateful|obliged|thankful)\s+(?:if|for)\b|(?:greatly\s+|very\s+much\s+)?appreciate\s+"
               r"(?:it\s+if|if|receiving)\b)", re.I),
    re.compile(r"\b(?:we|i)\s+(?:\w+\s+)?look\s+forward\s+to\s+(?:receiving|your\s+(?:\w+\s+)?(?:response|reply|"
               r"answer|proposals?|comments|views|input|report|confirmation|decision|plan))\b", re.I),
    re.compile(rf"\b(?:we|i)\s+(?:\w+\s+)?(?:hope|trust|expect)\s+(?:that\s+)?{_ADDRESSEE}\s+(?:will|would|can|could)"
               rf"\s+(?!not\b|understand\b|agree\b|appreciate\b|recall\b|remember\b|see\b|find\b|enjoy\b)", re.I),
    re.compile(r"\b(?:first|next|main|only|immediate)\s+(?:thing|step|priority|requirement)\s+(?:that\s+)?"
               r"(?:needs|has|have)\s+to\s+be\s+(?:done|taken)(?:\s*,\s*\w+\s*,)?\s+is\b", re.I),
]
_LETTER_ONLY_REQUESTS = [
    re.compile(r"\b(?:we|i)\s+(?:would\s+|strongly\s+|therefore\s+|also\s+|respectfully\s+)*suggest\s+", re.I),
    re.compile(r"(?:^|[.;:]\s+|\band\s+)please\s+(?!find\b|do\s+not\s+hesitate|let\s+me\s+know|feel\s+free|"
               r"contact\b|accept\b)", re.I),
    # Advice in a committee's voice: "The GAC advises the ICANN Board to …".
    re.compile(rf"\b(?:advises|urges|requests|recommends|calls\s+(?:on|upon)|invites|encourages|asks)\s+"
               rf"(?={_ADDRESSEE}\b)"),
    # The writer's own view of what the reader should do: "we believe that ICANN should consult …".
    re.compile(rf"\b(?:we|i)\s+(?:\w+\s+)?(?:believe|think|consider|feel|are\s+of\s+the\s+view|are\s+convinced)\s+"
               rf"(?:that\s+)?{_ADDRESSEE}\s+(?:should|must|needs\s+to|ought\s+to)\s+(?!not\b|have\s+been\b)", re.I),
]
# "The ccNSO stated: ICANN must …", "He added that it would be better for ICANN to …": someone else's words,
# reported; the writer is not asking anything of the reader.
_REPORTED = re.compile(r"\b(?:stated|noted|said|added|argued|commented|agreed|observed|suggested|recommended|"
                       r"urged|asked|wrote|believes|believe(?=\s+that\b)(?<!we\sbelieve)(?<!I\sbelieve)|"
                       r"according\s+to)\b", re.I)
_MIN_WORDS = 5
# "If we had known, we would have …", "we could have published": what did not happen is no commitment.
_COUNTERFACTUAL = re.compile(r"\b(?:would|could|should|might)(?:\s+not)?\s+have\s+\w+|\bif\s+(?:we|i)\s+(?:had|were)\b",
                             re.I)


# Names shown to staff for the patterns above (the newer constructions are named one by one in cues.py).
_PROMISE_CUE = "we/I will, intend or offer (first-person undertaking)"
_REQUEST_CUE = "we ask, urge or recommend (request to the reader)"
_NEGATED = re.compile(r"\b(?:won['’]t|will\s+not|cannot|can['’]t)\s+(?:commit|publish|provide)\b", re.I)


# A sentence cut off in the middle ("But I will work hard to") promises nothing one could track.
_CUT_OFF = re.compile(r"\b(?:to|the|a|an|of|and|or|for|with|that|will|would)$", re.I)


def cue_for(sentence: str, in_transcript: bool = False) -> tuple[str, re.Match, str] | None:
    """('promise' | 'request', the words that make it one, the cue's name) for a sentence, or None."""
    if sentence.rstrip().endswith("?") or cue_table.vetoed(sentence) or _CUT_OFF.search(sentence.rstrip()):
        return None
    if len(sentence.split()) < _MIN_WORDS and not sentence.endswith(":"):
        return None
    if _NEGATED.search(sentence):
        return None
    for pattern in _REQUEST_PATTERNS + ([] if in_transcript else _LETTER_ONLY_REQUESTS):
        match = pattern.search(sentence)
        if match and not _REPORTED.search(sentence, 0, match.start()):
            return "request", match, _REQUEST_CUE
    for cue in cue_table.SENTENCE_CUES:
        if cue.kind != "request" or (in_transcript and not cue.in_transcripts):
            continue
        match = cue.pattern.search(sentence)
        # "please" is the writer's own imperative even after "agreed" or "noted"; other cues may be reported.
        if match and (cue.name == "please, after a lead-in" or not _REPORTED.search(sentence, 0, match.start())):
            return "request", match, cue.name
    for pattern in _PROMISE_PATTERNS:
        match = pattern.search(sentence)
        if match and not _COUNTERFACTUAL.search(sentence, max(0, match.start() - 40), match.end() + 40):
            return "promise", match, _PROMISE_CUE
    for cue in cue_table.SENTENCE_CUES:
        if cue.kind != "promise" or (in_transcript and not cue.in_transcripts):
            continue
        match = cue.pattern.search(sentence)
        if match and not _COUNTERFACTUAL.search(sentence, max(0, match.start() - 40), match.end() + 40):
            return "promise", match, cue.name
    return None


def marker(sentence: str, in_transcript: bool = False) -> tuple[str, re.Match] | None:
    """('promise' | 'request', the words that make it one) for a sentence, or None."""
    found = cue_for(sentence, in_transcript)
    return (found[0], found[1]) if found else None


def classify(sentence: str, in_transcript: bool = False) -> str | None:
    """'promise', 'request' or None for one sentence (whitespace already collapsed)."""
    found = marker(_squash(sentence), in_transcript)
    return found[0] if found else None


def _candidates(text: str, start: int, end: int, on: date | None, anchors: dict, speaker: str | None,
                in_transcript: bool = False, taken: list[tuple[int, int]] = (),
                due_reference: date | None = None, date_order: str = "MDY") -> list[Candidate]:
    """Sentence by sentence; a sentence inside a span already proposed line by line (``taken``) is skipped."""
    spans = sentences(text, start, end)
    found: list[Candidate] = []
    index = 0
    while index < len(spans):
        a, b = spans[index]
        if any(a < y and x < b for x, y in taken):
            index += 1
            continue
        sentence = _squash(text[a:b])
        hit = cue_for(sentence, in_transcript)
        if hit and hit[2] == _REQUEST_CUE and sentence.endswith(":"):
            # 'We recommend the following:' — each numbered item below is one request.
            items, index = _list_items(text, spans, index + 1)
            for item_start, item_end in items:
                found.append(_candidate("request", text, item_start, item_end, on, anchors, speaker, None,
                                        cue=f"item under: {hit[2]}", due_reference=due_reference,
                                        date_order=date_order))
            continue
        if hit:
            found.append(_candidate(hit[0], text, a, b, on, anchors, speaker, hit[1], cue=hit[2],
                                    due_reference=due_reference, date_order=date_order))
        index += 1
    return found


# An item under an "Action items" heading is often a bare imperative: "Recirculate the letter to the list".
_IMPERATIVE = re.compile(rf"^(?:[^A-Za-z0-9\s(]{{1,3}}\s*|\(?\d{{1,2}}[.)]\s+)?(?:[A-Z][\w /&-]{{0,40}}:\s+)?"
                         rf"(?-i:(?=[A-Z][a-z]))(?:{_ACTION_VERBS}|resend|recirculate|add|combine|determine|forward|draft|"
                         rf"check|finali[sz]e|ask|invite|reach\s+out|upload|post|put|place|follow|identify|"
                         rf"circulate)(?=\s)", re.I)
# Archived lists flattened onto one line keep their bullets: "… response * Friday, 16 May: response submitted".
_INLINE_BULLET = re.compile(r"\s[*•]\s+(?=\S)")


def _inline_items(text: str, a: int, b: int) -> list[_Line]:
    cuts = [a] + [a + m.start() + 1 for m in _INLINE_BULLET.finditer(text[a:b])] + [b]
    return [_Line(text[x:y].strip(), x, y) for x, y in zip(cuts, cuts[1:]) if text[x:y].strip()]


# A line cut in the middle of a sentence ends with a hyphen, a comma or a word that needs the next one.
_WRAPPED_END = re.compile(r"(?:[‐‑-]|,|\b(?:the|of|and|to|a|an|in|for|with|at|by|on|or|from|that|is|are|be))$")
_HEADING_LIKE = re.compile(r"^[^.!?]{1,60}:$|^(?:[A-Z][\w’'&/-]*\s*){1,6}$")


def _line_candidates(text: str, start: int, end: int, on: date | None, anchors: dict,
                     due_reference: date | None = None, *, date_order: str = "MDY") -> list[Candidate]:
    """Action items, owner-first items and timeline lines: commitments written without a sentence around them."""
    lines = [segment for line in _lines(text, start, end) for a, b in sentences(text, line.start, line.end)
             for segment in _inline_items(text, a, b)]
    timeline_cues = {cue.name for cue in cue_table.LINE_CUES if cue.kind == "timeline"}
    timeline_lines = sum(1 for line in lines
                         if any(c.pattern.search(_squash(line.text)) for c in cue_table.LINE_CUES
                                if c.name in timeline_cues))
    found: list[Candidate] = []
    under_heading = False
    for position, line in enumerate(lines):
        body = _squash(line.text)
        before = lines[position - 1].text if position else ""
        if len(before) > 60 and text.count("\n", lines[position - 1].end, line.start) == 1 \
                and (_WRAPPED_END.search(before) or body[:1].islower()):
            continue  # a hard-wrapped sentence goes on: this line is not an item of its own
        if cue_table.ACTION_HEADING.match(body):
            under_heading = True
            continue
        if body.endswith("?") or cue_table.vetoed(body) or body.startswith("#"):
            continue  # questions, pointers and markdown headings ("## Day 1: 27 September") are no items
        hit = None
        for cue in cue_table.LINE_CUES:
            if cue.name in timeline_cues and timeline_lines < 2:
                continue
            if body.endswith(":") and cue.name not in timeline_cues and cue.name != "action line":
                continue  # "Timeline to ensure a timely submission:" introduces what follows
            match = cue.pattern.search(body)
            if match:
                hit = (cue, match)
                break
        if hit is not None:
            cue, match = hit
            groups = match.groupdict()
            item = groups.get("item") or body
            if len(item.split()) < 2:
                continue
            kind = cue.kind
            if kind == "owner":
                owner = groups.get("owner") or ""
                if cue.name == "action line" and not owner:
                    inner = re.match(r"(?P<owner>[^,:;]{1,60}?)\s+(?:is\s+|are\s+)?(?:to|will|encouraged\s+to)\s",
                                     item)
                    owner = inner.group("owner") if inner else ""
                kind = cue_table.owner_kind(owner, item)
            elif kind == "timeline":
                kind = "promise" if cue_table.TIMELINE_PROMISE.search(item) else "request"
            due_text = body[match.end("opened"):] if groups.get("opened") else body
            owner = groups.get("owner") or ""
            if cue.name == "action line" and not owner:
                inner = re.match(r"(?P<owner>[^,:;]{1,60}?)\s+(?:is\s+|are\s+)?(?:to|will)\s", item)
                owner = inner.group("owner") if inner else ""
            found.append(_candidate(kind, text, line.start, line.end, on, anchors, None, None, cue=cue.name,
                                    due_text=due_text, due_reference=due_reference, owner=owner,
                                    date_order=date_order))
            continue
        if under_heading:
            if _IMPERATIVE.match(body) and len(body.split()) >= 3:
                found.append(_candidate("promise", text, line.start, line.end, on, anchors, None, None,
                                        cue="item under an action-items heading", due_reference=due_reference,
                                        date_order=date_order))
            elif _HEADING_LIKE.match(body):
                under_heading = False
    return found


_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|\(?[a-h]\))\s+")
_BULLET = re.compile(r"^\s*(?:[·•▪◦‣∙*]|-)\s*")


def _list_items(text: str, spans: list[tuple[int, int]], index: int) -> tuple[list[tuple[int, int]], int]:
    """Numbered items after an introducing sentence; bullets under an item belong to it."""
    items: list[tuple[int, int]] = []
    numbered = any(_ITEM.match(text[a:b]) for a, b in spans[index:index + 3])
    while index < len(spans):
        a, b = spans[index]
        chunk = text[a:b]
        item = _ITEM.match(chunk) if numbered else _BULLET.match(chunk)
        if item:
            items.append((a + item.end(), b))
        elif numbered and _BULLET.match(chunk) and items:
            pass  # a sub-point of the item above
        elif items and numbered and not text[items[-1][1]:b].count("\n"):
            items[-1] = (items[-1][0], b)  # the item's sentence goes on
        else:
            break
        index += 1
    return items, index


def _candidate(kind: str, text: str, a: int, b: int, on: date | None, anchors: dict,
               speaker: str | None, hit: re.Match | None, *, cue: str = "", due_text: str | None = None,
               due_reference: date | None = None, owner: str = "", date_order: str = "MDY") -> Candidate:
    sentence = _squash(text[a:b])
    due = due_of(_squash(due_text) if due_text else sentence, on, anchors, due_reference, date_order=date_order)
    if not owner and hit is not None and "owner" in hit.re.groupindex:
        owner = hit.group("owner") or ""
    return Candidate(kind=kind, sentence=sentence, start=a, end=b, title=short_title(sentence, due, hit),
                     speaker=speaker, due=due, cue=cue, owner=_squash(owner).strip(" ,.:;"))


# "If I don't hear anything by Friday, we will …": the condition's deadline is not the commitment's.
_CONDITION = re.compile(r"^(?:if|unless|once|when|should)\b[^,]{3,160},\s*(?=\S)", re.I)
# "Ask the region whether the vote could start on 26 April": the date is what is asked about, not when to ask.
_ASKED_WHETHER = re.compile(r"\bwhether\b.*$", re.I | re.S)
# A due phrase that names its own calendar day ("3 June", "2031-06-03") means the same whatever the document's date.
_ABSOLUTE = re.compile(rf"{vocabulary.MONTH}|{vocabulary.YEAR}-[01]\d-[0-3]\d")


def due_of(sentence: str, on: date | None, anchors: dict | None = None,
           due_reference: date | None = None, *, date_order: str = "MDY") -> DueWindow | None:
    """The due window of a candidate's sentence, read against the document's date.

    Without a document date, only what needs no date is dated: calendar dates, read in the latest year the text
    mentions (``due_reference``, 1 January of that year, so "3 June" falls in it), and vague or unresolved
    dues ("at a later stage"); "today" or "next week" keep their phrase with no window rather than a guess.
    """
    text = _CONDITION.sub("", sentence) or sentence
    text = _ASKED_WHETHER.sub("", text) or text
    if on is not None:
        return parse_due(text, on, anchors or None, date_order=date_order)
    # "tomorrow, Tuesday 28 March": without the document's date only the written date can be read.
    text = _RELATIVE_BEFORE_DATE.sub("", text)
    due = parse_due(text, due_reference or _NO_DATE, anchors or None, date_order=date_order)
    if due is None:
        return None
    if due.precision in ("vague", "unresolved"):
        return due
    if due_reference is not None and _ABSOLUTE.search(due.phrase or ""):
        return due
    # A due that reads the same whatever the document's date ("on 3-Mar-2017", "by 5 May 2021") needs none.
    again = parse_due(text, _OTHER_NO_DATE, anchors or None, date_order=date_order)
    if again is not None and (again.latest, again.precision) == (due.latest, due.precision):
        return due if again.earliest == due.earliest else replace(due, earliest=due.latest)
    # "early next week" with no date to count from: the phrase is kept without a window, to be dated when staff
    # enter the day the message was written.
    return DueWindow(due.phrase, None, None, "vague")


_RELATIVE_BEFORE_DATE = re.compile(rf"\b(?:today|tomorrow|tonight|this\s+(?:coming\s+)?)\s*,?\s*(?={_WEEKDAY}{_DAY}\s+"
                                   rf"{vocabulary.MONTH}|{_WEEKDAY}{vocabulary.MONTH}\s+{_DAY})", re.I)
# Stands in for a missing document date where the result cannot depend on it (vague and unresolved dues).
_NO_DATE = date(2000, 1, 1)
_OTHER_NO_DATE = date(1980, 7, 1)


# --------------------------------------------------------------------------- dues the document states elsewhere

# "Next call: 11 January 2016", "- Next call\n11 January 2016 (scheduled)", "The next meeting will be held on
# 3 May": the document dates its own next meeting, so "by next call" in it means that day.
_NEXT_MEETING_STATED = re.compile(
    rf"\bnext\s+(?P<noun>{vocabulary.EVENT_NOUN})\b\s*(?:[:\-–]|(?:will\s+be\s+)?(?:held|scheduled)|will\s+be|is)?"
    rf"\s*(?:(?i:on|for)\s+)?", re.I)


def stated_next_meetings(text: str, on: date | None, date_order: str = "MDY") -> dict[str, tuple[date, date]]:
    """{"next call": (first day, last day)} for each next meeting the text dates right after naming it; the
    first statement of each kind wins (a later "next call" in quoted mail is an older one)."""
    stated: dict[str, tuple[date, date]] = {}
    for match in _NEXT_MEETING_STATED.finditer(text):
        key = "next " + " ".join(match["noun"].lower().split())
        if key in stated:
            continue
        mentions = find_dates(text[match.end():match.end() + 80], on, date_order=date_order)
        if mentions and mentions[0].start <= 2 and mentions[0].precision in ("day", "window") \
                and (on is None or mentions[0].earliest >= on):
            stated[key] = (mentions[0].earliest, mentions[0].latest)
    return stated


# "Deadline to respond to this call is tomorrow, Tuesday 28 March.", "Call for volunteers: closes 28 March",
# "Tuesday, January 5, 2021: Close of the nomination period": a deadline stated on its own, for what the
# requests around it ask.
_DEADLINE_STATEMENT = re.compile(r"^(?:[-•*·]\s*)?(?:the\s+)?(?:deadline|closing\s+date|cut-?off)\b|\bcloses?\b"
                                 r"|\bclose\s+of\s+(?:the\s+)?", re.I)
_CONTENT_WORD = re.compile(r"[a-z]{5,}")


def _stem(word: str) -> str:
    return word[:6]


_SAME_DATE = re.compile(r"\b(?:on|by)\s+the\s+same\s+(?:date|day)\b", re.I)


def read_same_date(text: str, candidates: list["Candidate"], on: date | None, date_order: str = "MDY") -> None:
    """"On the same date the Boards will …": the due is the last date written before the sentence."""
    for candidate in candidates:
        same = _SAME_DATE.search(candidate.sentence)
        if candidate.due is not None or same is None:
            continue
        before = text[max(0, candidate.start - 400):candidate.start]
        mentions = [m for m in find_dates(before, on, date_order=date_order) if m.precision == "day"]
        if mentions:
            day = mentions[-1].latest
            candidate.due = DueWindow(same.group(), day, day, "day")


def borrow_stated_deadlines(text: str, candidates: list["Candidate"]) -> None:
    """Give a request with no due the deadline the document states for it elsewhere.

    A deadline statement in the same paragraph applies to the requests there ("Deadline to respond is 28 March.
    Please send an email if you plan to participate."); one anywhere in the document applies to a request that
    names what it closes ("Close of the nomination period" → "Nominations should be sent to …").  Only requests
    borrow: a promise's due is its writer's, never a call's closing date.
    """
    statements = [c for c in candidates if c.due is not None and c.due.precision == "day"
                  and _DEADLINE_STATEMENT.search(c.sentence)]
    if not statements:
        return
    for candidate in candidates:
        if candidate.due is not None or candidate.kind != "request" or candidate in statements:
            continue
        words = {_stem(w) for w in _CONTENT_WORD.findall(candidate.sentence.lower())}
        for statement in statements:
            low, high = sorted((statement.end, candidate.start)) if statement.start < candidate.start \
                else sorted((candidate.end, statement.start))
            same_paragraph = not re.search(r"\n[ \t]*\n", text[low:high])
            closes = _DEADLINE_STATEMENT.search(statement.sentence)
            named = {_stem(w) for w in _CONTENT_WORD.findall(statement.sentence[closes.end():].lower())}
            if same_paragraph or (named & words):
                candidate.due = statement.due
                break


def latest_date_in(text: str) -> date | None:
    """1 January of the latest year of a full date in the text: where an undated message's calendar dates fall."""
    years = _years_written(text)
    return date(max(years), 1, 1) if years else None


_FILLER = re.compile(r"\b(?:you\s+know|I\s+believe|I\s+think|certainly|actually|again|further|hopefully),?\s*",
                     re.I)
_PARTICIPLES = {"published": "publish", "posted": "post", "provided": "provide", "released": "release",
                "made": "make", "circulated": "circulate", "sent": "send", "shared": "share",
                "delivered": "deliver", "completed": "complete", "issued": "issue", "available": "make available",
                "presented": "present", "distributed": "distribute", "submitted": "submit"}


def short_title(sentence: str, due: DueWindow | None = None, hit: re.Match | None = None) -> str:
    """What is promised or asked, without the lead-in and the due phrase: 'Publish a Concept of Operations…'."""
    text = sentence
    passive = re.search(r"(?P<subject>[^,;]+?)\s+will\s+be\s+(?P<verb>\w+)", text)
    if passive and not re.search(r"\b(?:we|i)\b", passive.group("subject"), re.I) \
            and passive.group("verb").lower() in _PARTICIPLES:
        subject = re.sub(r"^(?:and|so|but)\s+", "", passive.group("subject").strip(), flags=re.I)
        subject = subject[:1].lower() + subject[1:]
        text = f"{_PARTICIPLES[passive.group('verb').lower()]} {subject}{text[passive.end():]}"
    elif hit is not None and hit.end() < len(text) - 10:
        text = text[hit.end():]
    else:
        subjunctive = re.search(r"\b(?:ICANN|the\s+Board|staff)\s+(?=[a-z])", text)
        if subjunctive:  # 'ICANN extend the comment periods by 15 days'
            text = text[subjunctive.end():]
    if due and due.phrase:
        text = text.replace(due.phrase, "")
    text = _FILLER.sub("", text)
    text = re.sub(r"^(?:(?:to|that|you\s+to|you|is\s+to)\s+)+(?:ICANN\s+)?", "", text.strip(" ,.;:-–"), flags=re.I)
    text = _squash(text).strip(" ,.;:")
    words = text.split()
    if len(words) > 14:
        text = " ".join(words[:14]).rstrip(",;") + "…"
    return (text[:1].upper() + text[1:])[:300] or sentence[:300]


# --------------------------------------------------------------------------- transcripts


def extract_transcript(text: str, known: Known = Known(), reference_date: date | None = None, *,
                       date_order: str = "MDY") -> Extraction:
    """'Name: text' turns: the speakers, and what each promised or asked."""
    result = Extraction(kind="transcript", date=reference_date)
    found = _title_date(text) or parse_date_text(text[:1500])
    if found:
        result.date, result.date_precision = found
    on = result.date or reference_date
    due_reference = None if on else latest_date_in(text)
    anchors = {**stated_next_meetings(text, on, date_order), **known.anchors}
    by_line = _line_candidates(text, 0, len(text), on, anchors, due_reference, date_order=date_order)
    taken = [(c.start, c.end) for c in by_line]
    result.candidates.extend(by_line)
    turns = list(_TURN.finditer(text))
    seen: dict[str, Participant] = {}
    for position, turn in enumerate(turns):
        name = turn.group("name").strip()
        turn_end = turns[position + 1].start() if position + 1 < len(turns) else len(text)
        if name not in seen:
            participant = _person_participant(name, "speaker", known, on) or Participant("speaker", name=name)
            if re.fullmatch(r"unknown\s+(?:male|female|speaker)", name, re.I):
                participant.person_id = None
            seen[name] = participant
        result.candidates.extend(_candidates(text, turn.end(), turn_end, on, anchors, speaker=name,
                                             in_transcript=True, taken=taken, due_reference=due_reference,
                                             date_order=date_order))
    result.candidates.sort(key=lambda c: c.start)
    read_same_date(text, result.candidates, on, date_order)
    borrow_stated_deadlines(text, result.candidates)
    result.speakers = list(seen.values())
    result.subject = "Transcript" + (f", {result.date:%d %B %Y}" if result.date else "")
    return result


def with_speaker_ids(extraction: Extraction) -> dict[str, Participant]:
    """Speaker name as written → its participant (matched person, party)."""
    return {s.name: s for s in extraction.speakers}


def as_dict(extraction: Extraction) -> dict:
    """JSON-ready view of an extraction (for --json and the review payload)."""
    def window(due: DueWindow | None):
        if due is None:
            return None
        return {"phrase": due.phrase, "earliest": due.earliest.isoformat() if due.earliest else None,
                "latest": due.latest.isoformat() if due.latest else None, "precision": due.precision,
                "anchor": due.anchor}

    def person(p: Participant):
        return {"role": p.role, "name": p.name, "title": p.title, "party": p.party_name,
                "person_id": p.person_id, "party_id": p.party_id}

    return {
        "kind": extraction.kind,
        "date": extraction.date.isoformat() if extraction.date else None,
        "date_precision": extraction.date_precision,
        "subject": extraction.subject,
        "direction": extraction.direction,
        "authors": [person(p) for p in extraction.authors],
        "recipients": [person(p) for p in extraction.recipients],
        "speakers": [person(p) for p in extraction.speakers],
        "reply_to": None if extraction.reply_to is None else {
            "phrase": extraction.reply_to.phrase, "date": extraction.reply_to.on.isoformat(),
            "precision": extraction.reply_to.precision, "letter_id": extraction.reply_to.letter_id},
        "candidates": [{"kind": c.kind, "title": c.title, "sentence": c.sentence, "start": c.start, "end": c.end,
                        "speaker": c.speaker, "due": window(c.due), "cue": c.cue, "owner": c.owner}
                       for c in extraction.candidates],
        "warnings": list(extraction.warnings),
    }


# --------------------------------------------------------------------------- meeting notes and minutes

# The words that make a document the record of a meeting rather than a letter about one.
_NOTES_WORDS = re.compile(r"\b(?:minutes|notes|action\s+items?|actions\s+arising|action\s+list|meeting\s+summary|"
                          r"summary\s+of\s+the\s+(?:meeting|call))\b", re.I)
# The opening of a notes email: "Please find below the notes from today's meeting".
_NOTES_OPENING = re.compile(r"\b(?:find|attached|below|here\s+are)\b[^.\n]{0,60}?" + _NOTES_WORDS.pattern, re.I)
_ATTENDEE_HEADING = re.compile(r"^[ \t#*]*(?:[A-Z][\w.-]*\s+){0,3}?(?P<label>attendees|attendance|participants|present|"
                               r"staff|in\s+attendance)\s*:[ \t]*(?P<rest>[^\n]*)$", re.I | re.M)
_LIST_ITEM = re.compile(r"^\s*(?:[·•▪◦‣∙*-]|\d{1,2}[.)])\s*")


@dataclass(frozen=True)
class NotesReading:
    """Why a document reads as the notes or minutes of a meeting (each a reason shown to staff)."""
    titled_as_notes: bool = False   # "Minutes of …", "Action items of …", "Please find below the notes …"
    action_items: bool = False      # an "Action items" section, or items given to a named owner
    speaker_turns: bool = False     # "Name: text" turns
    attendance: bool = False        # an "Attendees:" / "Participants:" / "Present:" block

    @property
    def is_notes(self) -> bool:
        # The title alone is not enough ("Comments on the meeting notes"), nor are owners alone (a letter
        # listing who does what): the record of a meeting says so, or lists who attended, and one more sign
        # agrees (its actions, its turns, its attendance).
        signals = (self.titled_as_notes, self.action_items, self.speaker_turns, self.attendance)
        return (self.titled_as_notes or self.attendance) and sum(signals) >= 2

    @property
    def reasons_if_notes(self) -> list[str]:
        """The reasons to show staff when the document reads as notes; none otherwise."""
        return self.reasons if self.is_notes else []

    @property
    def reasons(self) -> list[str]:
        return [reason for present, reason in ((self.titled_as_notes, "its title says notes or minutes"),
                                               (self.action_items, "it has action items with owners"),
                                               (self.speaker_turns, "it has speaker turns"),
                                               (self.attendance, "it lists who attended")) if present]


def reads_as_notes(text: str, extraction: Extraction) -> NotesReading:
    """Notes or minutes of a meeting, decided from the title words, the action items and the speaker turns."""
    opening = text[:600]
    titled = _notes_title_line(text) is not None or bool(_NOTES_OPENING.search(opening)) \
        or bool(_NOTES_WORDS.search(extraction.subject) and not extraction.subject.startswith("Letter from"))
    owned = [c for c in extraction.candidates if c.owner]
    headed = any(cue_table.ACTION_HEADING.match(_squash(line.text)) for line in _lines(text))
    return NotesReading(titled_as_notes=titled, action_items=headed or len(owned) >= 2,
                        speaker_turns=extraction.kind == "transcript",
                        attendance=bool(_ATTENDEE_HEADING.search(text[:3000])))


# A title, not a sentence: "Minutes of the … Meeting", "Meeting of the ARIN Advisory Council", "Notes 18 December".
_NOT_A_TITLE = re.compile(r"^(?:item\b|please\b|dear\b|\d{1,2}[.)]\s|(?:action(?:\s+items?)?|AI|to\s*do)\s*:)|\.\s|:$|"
                          r"\b(?:have|has|are|is|was|were|been|will)\b", re.I)
_MEETING_TITLE = re.compile(r"^[#*\s]*meeting\s+of\s+the\b|\bmeeting\s+summary\b", re.I)


def _notes_title_line(text: str) -> _Line | None:
    for line in _lines(text, 0, min(len(text), 600))[:4]:
        if (_NOTES_WORDS.search(line.text) or _MEETING_TITLE.search(line.text)) and len(line.text) <= 160 \
                and not line.text.endswith(".") and not _NOT_A_TITLE.search(line.text):
            return line
    return None


_TITLE_LEAD = re.compile(r"^[#*\s]*(?:(?:draft\s+)?(?:(?:minutes|notes|action\s+items?|actions|summary)(?:\s*(?:and|&)\s*)?)+"
                         r"\s*(?:of|from|for|arising\s+from)?\s*[:–-]?\s*(?:the\s+)?)?", re.I)


def notes_meeting(text: str, extraction: Extraction) -> tuple[str, date | None]:
    """The meeting a notes document records: a title (from its title line, without "Minutes of") and its date
    (the title's date, else the document's)."""
    found = _title_date(text)
    day = found[0] if found else extraction.date
    line = _notes_title_line(text)
    title = line.text if line is not None else ""
    if not title:
        opening = _NOTES_OPENING.search(text[:600])
        sentence = re.search(r"\b(?:the|today['’]s)\s+(?P<meeting>[^.\n]{0,80}?(?:meeting|call|session|"
                             r"teleconference))", text[opening.end():opening.end() + 200]) if opening else None
        title = sentence.group("meeting") if sentence else ""
        if day is None and opening:
            # "the action items arising from the GNSO Council meeting on 5 September 2013"
            written = parse_date_text(text[opening.start():opening.end() + 200].split("\n")[0])
            day = written[0] if written and written[1] == "day" else None
    title = _TITLE_LEAD.sub("", title.strip()).strip(" :-–#*") or title.strip(" #*")
    if title[:1].islower():
        title = title[0].upper() + title[1:]
    return (title or "Meeting")[:300], day


def attendees_in(text: str, known: Known = Known(), on: date | None = None) -> list[Participant]:
    """The people an "Attendees:" / "Participants:" / "Present:" / "Staff:" block lists, inline or one a line
    ("Dan Alexander, Vice Chair (DA)"); known people are matched."""
    found: dict[str, Participant] = {}
    for heading in _ATTENDEE_HEADING.finditer(text[:20000]):
        rest = heading["rest"].strip()
        entries = [e for e in re.split(r"[,;]", rest) if e.strip()] if rest else []
        if not rest:
            for line in _lines(text, heading.end(), min(len(text), heading.end() + 3000)):
                if not _LIST_ITEM.match(line.text) and entries:
                    break
                if not _LIST_ITEM.match(line.text):
                    if entries or len(line.text) > 60:
                        break
                entries.append(_LIST_ITEM.sub("", line.text).split(",")[0])
        for entry in entries:
            name = re.sub(r"\s*\([^)]*\)\s*$", "", entry).strip(" .")
            if not name or len(name) > 60 or re.search(r"[\d@:/]", name):
                continue
            participant = _person_participant(name, "attendee", known, on)
            if participant is not None and participant.name not in found:
                found[participant.name] = participant
    return list(found.values())


__all__ = ["Candidate", "Extraction", "Known", "KnownLetter", "KnownParty", "KnownPerson", "KnownRole",
           "Participant", "ReplyReference", "as_dict", "classify", "marker", "extract", "extract_letter",
           "extract_transcript", "is_transcript", "NotesReading", "reads_as_notes", "notes_meeting", "attendees_in", "name_words", "parse_date_text", "reply_reference_dates", "replace", "sentences", "short_title"]
