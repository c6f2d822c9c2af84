"""A value computed in a forked child while this process goes on with something else."""

from __future__ import annotations

import multiprocessing
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
        """`function(*arguments)` in a forked child. Fork only where it is safe: before this process
        has started threads or native libraries that hold locks (DuckDB)."""
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
                self._outcome = ("error", RuntimeError(f"the process '{self._process.name}' ended without "
                                                       f"a result (exit code {self._process.exitcode})"))
            finally:
                self._receiver.close()
                self._process.join()
        kind, payload = self._outcome
        if kind == "error":
            raise payload
        return payload


def _send_result(sender, receiver, function: Callable, arguments: tuple) -> None:
    receiver.close()  # the parent's end, copied by the fork
    try:
        reply = ("value", function(*arguments))
    except BaseException as exc:  # raised again in the parent, with this traceback attached
        exc.add_note("in the forked process:\n" + "".join(traceback.format_exception(exc)))
        reply = ("error", exc)
    try:
        sender.send(reply)
    except Exception as unpicklable:  # pickling comes before sending: nothing was sent
        sender.send(("error", RuntimeError(f"{reply[1]!r} (could not be sent whole: {unpicklable})")))
    sender.close()
