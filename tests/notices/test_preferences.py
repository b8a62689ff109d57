"""The two notice choices on the digest preferences form: saved, shown again, and refused when unknown."""
import html
import re

from sqlmodel import select

from tests import factories
from tracker.reminders.models import Recipient

FORM = {"timezone": "Europe/Brussels", "frequency": "daily", "weekday": "0", "send_time": "08:00",
        "due_soon_days": "7", "include_own": "y"}


def selected(page: str, name: str) -> str:
    select_element = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', select_element).group(0)


def test_notice_choices_round_trip_through_the_form(signed_in, session):
    ccnso = factories.party(session, short_name="ccNSO")
    viewer = signed_in("viewer")
    page = viewer.get("/reminders/mine", follow_redirects=True).get_data(as_text=True)
    assert "Tell me when a promise to a party I follow, or one I own, moves" in page
    assert "Tell me when something is assigned to me" in page
    assert 'value="digest" selected' in page or 'selected value="digest"' in page
    response = viewer.post("/reminders/mine", data={**FORM, "party_ids": [str(ccnso.id)],
                                                    "notify_moves": "immediately", "notify_assigned": "never"})
    assert response.status_code == 302, response.get_data(as_text=True)
    mine = session.exec(select(Recipient).where(Recipient.user_id == viewer.user.id)).one()
    assert (mine.notify_moves, mine.notify_assigned) == ("immediately", "never")
    page = viewer.get(f"/reminders/{mine.id}").get_data(as_text=True)
    assert "immediately" in selected(page, "notify_moves")
    assert "never" in selected(page, "notify_assigned")


def test_an_unknown_choice_is_refused_on_its_field_and_the_rest_is_kept(signed_in, session):
    viewer = signed_in("viewer")
    response = viewer.post("/reminders/mine", data={**FORM, "send_time": "07:45", "notify_moves": "hourly"})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Not a valid choice" in page
    assert 'value="07:45"' in page
    assert session.exec(select(Recipient).where(Recipient.user_id == viewer.user.id)).first() is None
