"""How values are written for people — days, labels, the HTML of a letter's body — shared by pages, emails,
reports and the operations that store what is shown. The web layer registers these as template filters; they live
here so that nothing below the web layer imports it."""
from __future__ import annotations

from datetime import date

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote", "a", "h2", "h3",
                "h4", "table", "thead", "tbody", "tr", "td", "th", "pre", "code", "span", "div", "hr"}


def sanitise_html(html: str) -> str:
    """Letter bodies: keep structure and links, drop scripts, handlers and styles."""
    # nh3 (1.6 MB of compiled library) is loaded by the first letter body shown or stored, not by every worker at
    # start: lists, dashboards and exports never sanitise.
    import nh3

    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


def label(value: str | None) -> str:
    """awaiting_reply → awaiting reply"""
    return (value or "").replace("_", " ")


def format_day(value: date | None, precision: str = "day", none: str = "—") -> str:
    """"24 May 2010", or "March 2010" for a month-precision date; `none` when there is no date."""
    if value is None:
        return none
    if precision == "month":
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"
