"""A board report as data, and that data as a PDF or a spreadsheet. Pure: no database, no request, no clock."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from threading import Lock

from tracker.commitments.models import Commitment, timing
from tracker.export import Sheet, workbook
from tracker.formatting import format_day

# Summary columns, in the order a reader scans them: what needs attention first, then what is finished.
STATE_NAMES = {"overdue": "Overdue", "due_soon": "Due soon", "needs_decision": "Needs a date", "open": "Open",
               "on_time": "Done on time", "done_late": "Done late", "closed": "Dropped or superseded"}
FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
# A cell longer than this is cut: a report is read, and a page must stay a page whatever was typed into a title.
MAX_CELL_CHARACTERS = 400
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = re.compile(r"\s+")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def day(value: date | None, precision: str = "day") -> str:
    """"24 May 2010", "March 2010" for a month-precision letter, "" when there is none (an empty cell)."""
    return format_day(value, precision, none="")


def due_window(commitment: Commitment) -> str:
    """"1–10 May 2010 (“in early May”)", "30 April 2010", or the phrase alone when there is no date yet."""
    earliest, latest, phrase = commitment.due_earliest, commitment.due_latest, commitment.due_phrase
    quoted = f"“{phrase}”" if phrase else ""
    if latest is None:
        return quoted or "no date"
    if earliest and earliest < latest:
        same_month = (earliest.year, earliest.month) == (latest.year, latest.month)
        start = str(earliest.day) if same_month else day(earliest)
        window = f"{start}–{day(latest)}"
    else:
        window = day(latest)
    return f"{window} ({quoted})" if quoted else window


def describe_state(commitment: Commitment, today: date, within_days: int) -> tuple[str, str]:
    """(state word, sentence): "overdue", "overdue, 12 days late"; "done_late", "done 24 May 2010, 14 days late"."""
    state = timing(commitment, today, within_days)
    latest, done_on = commitment.due_latest, commitment.fulfilled_on
    done_word = "partly done" if commitment.status == "partly_done" else "done"
    if state == "overdue":
        return state, f"overdue, {plural((today - latest).days, 'day')} late"
    if state == "due_soon":
        days = (latest - today).days
        return state, "due today" if days == 0 else f"due soon, in {plural(days, 'day')}"
    if state == "needs_decision":
        return state, "needs a date"
    if state == "done_late":
        return state, f"{done_word} {day(done_on)}, {plural((done_on - latest).days, 'day')} late"
    if state == "on_time":
        if done_on is None:
            return state, done_word
        return state, f"{done_word} {day(done_on)}, on time" if latest else f"{done_word} {day(done_on)}"
    if state == "open":
        return state, "open" if commitment.status == "open" else "in progress"
    return state, commitment.status.replace("_", " ")


@dataclass(frozen=True)
class CommitmentLine:
    title: str
    state: str
    state_text: str
    due_window: str
    due_earliest: date | None
    due_latest: date | None
    owner: str
    progress: int
    made_by: str
    made_to: str
    fulfilled_on: date | None
    url: str
    phase: str = ""  # the phase it sits in ("" for none), as tracker.phases.models.display_name() words it


@dataclass(frozen=True)
class LetterLine:
    subject: str
    sent_on: date
    sent: str
    authors: str
    recipients: str
    reply_by: date | None
    days_late: int | None  # None while within its reply-by date (or without one)
    state_text: str
    url: str


@dataclass(frozen=True)
class SummaryLine:
    party: str
    section: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Section:
    title: str
    sheet: str            # spreadsheet tab name (at most 31 characters)
    kind: str             # "commitments" or "letters"
    rows: list
    total: int            # rows there are; more than len(rows) when the report's cap cut the list
    parties_column: str   # "made_to", "made_by" or "" (a party report names the other side only when it is many)
    empty: str
    full_list_url: str
    shows_phase: bool = False  # phases are defined for this kind of commitment: a Phase column


@dataclass(frozen=True)
class PhaseCount:
    """One line of a party's commitments counted per phase (the party page's phase counts)."""
    kind: str
    phase: str
    count: int


@dataclass(frozen=True)
class Report:
    title: str
    scope: str
    as_of: date
    summary: list[SummaryLine]
    sections: list[Section] = field(default_factory=list)
    phase_counts: list[PhaseCount] = field(default_factory=list)
    summary_note: str = ""  # says so when the summary's list of parties was cut at the report's cap

    @property
    def as_of_line(self) -> str:
        return f"As of {day(self.as_of)}"

    def filename(self, extension: str) -> str:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.title).strip("-").lower() or "report"
        return f"{slug}-{self.as_of.isoformat()}.{extension}"


def commitment_line(commitment: Commitment, today: date, within_days: int, sides: dict, owners: dict,
                    base_url: str, phase: str = "") -> CommitmentLine:
    """A commitment (a record or a row with the columns of tracker.reports.queries.COMMITMENT_COLUMNS) as a line."""
    state, text = describe_state(commitment, today, within_days)
    return CommitmentLine(
        title=commitment.title, state=state, state_text=text, due_window=due_window(commitment),
        due_earliest=commitment.due_earliest, due_latest=commitment.due_latest,
        owner=owners.get(commitment.owner_id, ""), progress=commitment.progress,
        made_by=", ".join(p.short_name for p in sides.get("by", [])),
        made_to=", ".join(p.short_name for p in sides.get("to", [])),
        fulfilled_on=commitment.fulfilled_on, url=f"{base_url}/commitments/{commitment.id}", phase=phase)


def letter_line(letter, participants, today: date, base_url: str) -> LetterLine:
    def names(role):
        return ", ".join(party.short_name if party else person.name
                         for p, party, person in participants if p.role == role and (party or person))

    late = letter.reply_by is not None and today > letter.reply_by
    days_late = (today - letter.reply_by).days if late else None
    if late:
        text = f"late: reply was due {day(letter.reply_by)}, {plural(days_late, 'day')} ago"
    elif letter.reply_by is not None:
        text = f"awaiting a reply by {day(letter.reply_by)}"
    else:
        text = "awaiting a reply"
    return LetterLine(subject=letter.subject, sent_on=letter.sent_on, sent=day(letter.sent_on, letter.date_precision),
                      authors=names("author"), recipients=names("recipient"), reply_by=letter.reply_by,
                      days_late=days_late, state_text=text, url=f"{base_url}/letters/{letter.id}")


def summary_line(party: str, section: str, counts: dict[str, int]) -> SummaryLine:
    return SummaryLine(party=party, section=section, counts={state: counts.get(state, 0) for state in STATE_NAMES})


def letters_summary_line(party: str, awaiting: int, late: int) -> SummaryLine:
    """Letters in the summary's columns: a late reply is overdue, one still within its reply-by date is open."""
    return SummaryLine(party=party, section="Letters awaiting a reply",
                       counts={state: {"overdue": late, "open": awaiting - late}.get(state, 0)
                               for state in STATE_NAMES})


