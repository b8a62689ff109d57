from flask import Blueprint, render_template

blueprint = Blueprint("meetings", __name__, url_prefix="/meetings")


@blueprint.route("/")
def index():
    return render_template("placeholder.html", title="meetings")
