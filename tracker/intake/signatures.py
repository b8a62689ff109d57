"""Who signs and whom a letter or email addresses, read from sign-offs, salutations and mail headers.

Pure text functions; extract.py matches what they find against known people. The rules, as a staffer reads them:

* a **sign-off** ("Best regards,", "Thanks,", "Thank you and kind regards," — or any short line ending in a comma
  right above a block of names) is followed by the signers: one name per line, "Name, Title" or "Name – Title",
  several names on one line joined by "and", a first name alone right under the sign-off; "Best regards, Ana Ruiz"
  carries the name on the same line;
* a **salutation** ("Dear …", "Hi …", "Hello …", and their Spanish and French forms) names the recipients; "all",
  "colleagues" and the like name nobody;
* an email's ``From:`` sender signs when no one else does ("Ana Ruiz via Council-list" is Ana Ruiz); its ``To:``
  list names the recipients (a list address by its name: "council-members@…" is "council members").

Headings ("Proposed Agenda", "Status Updates") look like names; the words in ``HEADING_WORDS`` tell them apart.
"""
from __future__ import annotations

import re

SIGN_OFF = re.compile(
    # Longer forms first: "best regards" must not stop at "best".
    r"^[ \t]*(?:(?:thank\s+you|thanks|many\s+thanks|cheers|kind\s+regards|warm\s+regards|"
    r"best\s+regards|warmest\s+regards|best\s+wishes|all\s+the\s+best|best|regards|sincerely\s+yours|sincerely|"
    r"yours\s+(?:sincerely|truly|faithfully|respectfully)|respectfully|cordially|warmly|with\s+(?:best|kind)\s+"
    r"regards|saludos(?:\s+cordiales)?|un\s+saludo|atentamente|cordialement|bien\s+cordialement|"
    r"met\s+vriendelijke\s+groet(?:en)?|mit\s+freundlichen\s+gr[üu](?:ß|ss)en)"
    r"(?:\s+(?:and|&)\s+(?:kind|best|warm)\s+regards)?(?:\s+again)?)"
    r"[ \t]*(?:[,.!:;]|-+|–|—)*[ \t]*(?P<rest>[^\n]*)$", re.I | re.M)
SALUTATION = re.compile(
    r"^[ \t]*(?:Dear|Hi|Hello|Hey|Greetings|Hola|Estimad[oa]s?|Queridos?|Bonjour|Ch[eè]re?s?)\b[ \t,]*"
    r"(?P<names>[^\n]{0,120}?)[ \t]*[,:;!–—-]*[ \t]*$", re.M | re.I)
# Words that occur in headings, list names and sentences, never in a person's name.
HEADING_WORDS = {
    "agenda", "updates", "update", "details", "statement", "statements", "funding", "items", "item", "report",
    "minutes", "notes", "summary", "meeting", "call", "timeline", "review", "travel", "policy", "recommendation",
    "recommendations", "action", "actions", "background", "next", "steps", "status", "consensus", "nomination",
    "nominations", "process", "criteria", "membership", "proposed", "draft", "discussion", "introduction",
    "conclusion", "overview", "attachment", "attachments", "annex", "appendix", "page", "section", "resolution",
    "motion", "comments", "questions", "answers", "vote", "schedule", "purpose", "scope", "documents", "links",
    "materials", "subject", "date", "from", "sent", "to", "cc", "re", "fw", "fwd", "the", "this", "that",
    "please", "thank", "thanks", "regards", "dear", "hi", "hello", "all", "estimados", "miembros", "original",
    "message", "forwarded", "wrote", "on", "behalf", "of", "via", "and",
}
_GENERIC_ADDRESSEES = re.compile(r"\b(?:all|everyone|everybody|coll?ea?gues|friends|sirs?|madam|folks|"
                                 r"there|todos|tous)\b", re.I)
