"""`Pending`: a value computed in a forked child, its errors raised again in the parent."""

import os
import signal
import time

import pytest

from etl.parallel import Pending


def _square(number: int) -> int:
    return number * number


def _fail(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _sleep() -> None:
    time.sleep(60)


class NeedsTwoArguments(Exception):
    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")  # pickles, but cannot be rebuilt from its args


def _fail_oddly() -> None:
    raise NeedsTwoArguments("listing", "disk gone")


def _unpicklable_value():
    return lambda: None


def test_the_childs_value_comes_back():
    pending = Pending.in_forked_child(_square, (12,))
    assert pending.result() == 144
    assert pending.done() and pending.result() == 144  # kept: asking again does not wait


def test_the_childs_exception_is_raised_here_with_its_traceback():
    pending = Pending.in_forked_child(_fail, ("no posts folder",))
    with pytest.raises(ValueError, match="no posts folder") as raised:
        pending.result()
    assert any("in the forked process:" in note and "_fail" in note for note in raised.value.__notes__)


def test_a_child_that_dies_is_an_error_naming_its_exit():
    pending = Pending.in_forked_child(_die, ())
    with pytest.raises(RuntimeError, match=r"'etl die' ended without a result \(exit code -9\)"):
        pending.result()


def test_a_value_computed_here_is_done_at_once():
    pending = Pending.done_with("plan")
    assert pending.done() and pending.result() == "plan"


def test_an_exception_that_cannot_be_rebuilt_here_comes_back_as_its_traceback():
    with pytest.raises(RuntimeError, match=r"(?s)the forked process failed:.*NeedsTwoArguments: listing: disk gone"):
        Pending.in_forked_child(_fail_oddly, ()).result()


def test_a_value_that_cannot_be_sent_back_is_an_error_saying_so():
    with pytest.raises(RuntimeError, match="the result could not be sent back"):
        Pending.in_forked_child(_unpicklable_value, ()).result()


def test_a_cancelled_child_is_stopped_and_reaped():
    pending = Pending.in_forked_child(_sleep, ())
    pid = pending._process.pid
    pending.cancel()
    with pytest.raises(ProcessLookupError):  # killed and waited for: not even a zombie is left
        os.kill(pid, 0)
    with pytest.raises(RuntimeError, match="'etl sleep' was cancelled"):
        pending.result()


def _open_files(_) -> set[str]:
    """What this process's descriptors point to (`socket:[inode]`, `pipe:[inode]`, paths)."""
    files = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            files.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own descriptor, closed by now
            pass
    return files


def _echo(connection) -> None:
    while True:
        try:
            connection.send(connection.recv())
        except EOFError:
            return


def test_workers_forked_after_a_helper_do_not_hold_its_pipe():
    """A helper sees its pipe close when its parent goes, not when the last worker does."""
    from etl.parallel import ForkedService, ordered_map

    helper = ForkedService(_echo, name="echo")
    try:
        assert helper.request("ping") == "ping"
        parent_end = os.readlink(f"/proc/self/fd/{helper._connection.fileno()}")
        for files in ordered_map(_open_files, [1, 2], workers=2):
            assert parent_end not in files
        assert helper.request("still here") == "still here"
    finally:
        helper.stop()
