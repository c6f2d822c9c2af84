"""`etl` writing into a pipe whose reader stops early (`etl sql ... | head`): a quiet end, not a
traceback; a broken pipe that is not standard output stays an error."""

import subprocess
import sys

import duckdb
import pytest

from etl import cli


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    database = tmp_path / "empty.duckdb"
    duckdb.connect(str(database)).close()
    command = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "sql", "--db", str(database), "SELECT range FROM range(200000)"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert command.stdout.readline().split() == [b"range"]
    command.stdout.close()  # what `head -1` does after its line; far more output is still to come
    stderr = command.stderr.read().decode()
    assert command.wait(timeout=60) == 128 + 13  # as if killed by SIGPIPE, the way other tools end
    assert stderr == ""


def test_a_broken_pipe_elsewhere_is_still_an_error(monkeypatch, capfd):
    def helper_went_away(args):
        raise BrokenPipeError("the helper's pipe")

    monkeypatch.setattr(cli, "_sql", helper_went_away)
    with pytest.raises(BrokenPipeError, match="the helper's pipe"):
        cli.main(["sql", "SELECT 1"])