def printable(value) -> str:
    """One line of text for a cell: no control characters, runs of space as one, cut at MAX_CELL_CHARACTERS."""
    text = _SPACE.sub(" ", _CONTROL.sub("", "" if value is None else str(value))).strip()
    return text if len(text) <= MAX_CELL_CHARACTERS else text[:MAX_CELL_CHARACTERS - 1] + "…"


# PDF --------------------------------------------------------------------------------------------------------------

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# Most reports print only Latin, Greek and Cyrillic letters, punctuation and a few symbols. Writing a PDF subsets each
# font it used, and the subsetter first reads the whole font's tables (over 6,000 glyphs): a copy of each font cut
# to these characters (about 1,000 glyphs, same outlines and widths) is read in half the time. A document that prints
# a character beyond them, which the whole font has, is written again with the whole fonts.
COMMON_CHARACTERS = (*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x370, 0x530), *range(0x2000, 0x2070),
                     *range(0x20A0, 0x20C0), *range(0x2100, 0x2300), 0xFFFD)
# Tables fpdf2 drops from the fonts it embeds anyway (fpdf.output), left out of the common copy too.
_UNEMBEDDED_TABLES = ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC", "EBDT",
                      "EBLC", "EBSC", "SVG ", "CPAL", "COLR"]
# Each font, whole or cut to COMMON_CHARACTERS, as fpdf2 parsed it (widths, character map, glyph ids) and its bytes:
# parsed once per process. Parsing both whole fonts took about 45 ms of CPU per document.
_PARSED_FONTS: dict[tuple[str, bool], tuple[object, bytes]] = {}
_PARSING = Lock()


