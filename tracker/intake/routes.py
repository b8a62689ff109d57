from flask import Blueprint, render_template

blueprint = Blueprint("intake", __name__, url_prefix="/intake")


@blueprint.route("/")
def index():
    return render_template("placeholder.html", title="Intake")
