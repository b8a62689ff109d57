"""The benchmark generator fills either database: parents before children, sequences past the ids it wrote."""
from __future__ import annotations

import importlib.util
from datetime import datetime, timezone

from sqlalchemy import create_engine, func, select

from tests.conftest import ROOT
from tracker.letters.models import Letter
from tracker.parties.models import Party

SPEC = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
generate_module = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(generate_module)


def test_generates_more_child_rows_than_a_batch_and_new_rows_get_fresh_ids(make_database, monkeypatch):
    # A small batch makes children (participants, commitments) fill up before their parent letters do.
    monkeypatch.setattr(generate_module, "BATCH", 300)
    url = make_database()
    counts = generate_module.generate(url, letters=400)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            assert connection.execute(select(func.count()).select_from(Letter)).scalar() == 400
            assert counts["participants"] > 400 and counts["commitments"] > 400
            # The app's next insert must not collide with a generated id (PostgreSQL sequences).
            now = datetime(2010, 5, 12, tzinfo=timezone.utc)
            new_id = connection.execute(Party.__table__.insert().values(
                name="New party", short_name="NEW", kind="organisation", is_internal=False, description="",
                created_at=now).returning(Party.__table__.c.id)).scalar()
            assert new_id > generate_module.PARTIES
    finally:
        engine.dispose()
