from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash

from tracker.auth import operations, sessions
from tracker.auth.forms import SignInForm, UserForm
from tracker.auth.models import User
from tracker.auth.queries import all_users, user_by_email
from tracker.db import get_session
from tracker.events import Actor
from tracker.parties.queries import all_parties
from tracker.web import admin_required, login_manager, safe_next_url

blueprint = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)

    @login_manager.user_loader
    def _load_user(stored_id: str):
        parsed = sessions.parse_session_id(stored_id)
        if parsed is None:
            return None
        user_id, version = parsed
        user = get_session().get(User, user_id)
        return user if sessions.is_current(user, version) else None


@blueprint.route("/sign-in", methods=["GET", "POST"])
def login():
    form = SignInForm()
    if form.validate_on_submit():
        user = get_session().exec(user_by_email(form.email.data)).first()
        if user is None or not user.active or not check_password_hash(user.password_hash, form.password.data):
            form.password.errors.append("Unknown email or wrong password.")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@blueprint.route("/sign-out", methods=["POST"])
def logout():
    logout_user()
    flash("Signed out.")
    return redirect(url_for("auth.login"))


@blueprint.route("/admin/users", methods=["GET", "POST"])
@admin_required
def users():
    session = get_session()
    form = UserForm()
    form.party_ids.choices = [(p.id, p.name) for p in session.exec(all_parties())]
    if form.validate_on_submit():
        try:
            operations.create_user(session, email=form.email.data, display_name=form.display_name.data,
                                   password=form.password.data, role=form.role.data,
                                   party_ids=form.party_ids.data, actor=Actor.of(current_user))
        except operations.AccountError as error:
            form.email.errors.append(str(error))
        else:
            session.commit()
            flash(f"Account created for {form.email.data}.")
            return redirect(url_for("auth.users"))
    return render_template("auth/users.html", form=form, users=list(session.exec(all_users())))
