"""The PDF's fonts: parsed once per process, yet each document embeds its own subset of the glyphs it prints, in
any script, also when documents are written at the same time in several threads."""
from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tracker.reports import render


def report_titled(title: str) -> render.Report:
    line = render.CommitmentLine(
        title=title, state="open", state_text="open", due_window="no date", due_earliest=None, due_latest=None,
        owner="", progress=0, made_by="", made_to="", fulfilled_on=None, url="http://localhost/commitments/1")
    section = render.Section(title="What we promised them", sheet="Promised to them", kind="commitments",
                             rows=[line], total=1, parties_column="", empty="", full_list_url="")
    return render.Report(title="Commitments report", scope="One line.", as_of=date(2010, 5, 12),
                         summary=[render.summary_line("ccNSO", "Promises", {"open": 1})], sections=[section])


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def embedded_fonts(pdf: bytes) -> dict[str, TTFont]:
    """{base font name: the embedded TrueType file} of each font of the document."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    return fonts


def characters_of(font: TTFont) -> set[str]:
    return {chr(code) for code in font.getBestCmap()}


def test_each_document_embeds_the_glyphs_it_prints_and_not_the_whole_font():
    greek = render.to_pdf(report_titled("Ωμέγα and Москва"))
    latin = render.to_pdf(report_titled("Plain words"))
    assert "Ωμέγα and Москва" in text_of(greek) and "Plain words" in text_of(latin)
    regular = next(font for name, font in embedded_fonts(greek).items() if "Bold" not in name)
    assert set("ΩμέγαМосква") <= characters_of(regular)
    assert len(regular.getGlyphOrder()) < 200  # a subset: the whole font has over 6,000 glyphs
    # The second document shares the parsed font but not the first one's subset.
    plain = next(font for name, font in embedded_fonts(latin).items() if "Bold" not in name)
    assert not set("ΩμέγαМосква") & characters_of(plain)
    assert set("Plain") <= characters_of(plain)


def test_the_font_files_are_parsed_once_per_process(monkeypatch):
    from fpdf.fonts import TTFFont

    render.to_pdf(report_titled("warm"))
    parsed = []
    original = TTFFont.__init__
    monkeypatch.setattr(TTFFont, "__init__", lambda self, *a, **k: parsed.append(a) or original(self, *a, **k))
    assert "Ωμέγα" in text_of(render.to_pdf(report_titled("Ωμέγα")))
    assert parsed == []


def test_documents_written_at_once_in_threads_each_hold_their_own_text():
    titles = [f"Report {n} Ωμέγα {'Москва' if n % 2 else 'Αθήνα'} {n * 7919}" for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = list(pool.map(lambda title: render.to_pdf(report_titled(title)), titles))
    for title, pdf in zip(titles, pdfs):
        assert title in text_of(pdf)
        regular = next(font for name, font in embedded_fonts(pdf).items() if "Bold" not in name)
        assert set(title.replace(" ", "")) <= characters_of(regular)


def test_a_character_beyond_the_common_ones_is_printed_from_the_whole_font():
    # Armenian and Georgian: in DejaVu Sans, not among render.COMMON_CHARACTERS.
    title = "Երևան Tbilisi თბილისი Ωμέγα"
    assert not {ord(c) for c in "Երևանთბილისი"} & set(render.COMMON_CHARACTERS)
    pdf = render.to_pdf(report_titled(title))
    assert title in text_of(pdf)
    regular = next(font for name, font in embedded_fonts(pdf).items() if "Bold" not in name)
    assert set(title.replace(" ", "")) <= characters_of(regular)


def test_a_character_no_font_has_is_left_out_without_writing_the_document_twice(monkeypatch):
    drawn = []
    original = render._drawn
    monkeypatch.setattr(render, "_drawn", lambda report, common_fonts: drawn.append(common_fonts)
                        or original(report, common_fonts))
    assert "Ωμέγα" in text_of(render.to_pdf(report_titled("Ωμέγα 🦄")))
    assert drawn == [True]
    render.to_pdf(report_titled("Երևան"))
    assert drawn == [True, True, False]


def test_table_words_are_measured_as_fpdf_measures_them():
    from fpdf import FPDF

    pdf = FPDF()
    for style in render.FONT_FILES:
        render._add_parsed_font(pdf, style, True)
    pdf.add_page()
    for style in render.FONT_FILES:
        pdf.set_font(render.FONT, style, render.TABLE_FONT_SIZE)
        for word in ("Publish", "1–10", "“in early May”", "Ωμέγα", "Москва,", "x" * 280, " "):
            assert render.table_text_width(pdf, word, style) == pytest.approx(pdf.get_string_width(word)), word
        assert render.table_text_width(pdf, "Wide", style) > render.table_text_width(pdf, "ii", style) > 0


def test_a_text_printed_again_in_another_document_is_in_that_documents_subset_too():
    """Each document encodes a text once and keeps the encoding for itself: the second document of the same words
    still puts their glyphs into its own subset."""
    first, second = render.to_pdf(report_titled("Quixotic jab")), render.to_pdf(report_titled("Quixotic jab"))
    for pdf in (first, second):
        regular = next(font for name, font in embedded_fonts(pdf).items() if "Bold" not in name)
        assert set("Quixotic jab") <= characters_of(regular) and "Quixotic jab" in text_of(pdf)


def test_table_lines_are_drawn_in_the_text_colour_without_saving_and_restoring_the_state_each():
    """After a shaded header row the fill colour is set back to the text's: fpdf2 wraps each line drawn while the
    two differ in its own save, colour and restore operators."""
    pdf = render.to_pdf(report_titled("Plain words"))
    contents = "".join(page.get_contents().get_data().decode("latin-1") for page in PdfReader(io.BytesIO(pdf)).pages)
    assert contents.count("Tj ET") > 10
    assert not re.search(r"\bq [0-9. ]+ (g|rg) BT", contents)  # text()'s own: "q 0 g BT ... Tj ET Q"
