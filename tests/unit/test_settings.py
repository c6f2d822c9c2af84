"""Every ETL_* setting is checked in one place: a bad value is one line naming the variable, the
value and what is allowed, and the commands exit 2 with it, before reading or writing anything."""

import os
import subprocess
import sys

import pytest

from etl.cli import main
from etl.core.settings import DEFAULT_MAX_POST_BYTES, SAMPLE_POSTS_DIR, SettingsError, load_settings

VARIABLES = ("ETL_POSTS_DIR", "ETL_WAREHOUSE", "ETL_ANALYST_DB", "ETL_ANALYST_DB_STORAGE_VERSION",
             "ETL_MAX_POST_BYTES", "ETL_WORKERS", "ETL_HASH_EVERY_FILE", "ETL_SENSOR_INTERVAL_SECONDS",
             "ETL_MAX_DELETE_SHARE", "ETL_PARSE_SECONDS_PER_FILE", "ETL_LOCK_WAIT_SECONDS")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_defaults():
    settings = load_settings()
    assert (settings.posts_dir, settings.max_post_bytes, settings.hash_every_file, settings.sensor_interval_seconds) \
        == (SAMPLE_POSTS_DIR, DEFAULT_MAX_POST_BYTES, False, 30)
    assert (settings.max_delete_share, settings.parse_seconds_per_file, settings.lock_wait_seconds) == (0.2, 10, 60)
    assert settings.workers == os.cpu_count()


@pytest.mark.parametrize(("name", "value", "allowed"), [
    ("ETL_WORKERS", "abc", "a whole number of processes, at least 1"),
    ("ETL_WORKERS", "0", "a whole number of processes, at least 1"),
    ("ETL_WORKERS", "-1", "a whole number of processes, at least 1"),
    ("ETL_MAX_POST_BYTES", "abc", "a whole number of bytes, at least 1 (default 2097152)"),
    ("ETL_MAX_POST_BYTES", "0", "a whole number of bytes, at least 1"),
    ("ETL_MAX_POST_BYTES", "-1", "a whole number of bytes, at least 1"),
    ("ETL_MAX_POST_BYTES", "2.5", "a whole number of bytes, at least 1"),
    ("ETL_SENSOR_INTERVAL_SECONDS", "-5", "a whole number of seconds, at least 1 (default 30)"),
    ("ETL_SENSOR_INTERVAL_SECONDS", "abc", "a whole number of seconds, at least 1"),
    ("ETL_HASH_EVERY_FILE", "maybe", "one of 1, true, yes, on (on) or 0, false, no, off (off)"),
    ("ETL_ANALYST_DB_STORAGE_VERSION", "1.5", "a DuckDB storage version such as v1.5.0"),
    ("ETL_MAX_DELETE_SHARE", "20%", "a share from 0 to 1, such as 0.2 for 20% (default 0.2)"),
    ("ETL_MAX_DELETE_SHARE", "1.5", "a share from 0 to 1"),
    ("ETL_MAX_DELETE_SHARE", "nan", "a share from 0 to 1"),
    ("ETL_PARSE_SECONDS_PER_FILE", "0", "a number of seconds above 0, such as 2.5 (default 10)"),
    ("ETL_PARSE_SECONDS_PER_FILE", "inf", "a number of seconds above 0"),
    ("ETL_LOCK_WAIT_SECONDS", "-1", "a number of seconds above 0, such as 2.5 (default 60)"),
])
def test_a_bad_value_is_named_with_what_is_allowed(monkeypatch, name, value, allowed):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(f"{name}={value!r} is not allowed: it must be ")
    assert allowed in message and "\n" not in message


@pytest.mark.parametrize("name", VARIABLES)
def test_an_empty_value_is_refused_not_taken_for_the_default(monkeypatch, name):
    monkeypatch.setenv(name, "")
    with pytest.raises(SettingsError, match=f"^{name} is set but empty: give a value, or unset it for the default"):
        load_settings()


def test_switches_and_numbers_in_their_usual_spellings(monkeypatch):
    monkeypatch.setenv("ETL_HASH_EVERY_FILE", "Yes")
    monkeypatch.setenv("ETL_MAX_POST_BYTES", " 4096 ")
    monkeypatch.setenv("ETL_ANALYST_DB_STORAGE_VERSION", "v1.5.0")
    settings = load_settings()
    assert (settings.hash_every_file, settings.max_post_bytes) == (True, 4096)
    monkeypatch.setenv("ETL_HASH_EVERY_FILE", "off")
    assert load_settings().hash_every_file is False


def test_workers_are_clamped_to_what_the_machine_can_hold(monkeypatch):
    monkeypatch.setenv("ETL_WORKERS", "10000")
    assert load_settings().workers == 4 * os.cpu_count()
    monkeypatch.setenv("ETL_WORKERS", "1")
    assert load_settings().workers == 1


@pytest.mark.parametrize("command", [["load"], ["sql", "SELECT 1"]])
def test_the_commands_print_the_one_line_and_exit_2(monkeypatch, capsys, tmp_path, command):
    monkeypatch.setenv("ETL_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("ETL_WORKERS", "abc")
    assert main(command) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: ETL_WORKERS='abc' is not allowed: it must be a whole number of processes, " \
                           "at least 1 (default %d)\n" % os.cpu_count()
    assert not (tmp_path / "w.duckdb").exists()


def test_etl_load_refuses_an_empty_posts_folder_setting_and_a_file_in_its_place(tmp_path):
    """In a fresh process, as a user runs it: one line on stderr, no traceback, exit 2."""
    warehouse = tmp_path / "w.duckdb"
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES} | {"ETL_WAREHOUSE": str(warehouse)}
    not_a_folder = tmp_path / "posts.md"
    not_a_folder.write_text("")
    for setting, message in [("", "error: ETL_POSTS_DIR is set but empty"),
                             (str(not_a_folder), f"error: posts folder {not_a_folder} is not a folder")]:
        done = subprocess.run([sys.executable, "-m", "etl.cli", "load"], env=environment | {"ETL_POSTS_DIR": setting},
                              capture_output=True, text=True, timeout=120)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.startswith(message) and done.stderr.count("\n") == 1
    assert not warehouse.exists()