# Writing to the members of a body is writing to the body: "Dear members of the Council" → "Council".
_MEMBERS_OF = re.compile(r"^(?:(?:the\s+)?members\s+of\s+(?:the\s+)?)|\s+(?:members|list\s+members|councill?ors)$",
                         re.I)
_BODY_WORD = re.compile(r"\b(?:council|committee|group|team|board|list|community|members|wg)\b", re.I)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w’'.-]*|van|de|der|von|da|di|du|le|la|del|dos|bin|al|MJ)$")
_STOP = re.compile(r"^(?:From|Sent|To|Cc|Date|Subject)\s*:|^-{2,}|^_{3,}|^On\s.+wrote:?$|^>|^\[|wrote:$", re.I)


def looks_like_person(text: str, single_word: bool = False) -> bool:
    """'Ana Ruiz', 'Hans van der Berg', 'Joke' (single_word); not 'Status Updates', 'Proposed Agenda', prose."""
    words = text.strip(" ,.;:–—-").split()
    if not words or len(words) > 5 or len(text) > 50 or re.search(r"[\d@/()“”\"<>|]", text):
        return False
    if len(words) == 1 and not (single_word and len(words[0]) > 2):
        return False
    if any(w.lower().strip(",.") in HEADING_WORDS for w in words):
        return False
    return all(_NAME_WORD.match(w) for w in words) and words[0][0].isupper()


def _name_and_title(line: str) -> tuple[str, str]:
    parts = re.split(r"\s*,\s+|\s+[–—-]\s+|\s*\|\s*", line.strip(), maxsplit=1)
    return (parts[0].strip(), parts[1].strip() if len(parts) > 1 else "")


def _names_on_line(line: str, single_word: bool) -> list[tuple[str, str]]:
    name, title = _name_and_title(line)
    pieces = [p.strip() for p in re.split(r"\s+(?:and|&)\s+|\s*\+\s*", name) if p.strip()]
    if len(pieces) > 1 and all(looks_like_person(p, single_word=True) for p in pieces):
        return [(p, title) for p in pieces]
    if looks_like_person(name, single_word):
        return [(name, title)]
    return []


_TITLE_LINE = re.compile(r"\b(?:chair|co-chair|vice|ceo|president|director|secretary|manager|officer|head|"
                         r"counsel|member|liaison|executive|coordinator|staff|secretariat|council|committee|"
                         r"board|general|senior|chief|lead|representative|advisor|adviser|treasurer)\b", re.I)


def _block_after(lines: list[str], index: int) -> list[tuple[str, str]]:
    """Signers on the lines after a sign-off at ``index``: names, each with the title line under it."""
    found: list[tuple[str, str]] = []
    for position, line in enumerate(lines[index + 1:index + 9]):
        if not line.strip():
            continue
        if _STOP.search(line.strip()):
            break
        names = _names_on_line(line, single_word=not found)
        if names:
            found += names
            continue
        if found and _TITLE_LINE.search(line) and len(line.split()) <= 10 and not found[-1][1] \
                and not any(w.lower() in HEADING_WORDS for w in line.split()):
            found[-1] = (found[-1][0], line.strip())
            continue
        break
    return found


def signatories(text: str) -> list[tuple[str, str]]:
    """(name, title) of everyone who signs, in order: after each sign-off, or in the closing block of names."""
    lines = text.splitlines()
    found: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or len(stripped.split()) > 9:
            continue
        sign_off = SIGN_OFF.match(stripped)
        if sign_off:
            rest = sign_off.group("rest").strip()
            if rest:
                found += _names_on_line(rest, single_word=True)
                continue
            found += _block_after(lines, index)
    for index, line in enumerate(lines):
        stripped = line.strip()
        sign_off = SIGN_OFF.match(stripped)
        if not stripped.endswith(",") or SALUTATION.match(stripped) or (sign_off and not sign_off.group("rest")):
            continue
        block = _block_after(lines, index)
        if not block:
            continue
        # A closing line ("We thank you for your consideration,", "Agreed, happy to help,") over the names that
        # end the message, or end it above a quoted one.
        after = [line.strip() for line in lines[index + 1:] if line.strip()][len(block):]
        if not after or _STOP.search(after[0]) or not any(len(line.split()) > 9 for line in after):
            found += block
    unique: list[tuple[str, str]] = []
    for name, title in found:
        if not any(name.lower() == n.lower() for n, _ in unique):
            unique.append((name, title))
    # "Julie" over "Julie Hedlund, Policy Director" is one person: keep the full name.
    return [(name, title) for name, title in unique
            if not (" " not in name and any(n.lower().startswith(name.lower() + " ") for n, _ in unique))]


