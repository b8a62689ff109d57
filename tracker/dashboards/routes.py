from flask import Blueprint, render_template

blueprint = Blueprint("dashboards", __name__)


@blueprint.route("/")
def overview():
    return render_template("placeholder.html", title="Overview")


@blueprint.route("/parties/<int:party_id>")
def party(party_id: int):
    return render_template("placeholder.html", title=f"Party {party_id}")
