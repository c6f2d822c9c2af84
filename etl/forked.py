"""A value computed in a forked child while this process goes on with something else."""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable


class Pending:
    """A value being computed, here (already done) or in a forked child."""

    def __init__(self, outcome: tuple[str, object] | None = None, receiver=None, process=None) -> None:
        self._outcome, self._receiver, self._process = outcome, receiver, process

    @classmethod
    def done_with(cls, value) -> Pending:
        return cls(outcome=("value", value))

    @classmethod
    def in_forked_child(cls, function: Callable, arguments: tuple) -> Pending:
        """`function(*arguments)` in a forked child. Fork only before this process has loaded a
        native library whose threads may hold locks the child would need (DuckDB); CPython resets
        its own locks in the child."""
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_send_result, args=(sender, receiver, function, arguments),
                                  name=f"etl {function.__name__.strip('_')}", daemon=True)
        process.start()
        sender.close()
        return cls(receiver=receiver, process=process)

    def done(self) -> bool:
        return self._outcome is not None or self._receiver.poll()

    def result(self):
        """The value, or the child's exception raised again here."""
        if self._outcome is None:
            try:
                self._outcome = self._receiver.recv()
            except EOFError:  # it died before it could answer (killed, out of memory)
                self._process.join()
                self._outcome = ("lost", RuntimeError(
                    f"the process '{self._process.name}' ended without a result (exit code {self._process.exitcode})"))
            finally:
                self._finish()
        kind, payload = self._outcome
        if kind == "error":
            raise _rebuilt(*payload)
        if kind == "lost":
            raise payload
        return payload

    def cancel(self) -> None:
        """Stop the child if it is still at work: its value will not be asked for."""
        if self._outcome is None:
            self._process.kill()
            self._outcome = ("lost", RuntimeError(f"the process '{self._process.name}' was cancelled"))
            self._finish()

    def _finish(self) -> None:
        self._receiver.close()
        self._process.join()
        self._process.close()


def _send_result(sender, receiver, function: Callable, arguments: tuple) -> None:
    receiver.close()  # the parent's end, copied by the fork
    try:
        reply = ("value", function(*arguments))
    except BaseException as exc:
        reply = ("error", _portable(exc))
    try:
        sender.send(reply)
    except (pickle.PicklingError, TypeError, AttributeError) as unpicklable:  # raised before anything is sent
        sender.send(("error", _portable(RuntimeError(f"the result could not be sent back: {unpicklable!r}"))))
    sender.close()


def _portable(exc: BaseException) -> tuple[bytes | None, str]:
    """The exception pickled (when it can be) and its traceback as text, which always crosses."""
    text = "".join(traceback.format_exception(exc))
    try:
        return pickle.dumps(exc), text
    except Exception:
        return None, text


def _rebuilt(pickled: bytes | None, text: str) -> BaseException:
    """The child's exception as raised there, its traceback attached; a RuntimeError carrying that
    traceback when it cannot be rebuilt here."""
    try:
        exc = pickle.loads(pickled) if pickled else None
    except Exception:
        exc = None
    if exc is None:
        return RuntimeError(f"the forked process failed:\n{text}")
    exc.add_note("in the forked process:\n" + text)
    return exc
