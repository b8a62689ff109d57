"""Picker fields: a text box where a person types a name, short name, email or #id.

Without JavaScript the server resolves what was typed (one match: chosen; several: a message listing some;
none: a message). static/picker.js suggests matches from /pick/<kind> as one types and fills the chosen id.
A single picker posts `<name>` (the text) and `<name>-id` (the id a suggestion filled in, cleared by the script
when the text changes); the id wins only while the text still reads as its label, so editing the text without
JavaScript never keeps a stale id. A multi picker posts one checkbox per chosen record (`<name>` = id, unticking
removes it) and a text box `<name>` where further names are typed, separated by semicolons.
"""
from __future__ import annotations

from flask import url_for
from markupsafe import Markup
from wtforms import Field
from wtforms.utils import unset_value

from tracker import access
from tracker.db import get_session
from tracker.pickers import queries
from tracker.validation import InvalidInput

AMBIGUOUS_NAMES_SHOWN = 5
PLACEHOLDER = "type a name, short name, email or #id"


def resolve(kind: queries.PickerKind, text: str, field: str | None = None) -> int:
    """The id of the one record of a kind, visible to the current viewer, that typed text names; else InvalidInput."""
    session, viewer = get_session(), access.current_viewer()
    text = (text or "").strip()
    number = queries.typed_id(text)
    if number is not None:
        if session.execute(queries.by_ids(kind, viewer, [number])).first() is None:
            raise InvalidInput(f"there is no {kind.noun} with id {number}", field)
        return number
    exact = session.execute(queries.exactly(kind, viewer, text)).scalars().all()
    if len(exact) == 1:
        return exact[0].id
    found = exact or queries.picked(session, kind, viewer, text, limit=AMBIGUOUS_NAMES_SHOWN + 1)
    if len(found) == 1:
        return found[0].id
    if not found:
        raise InvalidInput(f"no {kind.noun} matches “{text}”: check the spelling, or type the id (#12)", field)
    names = "; ".join(f"{kind.label(row)} (#{row.id})" for row in found[:AMBIGUOUS_NAMES_SHOWN])
    more = " and more" if len(found) > AMBIGUOUS_NAMES_SHOWN else ""
    raise InvalidInput(f"“{text}” matches several: {names}{more}. Type more of the name, or the id (#12)", field)


def labels_of(kind: queries.PickerKind, ids) -> dict[int, str]:
    """id → label for the chosen ids the current viewer may see."""
    ids = [i for i in ids if i]
    if not ids:
        return {}
    rows = get_session().execute(queries.by_ids(kind, access.current_viewer(), ids)).scalars().all()
    return {row.id: kind.label(row) for row in rows}


def _attributes(**attributes) -> Markup:
    return Markup(" ").join(Markup('{}="{}"').format(name.replace("_", "-"), value)
                            for name, value in attributes.items() if value is not None)


class PickerField(Field):
    """One record of a kind, chosen by typing; .data is its id or `empty` (None, or 0 where forms expect it)."""

    def __init__(self, label=None, validators=None, kind: str = "people", empty=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.kind = queries.KINDS[kind]
        self.empty = empty
        self.text = None  # what was typed, kept to show again on error

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.text = (valuelist[0] or "").strip()
        self.data = self.empty
        if not self.text or self.text.lstrip("#") == "0":  # 0 names no record: "none" in older forms and scripts
            return
        chosen = queries.typed_id(self._formdata_id or "")
        if chosen is not None and labels_of(self.kind, [chosen]).get(chosen) == self.text:
            self.data = chosen
            return
        try:
            self.data = resolve(self.kind, self.text)
        except InvalidInput as error:
            raise ValueError(str(error)) from None

    def process(self, formdata, data=unset_value, extra_filters=None):
        self._formdata_id = formdata.get(f"{self.name}-id") if formdata is not None else None
        super().process(formdata, data, extra_filters)
        if self.data in (None, ""):
            self.data = self.empty

    def _value(self) -> str:
        if self.text is not None:
            return self.text
        return labels_of(self.kind, [self.data]).get(self.data, "") if self.data else ""

    def __call__(self, **kwargs):
        text = self._value()
        chosen = self.data if self.data and text and not self.errors else ""
        return Markup(
            '<span class="picker" data-picker data-picker-url="{url}">'
            '<input type="text" {attributes} value="{text}">'
            '<input type="hidden" name="{name}-id" value="{chosen}" data-picker-id>'
            '<span class="picker-suggestions" role="listbox" hidden data-picker-suggestions></span></span>').format(
            url=url_for(f"pick.{self.kind.name}"), text=text, name=self.name, chosen=chosen,
            attributes=_attributes(id=self.id, name=self.name, autocomplete="off", placeholder=PLACEHOLDER,
                                   data_picker_text="", **{k: v for k, v in kwargs.items() if k not in {"size"}}))


class MultiPickerField(Field):
    """Several records of a kind: those chosen so far as ticked boxes, a text box to add more; .data is the id list."""

    def __init__(self, label=None, validators=None, kind: str = "parties", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.kind = queries.KINDS[kind]
        self.text = None

    def process_formdata(self, valuelist):
        ids, typed, problems = [], [], []
        for value in valuelist:
            value = (value or "").strip()
            number = queries.typed_id(value) if value.isdigit() else None
            if number is not None:
                ids.append(number)  # a ticked box; checked below like any typed id
            elif value:
                typed.append(value)
        self.text = "; ".join(typed)
        for term in (t.strip() for text in typed for t in text.split(";")):
            if not term:
                continue
            try:
                ids.append(resolve(self.kind, term))
            except InvalidInput as error:
                problems.append(str(error))
        visible = labels_of(self.kind, ids)
        unknown = [i for i in dict.fromkeys(ids) if i not in visible]
        problems += [f"there is no {self.kind.noun} with id {i}" for i in unknown]
        self.data = [i for i in dict.fromkeys(ids) if i in visible]
        if problems:
            raise ValueError("; ".join(problems))

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        self.data = [int(i) for i in (self.data or [])]

    def __call__(self, **kwargs):
        labels = labels_of(self.kind, self.data or [])
        chosen = Markup("").join(
            Markup('<label class="picker-chosen-item"><input type="checkbox" name="{}" value="{}" checked> {}</label>')
            .format(self.name, record_id, labels[record_id])
            # A record the viewer may not see is not named; saving the form then leaves it out.
            for record_id in self.data or [] if record_id in labels)
        kwargs.pop("size", None)
        return Markup(
            '<span class="picker" data-picker data-picker-multiple data-picker-url="{url}">'
            '<span class="picker-chosen" data-picker-chosen data-picker-name="{name}">{chosen}</span>'
            '<input type="text" {attributes} value="{text}">'
            '<span class="picker-suggestions" role="listbox" hidden data-picker-suggestions></span></span>').format(
            url=url_for(f"pick.{self.kind.name}"), name=self.name, chosen=chosen, text=self.text or "",
            attributes=_attributes(id=self.id, name=self.name, autocomplete="off",
                                   placeholder=PLACEHOLDER + "; several separated by ;", data_picker_text="",
                                   **kwargs))
