from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask import session as cookie_session
from flask_login import current_user, login_user, logout_user

from tracker.auth import entra, sessions, signin, throttle
from tracker.auth.forms import SignInForm
from tracker.auth.models import User
from tracker.auth.queries import user_by_email
from tracker.auth.throttle import limiter
from tracker.db import get_session
from tracker.web import PUBLIC_ENDPOINTS, admin_required, login_manager, safe_next_url

blueprint = Blueprint("auth", __name__)

# Keys in the cookie session for an Entra ID sign-in in progress: msal's flow (state, nonce, PKCE
# verifier) and the page to go to afterwards.
ENTRA_FLOW = "entra_flow"
ENTRA_NEXT = "entra_next"

# The password form and the Entra ID pages draw on one budget per client address.
per_address = limiter.shared_limit(throttle.sign_in_limit_per_address, scope="sign-in-address",
                                   key_func=throttle.client_address, methods=["POST"])
per_address_entra = limiter.shared_limit(throttle.sign_in_limit_per_address, scope="sign-in-address",
                                         key_func=throttle.client_address)
per_account = limiter.limit(throttle.sign_in_limit_per_account, key_func=throttle.submitted_account,
                            methods=["POST"])


def init_app(app: Flask) -> None:
    throttle.init_app(app)
    app.register_blueprint(blueprint)
    PUBLIC_ENDPOINTS.update({"auth.entra_start", "auth.entra_callback"})

    @login_manager.user_loader
    def _load_user(stored_id: str):
        parsed = sessions.parse_session_id(stored_id)
        if parsed is None:
            return None
        user_id, version = parsed
        user = get_session().get(User, user_id)
        return user if sessions.is_current(user, version) else None

    @app.context_processor
    def _sign_in_options():
        return {"entra_sign_in": entra.is_configured(app.config)}


def _start_session(user: User, remember: bool) -> None:
    # A new session at sign-in: nothing put in it before (by whoever had this browser) carries over.
    cookie_session.clear()
    login_user(user, remember=remember, fresh=True)


@blueprint.route("/sign-in", methods=["GET", "POST"])
@per_address
@per_account
def login():
    form = SignInForm()
    if form.validate_on_submit():
        session = get_session()
        user = signin.sign_in_with_password(session, form.email.data, form.password.data,
                                            client_address=throttle.client_address())
        session.commit()
        if user is not None:
            _start_session(user, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next")))
        form.password.errors.append("Unknown email or wrong password.")
    return render_template("auth/login.html", form=form)


@blueprint.route("/sign-out", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        session = get_session()
        signin.sign_out(session, session.get(User, current_user.id), client_address=throttle.client_address())
        session.commit()
    logout_user()
    cookie_session.clear()
    flash("Signed out.")
    return redirect(url_for("auth.login"))


@blueprint.route("/sign-in/entra")
@per_address_entra
def entra_start():
    if not entra.is_configured(current_app.config):
        return redirect(url_for("auth.login"))
    redirect_uri = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.entra_callback")
    try:
        flow = entra.start_flow(redirect_uri)
    except entra.EntraSignInRefused as refusal:
        return _refused_page(str(refusal)), 503
    cookie_session[ENTRA_FLOW] = flow
    cookie_session[ENTRA_NEXT] = safe_next_url(request.args.get("next"))
    return redirect(flow["auth_uri"])


@blueprint.route("/sign-in/entra/callback")
@per_address_entra
def entra_callback():
    if not entra.is_configured(current_app.config):
        return redirect(url_for("auth.login"))
    session = get_session()
    flow = cookie_session.pop(ENTRA_FLOW, None) or {}
    target = safe_next_url(cookie_session.pop(ENTRA_NEXT, None))
    address = throttle.client_address()
    identity = None
    try:
        identity = entra.finish_flow(flow, request.args.to_dict())
        user = entra.account_for_identity(session, identity, current_app.config)
    except entra.EntraSignInRefused as refusal:
        session.rollback()
        signin.record_failure(session, None, identity.email if identity else "", str(refusal), method="entra",
                              client_address=address)
        session.commit()
        return _refused_page(str(refusal)), 403
    signin.sign_in_with_entra(session, user, client_address=address)
    session.commit()
    _start_session(user, remember=False)
    return redirect(target)


def _refused_page(message: str):
    form = SignInForm(formdata=None)
    form.form_errors.append(message)
    return render_template("auth/login.html", form=form)


SIGN_IN_OUTCOMES = {"all": signin.SIGN_IN_KINDS, "failed": (signin.SIGN_IN_FAILED,),
                    "succeeded": (signin.SIGNED_IN,)}


@blueprint.route("/admin/sign-ins")
@admin_required
def sign_ins():
    session = get_session()
    outcome = request.args.get("outcome", "all")
    if outcome not in SIGN_IN_OUTCOMES:
        outcome = "all"
    account_email = (request.args.get("account") or "").strip()[:320]
    account = session.exec(user_by_email(account_email)).first() if account_email else None
    rows = [] if account_email and account is None else list(
        session.exec(signin.sign_in_log(SIGN_IN_OUTCOMES[outcome], account.id if account else None)))
    return render_template("auth/sign_ins.html", rows=rows, outcome=outcome, account_email=account_email,
                           outcomes=list(SIGN_IN_OUTCOMES))
