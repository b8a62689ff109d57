"""What a web worker loads at start: heavy libraries and our own heavy modules load when first used, so that a
worker serving lists, pages and exports stays small (README, "Production layout"). A module here that `import app`
loads again costs every worker its memory, for the life of the worker."""
import json
import subprocess
import sys
from datetime import date

from tests.conftest import ROOT

# Module → why it is not needed at start.
LOADED_WHEN_USED = {
    "openpyxl": "the first workbook written or read (11 MB with lxml and PIL)",
    "lxml": "with openpyxl",
    "PIL": "with openpyxl",
    "numpy": "openpyxl loads it when it is installed (12 MB)",
    "fpdf": "PDF reports",
    "pypdf": "reading a PDF at intake",
    "docx": "reading a Word document at intake",
    "msal": "Microsoft sign-in and Graph mail",
    "requests": "with msal",
    "icalendar": "calendar feeds",
    "apispec": "the API document",
    "alembic": "the `flask db` commands",
    "apscheduler": "the scheduler process",
    "nh3": "the first letter body sanitised",
    "email_validator": "the first address checked",
    "tracker.intake.views": "the intake pages (through tracker.web.LazyView)",
    "tracker.intake.operations": "with the intake pages or command",
    "tracker.intake.extract": "with the intake pages or command: the extraction rules and their patterns",
    "tracker.duedates.engine": "the first due phrase read",
    "tracker.duedates.rules": "with the engine",
}


def test_import_app_leaves_the_heavy_modules_for_their_first_use():
    loaded = subprocess.run(
        [sys.executable, "-c", "import json, sys, app; print(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT, capture_output=True, text=True, check=True, env={"TRACKER_DATABASE_URL": "sqlite://"})
    modules = set(json.loads(loaded.stdout))
    assert {name: why for name, why in LOADED_WHEN_USED.items() if name in modules} == {}


def test_the_grammar_loaded_on_first_use_reads_and_still_exports_its_tables():
    from tracker.duedates import RULES, parse_due

    assert RULES and parse_due("by 30 April 2010", written_on=date(2010, 4, 1)).latest == date(2010, 4, 30)


def test_the_intake_views_loaded_on_first_use_keep_their_endpoints_and_guards(client, editor_client):
    assert client.get("/intake/").status_code == 302  # signed out: to the sign-in page, as before
    page = editor_client.get("/intake/")
    assert page.status_code == 200 and 'action="/intake/"' in page.get_data(as_text=True)
