"""CSV export of the commitments list: same filters and access rules, safe in a spreadsheet."""
from datetime import date

from tests import factories, sheets
from tracker.commitments.operations import Window
from tracker.export import neutralise


def read_csv(response) -> sheets.Frame:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return sheets.read_csv(response.get_data())


def test_export_follows_the_filters_and_names_the_parties(editor_client, session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    late = factories.commitment(session, title="Publish the Concept of Operations", made_to=[ccnso],
                                window=Window("in early May", date(2010, 5, 1), date(2010, 5, 10), "window"))
    factories.commitment(session, title="Due later", made_to=[ccnso],
                         window=Window("by end of June", None, date(2010, 6, 30), "day"))
    session.commit()
    frame = read_csv(editor_client.get("/commitments/export.csv?status=overdue"))
    assert list(frame["title"]) == ["Publish the Concept of Operations"]
    row = frame.rows[0]
    assert (row["id"], row["made_to"], row["due_latest"], row["timing"]) == (str(late.id), "ccNSO Council",
                                                                             "2010-05-10", "overdue")
    assert row["url"].endswith(f"/commitments/{late.id}")


def test_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(editor_client, session):
    factories.commitment(session, title='=HYPERLINK("http://evil.example","click")', quote="+1 and -1 @all")
    session.commit()
    frame = read_csv(editor_client.get("/commitments/export.csv"))
    assert frame.rows[0]["title"].startswith("'=HYPERLINK")
    assert frame.rows[0]["quote"] == "'+1 and -1 @all"
    assert neutralise(42) == 42 and neutralise("plain") == "plain"


def test_limited_viewer_exports_only_their_parties(signed_in, session):
    ccnso = factories.party(session, name="ccNSO Council", short_name="ccNSO")
    gnso = factories.party(session, name="GNSO Council", short_name="GNSO")
    factories.commitment(session, title="For the ccNSO", made_to=[ccnso])
    factories.commitment(session, title="For the GNSO", made_to=[gnso])
    session.commit()
    viewer = signed_in("viewer", party_ids=[ccnso.id])
    assert list(read_csv(viewer.get("/commitments/export.csv"))["title"]) == ["For the ccNSO"]


def test_export_with_a_bad_filter_is_refused(editor_client):
    response = editor_client.get("/commitments/export.csv?due_before=2010-02-30")
    assert response.status_code == 400
    assert "due_before" in response.get_data(as_text=True)
