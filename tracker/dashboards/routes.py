from flask import Blueprint, render_template

blueprint = Blueprint("dashboards", __name__)


@blueprint.route("/")
def overview():
    return render_template("placeholder.html", title="Overview")
