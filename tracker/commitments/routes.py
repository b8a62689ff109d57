from flask import Blueprint, render_template

blueprint = Blueprint("commitments", __name__, url_prefix="/commitments")


@blueprint.route("/")
def index():
    return render_template("placeholder.html", title="commitments")
