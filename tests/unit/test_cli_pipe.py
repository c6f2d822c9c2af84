"""`etl` writing into a pipe whose reader stops early (`etl sql ... | head`): a quiet end, not a
traceback; a broken pipe that is not standard output stays an error."""

import os
import subprocess
import sys

import duckdb
import pytest

from etl import cli
from etl.cli import sql as sql_command

SIGPIPE_STATUS = 128 + 13
"""What a shell reports for a tool killed by SIGPIPE, the way `head`'s writers usually end."""


def _etl_sql(database, query: str, stdout) -> subprocess.Popen:
    # Unbuffered output would hide the case where the output waits in Python's buffer until exit.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.Popen([sys.executable, "-m", "etl.cli", "sql", "--db", str(database), query],
                            stdout=stdout, stderr=subprocess.PIPE, env=environment)


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    return path


def test_a_reader_that_stops_after_a_line_ends_the_command_quietly(database):
    command = _etl_sql(database, "SELECT range FROM range(200000)", subprocess.PIPE)
    assert command.stdout.readline().split() == [b"range"]
    command.stdout.close()  # what `head -1` does after its line; far more output is still to come
    stderr = command.stderr.read().decode()
    assert command.wait(timeout=60) == SIGPIPE_STATUS
    assert stderr == ""


def test_short_output_into_a_closed_pipe_ends_the_command_quietly(database):
    reader, writer = os.pipe()
    os.close(reader)  # gone before anything is written: the output is only written at the end
    command = _etl_sql(database, "SELECT 42 AS answer", writer)
    os.close(writer)
    stderr = command.stderr.read().decode()
    assert command.wait(timeout=60) == SIGPIPE_STATUS
    assert stderr == ""


def test_a_broken_pipe_elsewhere_is_still_an_error(monkeypatch, capfd):
    def helper_went_away(args):
        raise BrokenPipeError("the helper's pipe")

    monkeypatch.setattr(sql_command, "command", helper_went_away)
    with pytest.raises(BrokenPipeError, match="the helper's pipe"):
        cli.main(["sql", "SELECT 1"])
