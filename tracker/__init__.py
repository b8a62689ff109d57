"""The application factory: configuration → database → extensions → blueprints → CLI. Nothing runs at import."""
from __future__ import annotations

from flask import Flask


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    from tracker import config

    app.config.from_mapping(config.build(app.instance_path, overrides))

    from tracker import db, models  # noqa: F401  (models registers every table)
    from tracker import access, snapshots, web
    from tracker.accounts import routes as account_routes
    from tracker.auth import routes as auth_routes

    db.init_app(app)
    web.init_app(app)
    access.init_app(app)
    snapshots.init_app(app)
    auth_routes.init_app(app)
    account_routes.init_app(app)
    _register_blueprints(app)
    _register_handlers()
    _register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from tracker.api.routes import blueprint as api
    from tracker.calendar.routes import blueprint as calendar
    from tracker.exchange.routes import blueprint as exchange
    from tracker.search.routes import blueprint as search
    from tracker.commitments.routes import blueprint as commitments
    from tracker.consultations.routes import blueprint as consultations
    from tracker.dashboards.routes import blueprint as dashboards
    from tracker.letters.routes import blueprint as letters
    from tracker.meetings.routes import blueprint as meetings
    from tracker.intake.routes import blueprint as intake
    from tracker.parties.routes import blueprint as parties
    from tracker.phases.routes import blueprint as phases
    from tracker.pickers.routes import blueprint as pick
    from tracker.reminders.routes import blueprint as reminders
    from tracker.reports.routes import blueprint as reports

    for blueprint in (dashboards, parties, letters, commitments, meetings, consultations, intake, reminders, calendar,
                      exchange, search, api, reports, pick, phases):
        app.register_blueprint(blueprint)


def _register_handlers() -> None:
    # Importing a handlers module subscribes its functions to event kinds.
    from tracker.commitments import handlers as _commitment_handlers  # noqa: F401
    from tracker.letters import handlers as _letter_handlers  # noqa: F401
    from tracker.notices import handlers as _notice_handlers  # noqa: F401
    from tracker.search import handlers as _search_handlers  # noqa: F401


def _register_cli(app: Flask) -> None:
    from tracker.accounts.cli import users_cli
    from tracker.calendar.cli import calendar_cli
    from tracker.exchange.cli import import_cli
    from tracker.demo.cli import demo_cli
    from tracker.intake.cli import intake_command
    from tracker.migrate import db_cli
    from tracker.reminders.cli import digest_cli, scheduler_command, serve_command

    from tracker.db import hint_when_schema_missing

    app.cli.add_command(db_cli)
    for command in (users_cli, demo_cli, intake_command, digest_cli, scheduler_command, serve_command,
                    calendar_cli, import_cli):
        app.cli.add_command(hint_when_schema_missing(command))