def _common_copy(data: bytes) -> bytes:
    """The font cut to COMMON_CHARACTERS, its glyph names, hinting and names kept."""
    from fontTools import subset, ttLib

    options = subset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True, hinting=True,
                             name_IDs=["*"], name_languages=["*"], name_legacy=True, layout_features=[])
    options.drop_tables += _UNEMBEDDED_TABLES
    font = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=COMMON_CHARACTERS)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _parsed_font(style: str, common: bool):
    """(fpdf2's TTFFont of this style's font, whole or its common copy, and that font's bytes), parsed on first
    use; the TTFFont is never drawn with nor written out, only copied from (_add_parsed_font)."""
    key = (style, common)
    with _PARSING:
        if key not in _PARSED_FONTS:
            from fpdf import FPDF
            from fpdf.fonts import TTFFont

            path = FONTS / FONT_FILES[style]
            data = _common_copy(path.read_bytes()) if common else path.read_bytes()
            # Parsed from the bytes in memory: the common copy has no file of its own.
            _PARSED_FONTS[key] = (TTFFont(FPDF(), io.BytesIO(data), f"{FONT.lower()}{style}", style), data)
        return _PARSED_FONTS[key]


def _add_parsed_font(pdf, style: str, common: bool) -> None:
    """pdf.add_font(FONT, style, …) without parsing the font again: the parsed font's read-only tables (character
    map, glyph ids, descriptor) are shared; what a document changes is its own: its widths table (a defaultdict that
    grows on lookup), the subset of glyphs it uses, and the fontTools font that writing the PDF subsets in place,
    opened lazily from the bytes in memory (it reads only the tables the subset needs)."""
    from collections import defaultdict

    from fontTools import ttLib
    from fpdf.fonts import SubsetMap, TTFFont

    parsed, data = _parsed_font(style, common)
    document_font = _document_font_class()
    font = document_font.__new__(document_font)
    for name in TTFFont.__slots__:
        if hasattr(parsed, name):
            setattr(font, name, getattr(parsed, name))
    font.encoded = {}
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    font.cw = defaultdict(parsed.cw.default_factory, parsed.cw)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font


_DOCUMENT_FONT_CLASS = None


def _document_font_class():
    """fpdf2's TTFFont, encoding each distinct text once per document. Encoding maps each character to its place in
    the document's subset of glyphs, the same for the same text once its glyphs are in the subset; a report prints
    the same words (states, days, owners, parties) thousands of times. Made on first use: fpdf2 is imported lazily."""
    global _DOCUMENT_FONT_CLASS
    if _DOCUMENT_FONT_CLASS is None:
        from fpdf.fonts import TTFFont

        class DocumentFont(TTFFont):
            __slots__ = ("encoded",)

            def encode_text(self, text: str) -> str:
                found = self.encoded.get(text)
                if found is None:
                    found = self.encoded[text] = super().encode_text(text)
                return found

        _DOCUMENT_FONT_CLASS = DocumentFont
    return _DOCUMENT_FONT_CLASS


def _needs_whole_fonts(pdf) -> bool:
    """A character printed with a common copy that it lacks but the whole font has."""
    return any(code in _parsed_font(style, False)[0].cmap
               for style in FONT_FILES for code in pdf.fonts[f"{FONT.lower()}{style}"].missing_glyphs)


def _commitment_columns(section: Section):
    """(heading, width in mm, value) of a commitments table; A4 landscape leaves 277 mm."""
    columns = [("Commitment", 0, lambda r: r.title)]
    if section.parties_column == "made_to":
        columns.append(("To", 34, lambda r: r.made_to))
    elif section.parties_column == "made_by":
        columns.append(("By", 34, lambda r: r.made_by))
    columns += [("State", 52, lambda r: r.state_text), ("Due", 50, lambda r: r.due_window)]
    if section.shows_phase:
        columns.append(("Phase", 30, lambda r: r.phase))
    columns += [("Owner", 34, lambda r: r.owner), ("Progress", 19, lambda r: f"{r.progress}%")]
    return _fill_first(columns)


def _letter_columns():
    return _fill_first([("Letter", 0, lambda r: r.subject), ("Sent", 30, lambda r: r.sent),
                        ("From", 40, lambda r: r.authors), ("To", 40, lambda r: r.recipients),
                        ("Reply", 72, lambda r: r.state_text)])


def _fill_first(columns):
    used = sum(width for _h, width, _v in columns)
    return [(heading, width or 277 - used, value) for heading, width, value in columns]


