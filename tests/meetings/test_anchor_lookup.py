"""A due phrase reads only the meetings it may name: by a word of their title or aliases."""
from datetime import datetime, timezone

from tests import factories
from tracker.meetings.operations import anchor_meeting_ids, meetings_as_anchors, words_naming_meetings


def test_only_the_meetings_a_phrase_may_name_are_read(session):
    brussels = factories.meeting(session, title="ICANN 38 Brussels", aliases="Brussels",
                                 starts_at=datetime(2010, 6, 20, 8, tzinfo=timezone.utc),
                                 ends_at=datetime(2010, 6, 25, 18, tzinfo=timezone.utc))
    factories.meeting(session, title="ICANN 39 Cartagena", aliases="Cartagena",
                      starts_at=datetime(2010, 12, 5, 8, tzinfo=timezone.utc),
                      ends_at=datetime(2010, 12, 10, 18, tzinfo=timezone.utc))
    session.flush()
    assert set(meetings_as_anchors(session, named_in="before the Brussels meeting")) == {"ICANN 38 Brussels",
                                                                                       "Brussels"}
    assert set(meetings_as_anchors(session, named_in="by ICANN 38")) == {"ICANN 38 Brussels", "Brussels"}
    assert meetings_as_anchors(session, named_in="by end of April") == {}
    assert anchor_meeting_ids(session, named_in="ahead of Brussels") == {"ICANN 38 Brussels": brussels.id,
                                                                         "Brussels": brussels.id}
    assert len(meetings_as_anchors(session)) == 4  # without a phrase: every meeting and alias
    assert words_naming_meetings("within two weeks of the next meeting") == frozenset({"two"})
