"""/intake's URLs: upload or paste → review → save (the views are in views.py).

The views load the intake operations and the extraction rules (about 4 MB of compiled patterns and code per
process) when the first of them is asked for, not in every web worker at start: most workers never read a
document."""
from __future__ import annotations

from flask import Blueprint

from tracker.web import LazyView

blueprint = Blueprint("intake", __name__, url_prefix="/intake")
blueprint.add_url_rule("/", view_func=LazyView("tracker.intake.views.index"), methods=["GET"])
blueprint.add_url_rule("/", view_func=LazyView("tracker.intake.views.upload"), methods=["POST"])
blueprint.add_url_rule("/save", view_func=LazyView("tracker.intake.views.save"), methods=["POST"])