def to_pdf(report: Report) -> bytes:
    """The report as an A4 landscape PDF: heading with the as-of date, summary, one table per section."""
    pdf = _drawn(report, common_fonts=True)
    if _needs_whole_fonts(pdf):
        pdf = _drawn(report, common_fonts=False)
    return bytes(pdf.output())


def _drawn(report: Report, common_fonts: bool):
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font(FONT, size=8)
            self.set_text_color(100)
            self.cell(0, 6, printable(f"{report.title} · {report.as_of_line} · page {self.page_no()} of {{nb}}"),
                      align="C")

    pdf = ReportPDF(orientation="landscape", format="A4")
    pdf.set_title(printable(f"{report.title} — {report.as_of_line}"))
    for style in FONT_FILES:
        _add_parsed_font(pdf, style, common_fonts)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, printable(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 7, printable(report.as_of_line), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(90)
    pdf.multi_cell(0, 6, printable(report.scope), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)

    def heading(text):
        pdf.ln(4)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(0, 8, printable(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 8.5)

    def table(columns, rows):
        _draw_table(pdf, [(title, width) for title, width, _v in columns],
                    ([printable(value(row)) for _t, _w, value in columns] for row in rows))

    heading("Summary")
    if report.summary:
        summary_columns = _fill_first([("Party", 0, lambda s: s.party), ("Section", 44, lambda s: s.section)]
                                      + [(name, 20, (lambda s, key=key: str(s.counts[key])))
                                         for key, name in STATE_NAMES.items()]
                                      + [("Total", 15, lambda s: str(s.total))])
        table(summary_columns, report.summary)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(90)
        pdf.multi_cell(0, 5, "Letters awaiting a reply are counted as overdue once past their reply-by date, "
                             "open before it.", new_x="LMARGIN", new_y="NEXT")
        if report.summary_note:
            pdf.multi_cell(0, 5, printable(report.summary_note), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    else:
        pdf.cell(0, 6, "Nothing to report.", new_x="LMARGIN", new_y="NEXT")
    if report.phase_counts:
        heading("By phase")
        table(_fill_first([("Kind", 40, lambda p: f"{p.kind.capitalize()}s"), ("Phase", 0, lambda p: p.phase),
                           ("Commitments", 30, lambda p: str(p.count))]), report.phase_counts)

    for section in report.sections:
        heading(f"{section.title} ({section.total})")
        if not section.rows:
            pdf.cell(0, 6, printable(section.empty), new_x="LMARGIN", new_y="NEXT")
            continue
        columns = _commitment_columns(section) if section.kind == "commitments" else _letter_columns()
        table(columns, section.rows)
        if section.total > len(section.rows):
            pdf.set_font(FONT, "", 8)
            pdf.multi_cell(0, 5, printable(f"The first {len(section.rows)} of {section.total} are shown; the full "
                                           f"list: {section.full_list_url}"), new_x="LMARGIN", new_y="NEXT")
    return pdf


TABLE_FONT_SIZE = 8.5     # points
TABLE_LINE_HEIGHT = 4.0   # mm
TABLE_PADDING = 1.2       # mm


def table_text_width(pdf, text: str, style: str) -> float:
    """The width of text in a table cell, in mm: pdf.get_string_width() in the table's font and size."""
    return pdf.fonts[f"{FONT.lower()}{style}"].get_text_width(text, TABLE_FONT_SIZE, None)[1] / pdf.k


def _draw_table(pdf, columns: list[tuple[str, float]], rows) -> None:
    """A table with wrapped cells, its header repeated on each page, a row never split across two pages.

    Drawn line by line with text(): fpdf2's own table() lays every cell out twice through multi_cell and took
    seconds for a few hundred rows; here each word is measured once per document and style, from the font's
    widths as get_string_width() does (no letter spacing or stretching here) but without selecting the font and
    splitting the word into fragments for each."""
    widths = {}

    def width_of(word, style):
        key = (style, word)
        if key not in widths:
            widths[key] = table_text_width(pdf, word, style)
        return widths[key]

    def wrap(text, room, style):
        lines, line, used = [], "", 0.0
        space = width_of(" ", style)
        for word in text.split(" "):
            size = width_of(word, style)
            while size > room:  # a word wider than the column is cut where it reaches the edge
                cut = max(1, int(len(word) * room / size))
                while cut > 1 and width_of(word[:cut], style) > room:
                    cut -= 1
                if line:
                    lines.append(line)
                lines.append(word[:cut])
                line, used, word = "", 0.0, word[cut:]
                size = width_of(word, style)
            if line and used + space + size > room:
                lines.append(line)
                line, used = word, size
            else:
                line, used = (f"{line} {word}", used + space + size) if line else (word, size)
        lines.append(line)
        return lines

    def draw_row(cells, style, shaded):
        wrapped = [wrap(text, width - 2 * TABLE_PADDING, style) for text, (_t, width) in zip(cells, columns)]
        height = max(len(lines) for lines in wrapped) * TABLE_LINE_HEIGHT + 2 * TABLE_PADDING
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            if style == "":
                draw_row([title for title, _w in columns], "B", True)
        top, x = pdf.get_y(), pdf.l_margin
        if shaded:
            pdf.set_fill_color(230, 230, 230)
            pdf.rect(x, top, sum(width for _t, width in columns), height, style="F")
            # Back to the text's colour: fpdf2 wraps each text() drawn while the fill colour differs from the text
            # colour in its own save, colour and restore operators.
            pdf.set_fill_color(pdf.text_color)
        pdf.set_font(FONT, style, TABLE_FONT_SIZE)
        baseline = TABLE_PADDING + TABLE_FONT_SIZE * 0.2646  # one line's ascent, points to mm, roughly
        for lines, (_title, width) in zip(wrapped, columns):
            for number, line in enumerate(lines):
                if line:
                    pdf.text(x + TABLE_PADDING, top + baseline + number * TABLE_LINE_HEIGHT, line)
            x += width
        pdf.set_draw_color(180, 180, 180)
        pdf.line(pdf.l_margin, top + height, x, top + height)
        pdf.set_y(top + height)

    draw_row([title for title, _w in columns], "B", True)
    for cells in rows:
        draw_row(cells, "", False)
    pdf.set_font(FONT, "", TABLE_FONT_SIZE)


# Spreadsheet ------------------------------------------------------------------------------------------------------

def _sheet_rows(section: Section) -> tuple[list[str], list[tuple]]:
    if section.kind == "letters":
        columns = ["Subject", "Sent", "From", "To", "Reply by", "Days late", "Reply", "Link"]
        return columns, [(r.subject, r.sent_on, r.authors, r.recipients, r.reply_by, r.days_late, r.state_text, r.url)
                         for r in section.rows]
    columns = ["Title", "Made by", "Made to", "State", "State in words", "Due", "Due from", "Due by", "Owner",
               "Progress %", "Done on", "Link"]
    rows = [(r.title, r.made_by, r.made_to, STATE_NAMES[r.state], r.state_text, r.due_window,
             r.due_earliest, r.due_latest, r.owner, r.progress, r.fulfilled_on, r.url) for r in section.rows]
    if not section.shows_phase:
        return columns, rows
    # The phase beside the state, as the list pages show it; left out while the kind has no phase defined.
    at = columns.index("State in words") + 1
    return (columns[:at] + ["Phase"] + columns[at:],
            [row[:at] + (line.phase,) + row[at:] for row, line in zip(rows, section.rows)])


def to_xlsx(report: Report) -> bytes:
    """The report as a workbook: a Summary sheet (with the as-of date) and one sheet per section, each with a header
    row; dates are dates and text a spreadsheet would run as a formula is neutralised."""
    summary_columns = ["Party", "Section", "As of", *STATE_NAMES.values(), "Total"]
    summary = [(s.party, s.section, report.as_of, *(s.counts[k] for k in STATE_NAMES), s.total)
               for s in report.summary]
    if report.summary_note:
        summary.append((report.summary_note,) + (None,) * (len(summary_columns) - 1))
    sheets = [("Summary", summary_columns, summary)]
    if report.phase_counts:
        sheets.append(("By phase", ["Kind", "Phase", "Commitments"],
                       [(f"{p.kind.capitalize()}s", p.phase, p.count) for p in report.phase_counts]))
    sheets += [(section.sheet, *_sheet_rows(section)) for section in report.sections]
    return workbook([Sheet(name, columns, rows, freeze_header=True, fit_widths=True)
                     for name, columns, rows in sheets], title=f"{report.title} — {report.as_of_line}")
