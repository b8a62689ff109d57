from flask import Blueprint, render_template

blueprint = Blueprint("consultations", __name__, url_prefix="/comment-periods")


@blueprint.route("/")
def index():
    return render_template("placeholder.html", title="consultations")
