from flask import Blueprint, render_template

blueprint = Blueprint("parties", __name__, url_prefix="/parties")


@blueprint.route("/")
def index():
    return render_template("placeholder.html", title="parties")
