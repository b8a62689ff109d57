"""A past day's replay kept between requests (tracker/snapshots/cache.py): used again while nothing changed since
that day, never once a change is recorded, and the pages it gives are those built afresh."""
from __future__ import annotations

import pytest
from sqlmodel import select

from tracker.commitments import operations as commitments
from tracker.commitments.models import CommitmentParty
from tracker.config import ConfigError, validate
from tracker.demo.load import load_sample_record
from tracker.snapshots import cache, operations

DAY = "2010-05-01"


@pytest.fixture()
def kept(app, monkeypatch):
    """Replays kept for this test, none yet; and a count of the replays built."""
    monkeypatch.setitem(app.config, "AS_OF_CACHE_RECORDS", 10000)
    monkeypatch.delitem(app.extensions, "as_of_replays", raising=False)
    built = []
    replay = operations._replay_records_changed_since

    def counted(*args, **kwargs):
        built.append(1)
        return replay(*args, **kwargs)

    monkeypatch.setattr(operations, "_replay_records_changed_since", counted)
    return built


def sides_of(session, commitment_id: int, side: str) -> list[int]:
    return list(session.exec(select(CommitmentParty.party_id).where(CommitmentParty.commitment_id == commitment_id,
                                                                     CommitmentParty.side == side)))


def title_of(client, commitment_id: int, day: str | None = None) -> str:
    response = client.get(f"/api/commitments/{commitment_id}" + (f"?as_of={day}" if day else ""))
    assert response.status_code == 200, response.status_code
    return response.get_json()["title"]


def test_a_kept_replay_gives_the_page_a_fresh_one_gives(app, session, admin_client, kept):
    load_sample_record(session)
    session.commit()
    # The API's list, not the page: a page carries a signed token stamped with the second it was made.
    url = f"/api/commitments?as_of={DAY}&limit=200"
    first = admin_client.get(url)
    again = admin_client.get(url)
    assert first.status_code == again.status_code == 200
    assert len(kept) == 1  # the second answer used the first one's replay
    assert again.get_json() == first.get_json() and len(first.get_json()["items"]) > 5
    assert len(cache.of_app()) == 1


def test_a_change_recorded_since_makes_the_day_replayed_again(app, session, admin_client, kept):
    record = load_sample_record(session)
    session.commit()
    # A commitment unchanged since the day: the first replay has nothing to say about it.
    promise = record.commitments["concept_of_operations"]
    then = title_of(admin_client, promise.id, DAY)
    assert then == promise.title and len(kept) == 1

    commitments.update_details(session, promise, title="Publish the Concept of Operations, revised",
                               quote=promise.quote, owner_id=promise.owner_id,
                               made_by=sides_of(session, promise.id, "by"), made_to=sides_of(session, promise.id, "to"))
    session.commit()
    assert title_of(admin_client, promise.id) == "Publish the Concept of Operations, revised"
    assert title_of(admin_client, promise.id, DAY) == then  # replayed again, with the new change undone
    assert len(kept) == 2
    assert title_of(admin_client, promise.id, DAY) == then and len(kept) == 2


def test_kept_replays_stay_within_their_budget_and_zero_keeps_none(app, session, admin_client, kept, monkeypatch):
    load_sample_record(session)
    session.commit()
    monkeypatch.setitem(app.config, "AS_OF_CACHE_RECORDS", 0)
    for _ in range(2):
        assert admin_client.get(f"/commitments/?as_of={DAY}").status_code == 200
    assert len(kept) == 2 and len(cache.of_app()) == 0


def test_a_negative_budget_is_refused_when_the_app_starts(app):
    config = {**app.config, "AS_OF_CACHE_RECORDS": -1}
    with pytest.raises(ConfigError, match="AS_OF_CACHE_RECORDS"):
        validate(config)
