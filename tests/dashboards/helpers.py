from __future__ import annotations

import re

from sqlalchemy import event


def section(html: str, section_id: str) -> str:
    """The markup of <section id="section_id">…</section>."""
    match = re.search(rf'<section id="{section_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {section_id}"
    return match.group(1)


def titles_in(html: str) -> list[str]:
    """Link texts of commitment and letter rows, in page order."""
    return re.findall(r'<a href="/(?:commitments|letters)/\d+">([^<]+)</a>', html)


class CountStatements:
    """Counts statements sent on the test session's connection (works with the rolled-back test session)."""

    def __init__(self, session):
        self.connection = session.connection()
        self.count = 0

    def _count(self, *_args, **_kwargs):
        self.count += 1

    def __enter__(self):
        event.listen(self.connection, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.connection, "before_cursor_execute", self._count)
