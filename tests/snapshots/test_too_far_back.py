"""A day whose rebuild would roll back more records than AS_OF_MAX_CHANGES allows gets a message, not a wait."""
from __future__ import annotations

from tracker.demo.load import load_sample_record


def test_a_day_too_far_back_is_refused_with_a_message_and_today_still_answers(app, session, admin_client):
    load_sample_record(session)
    session.commit()
    app.config["AS_OF_MAX_CHANGES"] = 3
    response = admin_client.get("/commitments/?as_of=2010-02-01")
    assert response.status_code == 400
    assert "Choose a later day" in response.get_data(as_text=True)
    assert admin_client.get("/commitments/").status_code == 200
    app.config["AS_OF_MAX_CHANGES"] = 100000
    assert admin_client.get("/commitments/?as_of=2010-02-01").status_code == 200
