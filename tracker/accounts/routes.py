"""Accounts: the admin's users pages, the signed-in user's own account page, and the emailed-link pages."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from tracker import events
from tracker.accounts import bearer, operations, queries
from tracker.accounts.emails import send_link, send_link_after_response
from tracker.accounts.forms import (ApiTokenForm, ChangePasswordForm, ConfirmForm, EditUserForm, ForgotPasswordForm,
                                    InviteForm, SetPasswordForm)
from tracker.accounts.models import ApiToken
from tracker.auth import throttle
from tracker.auth.models import User
from tracker.auth.throttle import limiter
from tracker.db import get_session
from tracker.events import Actor
from tracker.validation import InvalidInput
from tracker.web import PUBLIC_ENDPOINTS, admin_required, attach_error, save_or_report

blueprint = Blueprint("accounts", __name__)

# Reached by people who cannot sign in yet (or any more): asking for a reset, and the emailed link itself.
PUBLIC = {"accounts.forgot_password", "accounts.set_password"}


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    PUBLIC_ENDPOINTS.update(PUBLIC)
    bearer.init_app(app)


def _account_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id) if user_id <= queries.MAX_ID else None
    if user is None:
        abort(404)
    return user


def _link_sent_message(sent: bool, email: str, what: str) -> str:
    if sent:
        return f"{what} sent to {email}."
    return f"{what} for {email} could not be sent now (see the log); try again later."


# ---- admin -----------------------------------------------------------------------------------------------------

@blueprint.route("/admin/users", methods=["GET", "POST"])
@admin_required
def users():
    session = get_session()
    form = InviteForm()
    if form.validate_on_submit():
        saved = save_or_report(form, lambda: operations.invite_user(
            session, email=form.email.data, display_name=form.display_name.data, role=form.role.data,
            party_ids=form.party_ids.data, all_parties=form.all_parties, actor=Actor.of(current_user)),
            lambda issued: f"Account created for {issued.user.email}.")
        if saved:
            flash(_link_sent_message(send_link(saved.value), saved.value.user.email, "An invitation"))
            return redirect(url_for("accounts.users"))
    accounts = list(session.exec(queries.all_users()))
    scopes = defaultdict(list)
    for user_id, party in session.exec(queries.parties_of_users([u.id for u in accounts])):
        scopes[user_id].append(party)
    return render_template("accounts/users.html", form=form, users=accounts, scopes=scopes)


@blueprint.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id: int):
    session = get_session()
    account = _account_or_404(user_id)
    form = EditUserForm(obj=account)
    if request.method == "GET":
        form.party_ids.data = list(session.exec(queries.party_ids_of_user(account.id)))
        form.scope.data = "limited" if account.limited_to_parties else "all"
    if form.validate_on_submit():
        if save_or_report(form, lambda: operations.update_user(
                session, account, display_name=form.display_name.data, role=form.role.data,
                party_ids=form.party_ids.data, all_parties=form.all_parties, actor=Actor.of(current_user)),
                "Account saved."):
            if account.id == current_user.id:
                # A new role ended every session of the account; the admin who changed their own keeps this one.
                login_user(account)
            return redirect(url_for("accounts.user", user_id=account.id))
    tokens = list(session.exec(queries.tokens_of_user(account.id)))
    return render_template("accounts/user.html", account=account, form=form, confirm=ConfirmForm(), tokens=tokens,
                           events=events.history(session, "user", account.id))


def _admin_action(user_id: int, action, done: str):
    account = _account_or_404(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            result = action(get_session(), account, actor=Actor.of(current_user))
        except InvalidInput as error:
            get_session().rollback()
            flash(str(error))
        else:
            get_session().commit()
            flash(done.format(email=account.email))
            return account, result
    return account, None


@blueprint.route("/admin/users/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def deactivate(user_id: int):
    _admin_action(user_id, operations.deactivate_user, "{email} is deactivated: signed out everywhere, tokens revoked.")
    return redirect(url_for("accounts.user", user_id=user_id))


@blueprint.route("/admin/users/<int:user_id>/reactivate", methods=["POST"])
@admin_required
def reactivate(user_id: int):
    _admin_action(user_id, operations.reactivate_user, "{email} may sign in again.")
    return redirect(url_for("accounts.user", user_id=user_id))


@blueprint.route("/admin/users/<int:user_id>/send-link", methods=["POST"])
@admin_required
def send_password_link(user_id: int):
    """An invitation again for an account that never set a password, else a password reset."""
    account = _account_or_404(user_id)
    purpose = "reset" if account.password_hash else "invite"
    _, issued = _admin_action(user_id, lambda session, user, actor: operations.issue_link(session, user, purpose, actor),
                              "A new link was made for {email}.")
    if issued is not None:
        what = "A password reset link" if purpose == "reset" else "An invitation"
        flash(_link_sent_message(send_link(issued), account.email, what))
    return redirect(url_for("accounts.user", user_id=user_id))


# ---- anyone --------------------------------------------------------------------------------------------------------

FORGOT_ANSWER = ("If an active account has that address, a link to set a new password is on its way. "
                 "It works once, within two hours.")


# Asking for reset links draws on the sign-in budgets, per client address and per typed address: the page
# can neither flood one mailbox nor probe many addresses quickly.
per_address = limiter.shared_limit(throttle.sign_in_limit_per_address, scope="sign-in-address",
                                   key_func=throttle.client_address, methods=["POST"])
per_account = limiter.limit(throttle.sign_in_limit_per_account, key_func=throttle.submitted_account,
                            methods=["POST"])


@blueprint.route("/forgot-password", methods=["GET", "POST"])
@per_address
@per_account
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        session = get_session()
        issued = operations.request_password_reset(session, form.email.data)
        # The same answer whether or not the address has an account, so the page cannot list accounts.
        flash(FORGOT_ANSWER)
        response = redirect(url_for("auth.login"))
        if issued is not None:
            session.commit()
            send_link_after_response(issued, response)
        return response
    return render_template("accounts/forgot_password.html", form=form)


@blueprint.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    session = get_session()
    link = operations.link_from_token(session, token)
    if link is None:
        return render_template("accounts/set_password.html", form=None), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        saved = save_or_report(form, lambda: operations.use_link(session, token, form.password.data),
                               "Your password is set; sign in with it.")
        if saved:
            return redirect(url_for("auth.login"))
    return render_template("accounts/set_password.html", form=form, link=link,
                           account=session.get(User, link.user_id))


@blueprint.route("/account", methods=["GET"])
def account():
    session = get_session()
    return render_template("accounts/account.html", password_form=ChangePasswordForm(), token_form=ApiTokenForm(),
                           confirm=ConfirmForm(), tokens=list(session.exec(queries.tokens_of_user(current_user.id))),
                           new_token=None)


@blueprint.route("/account/password", methods=["POST"])
def change_password():
    session = get_session()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        me = session.get(User, current_user.id)
        saved = save_or_report(form, lambda: operations.change_own_password(
            session, me, form.current_password.data, form.password.data),
            "Password changed; every other session of yours is signed out.")
        if saved:
            # The change ended every session, this one too; sign in again with the new session version.
            login_user(me)
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", password_form=form, token_form=ApiTokenForm(),
                           confirm=ConfirmForm(), tokens=list(session.exec(queries.tokens_of_user(current_user.id))),
                           new_token=None), 400


@blueprint.route("/account/tokens", methods=["POST"])
def create_token():
    session = get_session()
    form = ApiTokenForm()
    new_token = None
    status = 400
    if form.validate_on_submit():
        try:
            _token, new_token = operations.create_api_token(session, session.get(User, current_user.id), form.name.data)
        except InvalidInput as error:
            session.rollback()
            attach_error(form, error)
        else:
            session.commit()
            status = 201
    # Shown on this response only: the secret is not kept anywhere it could be shown again.
    response = render_template("accounts/account.html", password_form=ChangePasswordForm(), token_form=form,
                               confirm=ConfirmForm(), tokens=list(session.exec(queries.tokens_of_user(current_user.id))),
                               new_token=new_token)
    return response, status


@blueprint.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int):
    session = get_session()
    token = session.get(ApiToken, token_id) if token_id <= queries.MAX_ID else None
    # Another user's token is as absent as one that does not exist; an admin revokes through deactivation.
    if token is None or token.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            operations.revoke_api_token(session, token, Actor.of(current_user))
        except InvalidInput as error:
            session.rollback()
            flash(str(error))
        else:
            session.commit()
            flash(f"Token “{token.name}” revoked.")
    return redirect(url_for("accounts.account"))
