"""The sample record as of 12 May 2010: the Concept of Operations overdue, the workshop findings not yet done."""
from __future__ import annotations

import re

import pytest

from tracker.demo.load import load_sample_record


@pytest.fixture()
def record(session):
    return load_sample_record(session)


def text_of(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_commitment_page_as_of_12_may_shows_concept_of_operations_overdue(admin_client, record):
    concept = record.commitments["concept_of_operations"]
    text = text_of(admin_client.get(f"/commitments/{concept.id}?as_of=2010-05-12"))
    assert "Showing the record as of 12 May 2010" in text
    assert "overdue" in text


def test_workshop_findings_not_done_as_of_12_may_but_done_as_of_25_may(admin_client, record, app):
    findings = record.commitments["workshop_findings"]
    then = text_of(admin_client.get(f"/commitments/{findings.id}?as_of=2010-05-12"))
    assert "marked done" not in then and "24 May 2010" not in then
    assert "overdue" in then