# "Dear council colleagues,after the meeting …": archives sometimes lose the line break after the greeting.
_GREETING_RUN_ON = re.compile(r"^[ \t]*(?:Dear|Hi|Hello)\s+(?P<names>[^,\n]{1,60}),(?=\S)", re.M)


def salutation_names(text: str) -> list[str]:
    """The people or bodies a salutation addresses ('Dear Ana and Tom,' → ['Ana', 'Tom']), first salutation only."""
    greetings = sorted([m for m in SALUTATION.finditer(text) if len(m.group(0).split()) <= 10]
                       + list(_GREETING_RUN_ON.finditer(text)), key=lambda m: m.start())
    for match in greetings:
        names = _GENERIC_ADDRESSEES.sub("", match.group("names"))
        found = []
        for token in re.split(r",|\band\b|&|/|;", names):
            token = token.strip(" –—-:.!")
            if token and len(token) > 2 and not re.search(r"[\d@]", token) and len(token.split()) <= 6 \
                    and (token[0].isupper() or _BODY_WORD.search(token)):
                found.append(addressed_body(token))
        return found
    return []


_THANKS_NAME = re.compile(r"^\s*(?:thanks|thank\s+you)\s+(?P<name>[A-ZÀ-Þ][\w’'-]+)\s*[,!.–—-]", re.I)


def thanked_names(text: str) -> list[str]:
    """A reply that opens by thanking someone ('Thanks Ana, agreed …') is addressed to them."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    match = _THANKS_NAME.match(first)
    return [match["name"]] if match and match["name"][0].isupper() else []


_QUOTE_START = re.compile(r"^[ \t]*(?:-{2,}\s*(?:Original|Forwarded)[^\n]*|From:\s.*|On\s.+wrote\s*:?|"
                          r"(?:19|20)\d\d/\d{1,2}/\d{1,2}\s.+<[^>]+>)[ \t]*$", re.M | re.I)


def quoted_part_start(text: str, after: int = 0) -> int:
    """Where a quoted or forwarded message begins below the writer's own text (or the end of the text)."""
    match = _QUOTE_START.search(text, after)
    return match.start() if match else len(text)


_LETTER_TO = re.compile(r"\bletter\s+to\s+(?P<name>[A-ZÀ-Þ][\w’'-]+(?:\s+[A-ZÀ-Þ][\w’'-]+){1,3})")


