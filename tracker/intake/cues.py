"""The cues that make a line or a sentence a candidate commitment, as data a newcomer can read and extend.

Each :class:`Cue` has a name (shown to staff beside the candidate, so they see *why* it was proposed), the kind it
proposes, a pattern, and examples — sentences it must fire on, which are also its unit tests
(tests/intake/test_cues.py). Adding a construction means adding one cue with its examples.

Three tables:

* ``LINE_CUES`` read one line of notes, minutes, action lists or timelines, where a commitment is written without a
  sentence around it ("Staff to recirculate the call", "AI: Chair will follow up", "12 May: comments due").
* ``SENTENCE_CUES`` read a sentence anywhere: formal requests, "please" after a lead-in, third-person undertakings
  of a named person, future passives, reported undertakings, nominal deadlines.
* ``NOT_COMMITMENTS`` veto a sentence whatever fired: pointers ("please find attached"), courtesy, hypotheticals.

Patterns are matched on whitespace-collapsed text. The kind of an owner-first item depends on who the owner is:
owners among the readers ("all", "councillors", "members", "everyone", "team leaders") make it a request.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.duedates import vocabulary


@dataclass(frozen=True)
class Cue:
    name: str
    kind: str  # promise | request | owner (decided by the owner group, see owner_kind)
    pattern: re.Pattern
    examples: tuple[str, ...]
    # False for constructions that in a verbatim transcript are mostly talk ("we appreciate that", "it will be
    # done" said of others): there they propose too much to be worth reviewing.
    in_transcripts: bool = True


def _re(pattern: str, flags: int = re.I) -> re.Pattern:
    return re.compile(pattern, flags)


# Months, weekdays and days in the grammar's vocabulary (tracker.duedates.vocabulary).
_MONTH = vocabulary.MONTH
_WEEKDAY = rf"(?:{vocabulary.WEEKDAY},?\s+)"
_DAY = vocabulary.DAY_AFTER_DASH
# A calendar day as a timeline writes it: "Friday, 9 May", "June 3, 2024", "2024-06-03".
TIMELINE_DATE = (rf"(?:{_WEEKDAY}?(?:{_DAY}\s+{_MONTH}|{_MONTH}\s+{_DAY})(?:,?\s+(?:19|20)\d\d)?"
                 rf"|(?:19|20)\d\d-[01]\d-[0-3]\d)")
_SPAN = rf"{TIMELINE_DATE}(?:\s*(?:[–—-]|to|until)\s*{TIMELINE_DATE}|\s*[–—-]\s*{_DAY})?"
# A list marker or an "Action"/"AI" label in front of an item.
# (Any symbol: archives turn bullets into "ˇ", "·", "β€Ά" and the like.)
_LEAD = r"^(?:[^A-Za-z0-9\s(]{1,3}\s*|\(?\d{1,2}[.)]\s+|\(?[a-h]\)\s+)?"
# Who an item is given to: a name, a body, "Staff", several names joined by "and", "/", "+" or ",".
# Words that start a sentence with "… to <verb>" without naming anyone ("Have to deal with it", "Just to say").
_NOT_OWNER = (r"(?!(?:Just|Have|Has|Had|Need|Needs|Want|Wants|Going|Able|Nice|Happy|Good|Hard|Easy|Time|Due|Up|Back|"
              r"Here|There|This|That|It|So|And|But|Also|Only|Difficult|Important|Likely|Used|Ought|Trying|Try|Seems?|"
              r"Plans?|Decided|According|Thanks|Thank|Welcome|Similar|Prior|Next|In|On|As|Or|Not|Is|Are|Was|Were|"
              r"Hoping|Glad|Sorry|Pleased|Agreed|Invited|Asked|Failure|Ready|Willing|Yes|No|Well|Now|Then)\b)")
# (Body names may start in lower case: "ccNSO Chair", "gTLD registries".)
_OWNER = (rf"{_NOT_OWNER}(?:(?:The|the)\s+)?(?:[a-z]{{0,3}}[A-Z][\w’'.&/+-]*|staff|all|everyone)"
          r"(?:(?:\s+|\s*[,/+&]\s*|\s+and\s+)(?:[a-z]{0,3}[A-Z][\w’'.&/+-]*|of|the|leadership|leaders|members|chairs?|"
          r"team|group|council|staff|secretariat|coordinators|managers)){0,6}")
# A verb in the base form follows "to" ("to verb", "is to verb"); "to the", "to be able" are something else.
_NOT_VERB = (r"(?!the\b|a\b|an\b|this\b|that\b|these\b|its\b|their\b|his\b|her\b|our\b|be\s+able\b|date\b|"
             r"\d)")

# Owners among the readers of the notes: an item given to them is a request; any other owner, a promise.
READER_OWNERS = _re(r"^(?:the\s+)?(?:all|everyone|every\s*one|councill?ors?|members?|participants|"
                    r"(?:wg|working\s+group|council|team)\s+members|team\s+leaders|volunteers|"
                    r"(?:the\s+)?(?:sgs?|stakeholder\s+groups?|constituencies))\b")
_READER_TAG = _re(r"\((?:all|everyone|councill?ors|members)\)\s*\.?$")


def owner_kind(owner: str, item: str = "") -> str:
    """'request' when the owner (or a trailing '(all)' tag) is the readers, else 'promise'."""
    if READER_OWNERS.match(owner.strip()) or _READER_TAG.search(item) or READER_OWNERS.match(item.strip()):
        return "request"
    return "promise"


# --------------------------------------------------------------------------- lines

ACTION_LABEL = _re(rf"{_LEAD}(?:AI|Action(?:\s+items?)?|To\s*do)(?:\s+(?P<owner>[\w.’' +/&-]{{1,40}}?))?\s*[:–]"
                   rf"\s*(?P<item>\S.*)$")
# "Action items:" standing alone: the lines under it are items however they are written.
ACTION_HEADING = _re(r"^(?:[^\w\s(]{1,2}\s*)?(?:(?:summary\s+of\s+)?action\s+items?|actions|AIs|to\s*dos?)"
                     r"(?:\s+[\w-]+){0,4}\s*:?\s*$")

LINE_CUES = (
    Cue("action line", "owner",
        ACTION_LABEL,
        ("AI: Staff will circulate the revised charter to the group.",
         "Action Maria: check the budget figures with finance",
         "Action all: comment on the draft before the next call")),
    Cue("dated action item", "owner",
        _re(rf"{_LEAD}(?P<opened>(?:19|20)\d\d-[01]\d-[0-3]\d)\s*:\s*(?P<owner>{_OWNER})\s+(?:is\s+|are\s+)?to\s+"
            rf"{_NOT_VERB}(?P<item>[a-z].*)$", 0),
        ("2031-02-03: Ana Lopez and Tom Kerr to draft the terms of reference.",)),
    Cue("owner to verb", "owner",
        _re(rf"{_LEAD}(?:[A-Z][\w /&-]{{1,40}}:\s+)?(?P<owner>{_OWNER})\s+(?:is\s+|are\s+)?(?:then\s+)?to\s+"
            rf"{_NOT_VERB}(?P<item>[a-z].*)$", 0),
        ("Staff to recirculate the call for volunteers.",
         "Council leadership to share the draft by 3 June.",
         "Councillors to encourage their members to take part.",
         "Secretary is to verify the figures with the treasurer.")),
    Cue("item with its owner last", "promise",
        # Minutes often name who does an item after it: "Review of the glossary: Priya.", "tbd by Ana/Tom".
        _re(r"^(?:[^A-Za-z0-9\s(]{1,3}\s*)?(?!(?:chairs?|scribe|minutes|notes?|note\s+takers?|jabber|present|"
            r"attendees|participants|regrets|apologies|location|venue|host|facilitator|from|to|cc|date|time|"
            r"subject|author|editor|speaker|moderator)\s*:)"
            r"(?P<item>volunteers?|[A-Z][^:\s]*(?:\s+[^:\s]+){2,25}?)"
            r"(?::\s*|\s+tbd\s+by\s+)(?!(?:okay|ok|yes|no|thanks|right|sure|good|great|agreed|done|none|nothing|"
            r"tbd|n/a)\b)(?P<owner>(?-i:[A-Z][a-z]+)(?:\s*(?:[/+&,]|and)\s*(?-i:[A-Z][a-z]+)){0,3})"
            r"\s*\.?$"),
        ("Consistency check of the two drafts: Priya.", "Changes to the glossary tbd by Ana/Tom.",
         "Volunteers: Sam and Lee.")),
    Cue("subjectless undertaking", "promise",
        _re(r"^(?:[-•*·]\s*)?(?:[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?\s*:\s*)?(?:Will|Shall|Going\s+to)\s+"
            r"(?!be\s+(?:glad|happy|nice|good|great)\b)[a-z]+\b.*$", 0),
        ("Will finish that up on the list.", "Priya: Will set up a repository for the test files.")),
    Cue("timeline line, date first", "timeline",
        _re(rf"{_LEAD}(?:no\s+later\s+than\s+|by\s+|until\s+)?(?P<date>{_SPAN})\s*(?:\([^)]{{0,40}}\))?"
            rf"\s*[:–—-]\s*(?P<item>[A-Za-z].{{3,}})$"),
        ("Friday, 4 June: Secretariat sends the draft to the council",
         "No later than March 3, 2031: final report delivered to the board")),
    Cue("timeline line, date last", "timeline",
        _re(rf"{_LEAD}(?P<item>[A-Z][^:]{{3,80}}?)\s*[:–—]\s*(?:[A-Z][a-z]+\s+(?:call|meeting)\s+"
            rf"\d*\s*\+?\s*)?(?P<date>{_SPAN})(?:\s*\([^)]{{0,40}}\))?\s*\.?$", 0),
        ("Comments on the first draft: 12 April - 19 April",)),
)

# Timeline items done by the writer's side (delivered, sent, published) are promises; the readers' part
# (comments, votes, nominations, feedback) and the rest are requests.
TIMELINE_PROMISE = _re(r"\b(?:secretariat|staff|deliver(?:ed|y|s)?|sends?|sent|publish(?:ed|es)?|submitted|"
                       r"announce(?:d|ment|s)?|selection|report\s+(?:published|released))\b")
TIMELINE_REQUEST = _re(r"\b(?:comments?|feedback|vote|voting|nominat\w*|deadline|input|responses?\s+due|"
                       r"volunteers?)\b")


# --------------------------------------------------------------------------- sentences

SENTENCE_CUES = (
    # Requests first: "we'll need you to confirm" is asked of the reader even with a "we'll" before it.
    Cue("please, after a lead-in", "request",
        _re(r"\bplease[,]?\s+(?!find\b|see\b|refer\b|note\b|notice\b|receive\b|be\s+(?:advised|aware|informed)\b|"
            r"do\s+not\s+hesitate|don['’]t\s+hesitate|feel\s+free|accept\b|forgive\b|excuse\b|bear\s+with\b|"
            r"go\s+ahead\b|hold\b|wait\b|stand\s+by\b|raise\s+your\b|interject\b|introduce\b|state\s+your\b|"
            r"speak\b|repeat\b|(?:un)?mute\b|identify\s+yourself\b|let\s+(?:me|us)\s+know\s+if\s+(?:there|you\s+(?:require|need|"
            r"have\s+(?:any\s+)?questions))|contact\b|reach\s+out\b|visit\b|click\b|consult\s+the\b)"),
        ("As a reminder, please send your slides by Thursday.",
         "Chris, please confirm that the dates still work for you.",
         "If you are interested in joining, please reply to this message by 2 May.")),
    Cue("formal request", "request",
        _re(r"\b(?:(?:humbly|respectfully|formally|kindly|therefore|hereby)\s+)?request(?:s|ed)?\s+that\b"
            r"|\bI\s+(?:formally\s+)?(?:request|ask)\s+(?:that|you)\b"
            r"|\bwriting\s+(?:to\s+you\s+)?to\s+(?:request|ask)\b"
            r"|\bhereby\s+submits?\b.*\brequest\b"
            r"|\bwe\s+(?:would\s+)?(?:also\s+|therefore\s+|very\s+much\s+)?(?:welcome|appreciate)\s+(?!your\s+letter\b)"
            r"(?!the\s+opportunity\s+to\s+(?:develop|gain|have|get|learn|understand)\b)"
            r"(?:the\s+|your\s+|their\s+|any\s+|receiving\b|it\b)"
            r"|\bwould\s+(?:especially\s+|particularly\s+|very\s+much\s+)?(?:be\s+interested\s+in\s+receiving|"
            r"like\s+to\s+receive)\b"
            r"|\b(?:strongly\s+)?encourages?\s+(?:ICANN|the\s+\w+|you|all)\s+to\b"
            r"|\bsuggests?\s+that\s+(?:ICANN|the\s+\w+|you)\b.{0,120}\bshould\b"
            r"|\b(?-i:requests)\s+(?:the\s+)?(?-i:[A-Z][\w-]*)(?:\s+(?-i:[A-Z][\w-]*)){0,5}\s+to\s+[a-z]+"),
        ("I formally request you to offer advice on the proposal.",
         "We are writing to you to request an extension of the deadline.",
         "We would appreciate the name of your representative by 4 October.",
         "The Council hereby submits this Review Request under the charter.",
         "We would welcome your participation in the working sessions.",
         "Further, the Council requests the Review Committee to update the guideline."), in_transcripts=False),
    Cue("requested or reminded", "request",
        _re(r"\b(?:is|are)\s+(?:further\s+|also\s+|kindly\s+|hereby\s+)?(?:requested|asked|invited|reminded|"
            r"encouraged)\s+to\s+[a-z]"
            r"|\b(?:everyone|all|members|councill?ors|participants)\s+(?:are\s+)?encouraged\s+to\b"
            r"|\breminded\s+(?:the\s+)?[\w ]{1,30}?\s+that\b.{0,80}\b(?:needed|due|required)\s+by\b"
            r"|\bneeds?\s+to\s+provide\b"
            r"|\basked\s+(?:the\s+)?(?:[\w-]+\s+){1,4}to\s+(?:consider|provide|review|submit|send|nominate|share)\b"
            r"|\binvite[sd]?\s+(?:\w+\s+){1,6}?to\s+(?:provide|submit|send|share)\s+(?:their\s+|any\s+)?"
            r"(?:comments|input|feedback|views)\b"),
        ("Councillors are reminded to name their delegates.",
         "The committee is requested to prepare a draft statement.",
         "Everyone encouraged to add input to the shared document.",
         "The chair will invite the members to provide comments by 9 May.")),
    Cue("nominal deadline", "request",
        _re(r"\bdeadline\s+(?:to|for)\s+\w+"
            r"|\bends?\s+COB\b"
            r"|\b(?:comment|consultation|nomination|feedback)\s+period\s+(?:will\s+)?(?:close|end)s?\s+(?:at|on)\b"),
        ("The deadline to reply to this call is Friday.",
         "The comment period will close at noon UTC on 30 June 2031.")),
    Cue("named person will", "promise",
        _re(r"(?:^(?:[^A-Za-z0-9\s(]{1,3}\s*)?(?:AI:\s*)?|,\s+)(?P<owner>(?!(?:This|That|These|Those|It|There|They|He|She|We|I|You|Which|What|Who|"
            r"Such|Some|Many|Most|All|Each|Any|No|One|Nobody|Everyone|Everybody|Anyone|Someone|Here|Now|"
            r"Then|Today|Tomorrow|If|When|Once|So|But|And|Also)\b)(?:The\s+)?[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'-]+|of|the|de|van|von)){0,5})\s+"
            r"will\s+(?:also\s+|then\s+|now\s+)?(?!be\b|have\b|not\b|need\b|likely\b|probably\b|want\b)[a-z]+", 0),
        ("Maria Lopez will review the project list.",
         "The Board of Trustees will consider the comments as they arrive.",
         "Although the deadline has passed, Ana Ruiz will take late comments to the board."), in_transcripts=False),
    Cue("volunteered", "promise",
        _re(r"\b(?:volunteered|offered|agreed|undertook)\s+to\s+(?!be\s+)[a-z]+"),
        ("Ana and Tom volunteered to write up the motion.",)),
    Cue("reported undertaking", "promise",
        _re(r"\b(?:said|replied|added|noted|confirmed|explained|stated|responded|agreed)\s+(?:that\s+)?"
            r"(?:.{0,80}\band\s+that\s+)?(?:he|she|they|it)\s+would\s+(?:need\s+to\s+|have\s+to\s+|also\s+)?"
            r"(?:start|check|look|follow|send|share|circulate|prepare|raise|report|ask|contact|draft|review|"
            r"investigate|come\s+back|provide|update|publish|propose|bring|consult|organi[sz]e|set\s+up)\b"),
        ("Sam said he would start a thread on the list about the proposal.",
         "Lee replied that she did not know and that she would need to check with the legal team.")),
    Cue("future passive", "promise",
        _re(r"(?<!\bthat\s)(?<!\bwhich\s)\bwill\s+(?:also\s+|then\s+|now\s+|soon\s+|shortly\s+|effectively\s+|"
            r"subsequently\s+)?"
            r"be\s+(?!(?:able|happy|glad|pleased|required|needed|interested|based|free|available\s+to|"
            r"responsible|subject|aware|limited|allowed|welcome|possible|necessary|useful|difficult|used|"
            r"considered\s+(?:as|to\s+be)|seen|known|found|affected|involved|given\s+the)\b)"
            r"(?:[a-z]+(?:ed|en|wn|ne|lt|nt|ept|ught|set|put|cut)|set\s+up|held|made|sent|run)\b"
            r"|\b(?:is|are)\s+(?:then\s+|also\s+)?to\s+be\s+[a-z]+(?:ed|en|wn|nt|ne)\b"
            r"|\b(?:is|are)\s+being\s+(?:set\s+up|[a-z]+ed)\s+now\b"),
        ("The minutes will also be uploaded to the wiki later today.",
         "A new mailing list will be created.",
         "The proposal is to be discussed at the next meeting.",
         "Further sessions will be arranged in the spring."), in_transcripts=False),
    Cue("first-person intention", "promise",
        _re(r"\b(?:it\s+is\s+(?:the|our|my)\s+(?:present\s+|current\s+)?intention\s+to"
            r"|(?:we|I|the\s+\w+(?:\s+of\s+the\s+\w+)?)\s+(?:currently\s+|now\s+)?intends?\s+to"
            r"|I\s+propose\s+(?:sending|to\s+send|circulating|to\s+circulate)"
            r"|(?:I|we)\s+(?:am|are)?\s*happy\s+to\s+(?:keep|join|take|lead|hold|draft|prepare|send|share|help)"
            r"|(?:^(?:[\w,]+\s+){0,6}|\band\s+(?:am\s+)?)happy\s+to\s+(?:keep|join|take|lead|hold|draft|help)"
            r"|we\s+reiterate\s+our\s+(?:proposal|offer|commitment)\s+to)\b"),
        ("It is the present intention to hand the report to the board in June.",
         "I propose sending the following text to the committee later today.",
         "Happy to join the drafting team.",
         "Thanks Tom, agree with the plan and happy to join the drafting team,",
         "I am happy to keep the pen for further edits.")),
)

NOT_COMMITMENTS = (
    Cue("pointer", "none",
        _re(r"^(?:[\w,]+\s+){0,3}(?:please\s+(?:find|see|refer|note|receive)|attached\s+(?:you\s+will|please)\s+find|"
            r"PLEASE\s+NOTE)\b"),
        ("Please find attached the draft agenda.", "Please see below the notes of the call.",
         "PLEASE NOTE that messages over the limit are held.")),
    Cue("courtesy", "none",
        _re(r"\b(?:look(?:ing)?\s+forward\s+to\s+(?:keeping|staying|working|seeing|meeting|hearing|the)|"
            r"trust\s+that\s+you\s+will\s+understand|you\s+(?:may|might)\s+(?:wish|want|like)\s+to|"
            r"you\s+might\s+consider|if\s+you\s+(?:have\s+any\s+questions|require\s+anything))\b"),
        ("Many members will look forward to keeping in touch with you.",
         "This is input which you may wish to take further with the group.")),
)


def first_cue(table, text: str) -> tuple[Cue, re.Match] | None:
    """The first cue of a table whose pattern occurs in text, with its match."""
    for cue in table:
        match = cue.pattern.search(text)
        if match:
            return cue, match
    return None


def vetoed(sentence: str) -> Cue | None:
    """The not-a-commitment cue that applies to a sentence, if any."""
    found = first_cue(NOT_COMMITMENTS, sentence)
    return found[0] if found else None
