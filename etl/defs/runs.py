"""What a run is, read back from Dagster: who started it, which dates it loaded, what it did."""

from __future__ import annotations

from datetime import date, datetime, timezone

import dagster as dg

from etl.core.calendar import utc_now
from etl.warehouse.publish import LoadRunRow

TRIGGER_TAG = "etl/trigger"
TRIGGERS = ("ui", "schedule", "sensor", "cli", "rebuild")
REDERIVE_TAG = "etl/rederive"
"""`all` on a run makes its articles step derive every article again from raw_post (`etl rebuild`)."""


def rederives_everything(tags) -> bool:
    return tags.get(REDERIVE_TAG) == "all"


def run_trigger(tags: dict) -> str:
    """What started a run: the `etl/trigger` tag the CLI, the schedule and the sensor set; a run
    launched from the Dagster UI (Materialize all, the Launchpad, a re-execution) has none and
    counts as `ui`."""
    trigger = tags.get(TRIGGER_TAG)
    if trigger in TRIGGERS:
        return trigger
    if tags.get("dagster/schedule_name"):
        return "schedule"
    if tags.get("dagster/sensor_name"):
        return "sensor"
    return "ui"


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def failure_cause(failure_data) -> str:
    """A failed step's cause in one line: the description of the `dagster.Failure` we raise where
    the cause is known, else the innermost exception's message (not Dagster's wrapper around it)."""
    user = getattr(failure_data, "user_failure_data", None)
    if user is not None and user.description:
        return user.description.strip().splitlines()[0]
    error = failure_data.error
    if error is None:
        return "failed"
    while error.cause is not None:
        error = error.cause
    first = (error.message.strip().splitlines() or [""])[0]
    qualified = first.split(": ", 1)
    # Dagster writes "module.Class: message"; the class name adds nothing to the message.
    if len(qualified) == 2 and qualified[0].rsplit(".", 1)[-1] == error.cls_name:
        return qualified[1]
    return first or error.cls_name or "failed"


def user_error(error):
    """The exception a step failed with (a `SerializableErrorInfo`), beneath Dagster's wrappers
    ("Error occurred while executing op ...")."""
    while error.cause is not None and (error.cls_name or "").startswith("Dagster"):
        error = error.cause
    return error


def failure_class(failure_data) -> str:
    """The class name of the exception a step failed with ("" when there is none)."""
    return user_error(failure_data.error).cls_name or "" if failure_data.error else ""


def _value(metadata: dict, key: str):
    entry = metadata.get(key)
    return getattr(entry, "value", entry)


def load_run_row(instance: dg.DagsterInstance, run_id: str, *, status: str, recorded_by: str,
                 finished_at: datetime | None = None) -> LoadRunRow:
    """What a run did, read from its Dagster event log: the file counts and the first and last post
    dates of the files `raw_posts` scanned (whatever dates the run was asked for: a run of every date
    holds the dates of the files there are), what `articles` rejected, the asset checks evaluated so
    far, and the failed steps."""
    record = instance.get_run_record_by_id(run_id)
    run = record.dagster_run if record else None
    tags = dict(run.tags) if run else {}
    row = LoadRunRow(
        run_id=run_id, trigger=run_trigger(tags), status=status, recorded_by=recorded_by,
        finished_at=finished_at or utc_now(), job_name=run.job_name if run else None,
        started_at=datetime.fromtimestamp(record.start_time, timezone.utc) if record and record.start_time else None,
    )
    materialized: dict[str, dict] = {}
    checks: list[tuple[str, bool]] = []
    failures: list[str] = []
    for entry in instance.all_logs(run_id, of_type={
        dg.DagsterEventType.ASSET_MATERIALIZATION,
        dg.DagsterEventType.ASSET_CHECK_EVALUATION,
        dg.DagsterEventType.STEP_FAILURE,
        dg.DagsterEventType.RUN_FAILURE,
    }):
        event = entry.get_dagster_event()
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = entry.asset_materialization
            materialized[materialization.asset_key.to_user_string()] = dict(materialization.metadata)
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            check = event.asset_check_evaluation_data
            checks.append((f"{check.asset_key.to_user_string()}.{check.check_name}", check.passed))
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            failures.append(f"{event.step_key}: {failure_cause(event.step_failure_data)}")
        elif not failures and event.message:
            failures.append(event.message)
    raw = materialized.get("raw_posts", {})
    if raw:
        row.files_seen = _value(raw, "files_seen")
        row.files_new = _value(raw, "files_new")
        row.files_changed = _value(raw, "files_changed")
        row.files_unchanged = _value(raw, "files_unchanged")
        row.files_deleted = _value(raw, "files_deleted")
        row.partition_start = _date(_value(raw, "first_date"))
        row.partition_end = _date(_value(raw, "last_date"))
    if "articles" in materialized:
        built = materialized["articles"]
        row.files_rejected = _value(built, "files_rejected")
        row.articles_rederived = _value(built, "articles_rederived")
        row.rederive_reason = _value(built, "rederive_reason") or None
    if "stock_mentions" in materialized:
        mentions = materialized["stock_mentions"]
        row.articles_name_matched = _value(mentions, "articles_name_matched")
        row.name_mentions = _value(mentions, "name_mentions")
        row.dictionary_changed_names = _value(mentions, "dictionary_changed_names")
    row.checks_passed = sum(passed for _, passed in checks)
    row.checks_failed = len(checks) - row.checks_passed
    row.failed_checks = [name for name, passed in checks if not passed]
    row.error = "\n".join(failures)[:4000] or None
    return row
