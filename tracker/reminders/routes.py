from flask import Blueprint, render_template

blueprint = Blueprint("reminders", __name__)


@blueprint.route("/unsubscribe/<token>")
def unsubscribe(token: str):
    return render_template("placeholder.html", title="Unsubscribe")
