from flask import Blueprint, render_template

blueprint = Blueprint("letters", __name__, url_prefix="/letters")


@blueprint.route("/")
def index():
    return render_template("placeholder.html", title="letters")
