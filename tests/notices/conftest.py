from datetime import date

import pytest

from tests import factories
from tracker import events
from tracker.commitments.operations import Window
from tracker.reminders import operations as reminder_operations


class World:
    """A promise of the CEO's office to the ccNSO, owned by Greg; Chris follows the ccNSO, Avri the GNSO; an
    editor makes the changes."""

    def __init__(self, session):
        self.session = session
        self.office = factories.party(session, name="CEO's office", short_name="CEO's office", is_internal=True)
        self.ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
        self.gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
        self.owner = factories.person(session, name="Greg Rattray", email="greg@example.org")
        self.editor = factories.user(session, role="editor", email="editor@example.org", display_name="Ed Itor")
        self.actor = events.Actor(self.editor.id, self.editor.display_name)
        self.promise = factories.commitment(
            session, title="Publish the Concept of Operations", made_by=[self.office], made_to=[self.ccnso],
            owner_id=self.owner.id, window=Window("by end of April", None, date(2010, 4, 30), "day"))
        self.chris = self.follower("chris@example.org", "Chris Disspain", [self.ccnso])
        self.avri = self.follower("avri@example.org", "Avri Doria", [self.gnso])

    def follower(self, email, name, parties, **preferences):
        # Sent at 23:30 UTC: no digest is due in the middle of the day the tests run at.
        preferences = {"send_time": "23:30", "notify_moves": "immediately", **preferences}
        return reminder_operations.save_recipient(
            self.session, email=email, name=name, party_ids=[p.id for p in parties],
            preferences=reminder_operations.Preferences(**preferences))


@pytest.fixture()
def world(session):
    return World(session)