def titled_addressee(text: str) -> list[str]:
    """A document titled 'Letter to Ana Ruiz (Council)' is addressed to Ana Ruiz."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    match = _LETTER_TO.search(first) if len(first.split()) <= 12 else None
    return [match["name"]] if match else []


def addressed_body(token: str) -> str:
    """'members of the ccNSO Council' → 'ccNSO Council'; 'council members' → 'Council'; a name stays as it is."""
    body = _MEMBERS_OF.sub("", token.strip()).strip() or token.strip()
    return body[:1].upper() + body[1:]


# "Dear all," / "All" / "Hi everyone": written to everyone on a group's list, naming no one.
_EVERYONE = re.compile(r"^\s*(?:(?:dear|hi|hello|greetings),?\s+)?(?:all|everyone|everybody|colleagues)\s*[,:!.]?\s*$",
                       re.I | re.M)
# The group whose meeting notes, minutes or agenda these are: "notes and actions from RDS PDP WG meeting",
# "Draft Agenda ccNSO Council Meeting", "the next meeting of the CWG". Each word of the name is written with a
# capital (an acronym or a proper name), so "today's call" names no group.
_GROUP_WORD = r"[A-Za-z][\w-]*[A-Z][\w-]*|[A-Z][\w-]*"
_GROUP = rf"(?P<group>(?:(?:{_GROUP_WORD})\s+){{0,4}}(?:{_GROUP_WORD}))"
_GROUP_OF_NOTES = (
    re.compile(rf"\b(?i:notes|minutes|actions|action\s+items|agenda|summary)\s+(?:(?i:and)\s+(?:\w+\s+){{1,2}})?"
               rf"(?i:from|of|for)\s+(?:(?i:the|today'?s|this\s+week'?s)\s+)?{_GROUP}\s+"
               rf"(?i:meeting|call|teleconference|session)\b"),
    re.compile(rf"^\s*(?i:draft\s+)?(?i:agenda|minutes|notes)\s*[:\-–]?\s*{_GROUP}\s+(?i:meeting|call)\b", re.M),
    re.compile(rf"\b(?i:meeting|call)\s+of\s+the\s+{_GROUP}\b"),
)
# Words that name a kind of group, not one: "the WG call" is every working group's.
_NOT_A_GROUP = re.compile(r"^(?:WG|Council|Committee|Team|Group|Board|Staff|UTC|Notes|Minutes)$", re.I)


def group_of_notes(text: str) -> str:
    """The group a notes, minutes or agenda message written to "all" goes to: the group whose meeting it is.
    '' when the message names someone, or no group."""
    head = text[:3000]
    if not _EVERYONE.search(head[:400]):
        return ""
    for pattern in _GROUP_OF_NOTES:
        for match in pattern.finditer(head):
            group = " ".join(match["group"].split())
            if not _NOT_A_GROUP.match(group):
                return group
    return ""


def list_of_subject(subject: str) -> str:
    """The mailing list a subject's tag names: '[council] Motion' → 'council' (the addressee when none is named)."""
    tag = re.match(r"^\s*(?:(?:re|fwd?|aw)\s*:\s*)*\[(?P<list>[\w .-]{2,40})\]", subject, re.I)
    return re.sub(r"[-_.]+", " ", tag.group("list")).strip() if tag else ""


def sender_name(value: str) -> str:
    """The sender of a From: value: 'Ana Ruiz via Council-list <x@y>' → 'Ana Ruiz'; an address alone → ''."""
    value = re.sub(r"<[^>]*>|\([^)]*\)", "", value)
    value = re.sub(r"^.*\bOn\s+Behalf\s+Of\s+", "", value, flags=re.I)
    value = re.sub(r"\s+via\s+.*$", "", value, flags=re.I)
    value = value.strip().strip('"').strip()
    if "@" in value or re.search(r"\s+at\s+\S+\.\w+$", value):
        return ""
    return value


def addressee_names(value: str) -> list[str]:
    """Names in a To: value; a list address by its name ('council-members@x.org' → 'council members')."""
    names = []
    for part in re.split(r"[;,](?![^<]*>)", value):
        part = part.strip()
        if not part:
            continue
        shown = re.sub(r"<[^>]*>", "", part).strip().strip('"').strip()
        if shown and "@" not in shown and not re.search(r"\s+at\s+\S+\.\w+", shown):
            names.append(re.sub(r"\s+List$", "", shown))
            continue
        address = re.search(r"([\w.+-]+)(?:@|\s+at\s+)[\w.-]+\.\w+", part)
        if address and re.search(r"[-_.]", address.group(1)):
            names.append(re.sub(r"[-_.]+", " ", address.group(1)))
    return names
