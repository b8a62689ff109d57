"""The scheduler's jobs as data, and where the scheduler may run."""
from apscheduler.schedulers.background import BackgroundScheduler

from tracker.reminders import cli, scheduler


def test_jobs_have_fixed_ids_coalesce_single_instance_and_hours_of_misfire_grace(app):
    configured = scheduler.configure(BackgroundScheduler(), app)
    jobs = {job.id: job for job in configured.get_jobs()}
    assert set(jobs) == {"reminders.send_due", "reminders.sweep", "database.statistics"}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time >= 3600


def test_serve_runs_the_scheduler_in_process_without_the_reloader_when_configured(app, monkeypatch):
    calls = {}
    monkeypatch.setattr(cli, "run_simple", lambda host, port, application, **kwargs: calls.setdefault(
        "run", dict(kwargs, host=host, port=port, app=application)))
    started = []
    monkeypatch.setattr(BackgroundScheduler, "start", lambda self, *a, **k: started.append(self))
    monkeypatch.setattr(BackgroundScheduler, "shutdown", lambda self, *a, **k: None)
    monkeypatch.setitem(app.config, "RUN_SCHEDULER_IN_PROCESS", True)
    result = app.test_cli_runner().invoke(args=["serve", "--port", "5099"])
    assert result.exit_code == 0, result.output
    assert calls["run"]["use_reloader"] is False and calls["run"]["port"] == 5099 and calls["run"]["app"] is app
    assert len(started) == 1
    assert {job.id for job in started[0].get_jobs()} == {"reminders.send_due", "reminders.sweep", "database.statistics"}


def test_serve_without_the_setting_starts_no_scheduler(app, monkeypatch):
    monkeypatch.setattr(cli, "run_simple", lambda *args, **kwargs: None)
    started = []
    monkeypatch.setattr(BackgroundScheduler, "start", lambda self, *a, **k: started.append(self))
    monkeypatch.setitem(app.config, "RUN_SCHEDULER_IN_PROCESS", False)
    assert app.test_cli_runner().invoke(args=["serve"]).exit_code == 0
    assert started == []
