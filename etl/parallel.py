"""The one way this project spreads work over processes: every child is forked here, dies with its
parent however the parent dies, and holds no pipe end but its own.

- `ordered_map`: a function over a stream of items on a pool of worker processes, results in order,
  with a bounded number of items in flight, so the caller's own work (fetching the next items,
  storing the last results) overlaps the workers'. One worker: inline, no process.
- `Pending`: one value computed in a forked child while this process goes on (the load's plan, while
  this process imports Dagster).
- `ForkedService`: a long-lived forked child that answers requests over a pipe (Great Expectations
  in `etl.quality.helper`).
- `time_budget`: a block interrupted with `TimeoutError` once it has run too long (one file's parse).

Between processes that do not share a parent:
- `exclusive_lock`: an `flock` on a file, held for a block, released by the kernel however the
  holder ends (the first use of a shared `DAGSTER_HOME`, `etl load`s of one warehouse).

Threads, for work that releases the GIL (DuckDB queries, file system calls):
- `thread_map`: a function over a few items side by side;
- `in_background`: one call on a thread of its own, which the process waits for before it exits.
"""

from __future__ import annotations

import ctypes
import fcntl
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

PARALLEL_THRESHOLD = 400
"""Below this many files or articles, starting worker processes costs more than it saves."""

_PR_SET_PDEATHSIG = 1
_FORK = multiprocessing.get_context("fork")


def die_with_parent() -> None:
    """In a child: be killed when the process that forked it dies, even by SIGKILL, so no worker or
    helper outlives a killed load holding the warehouse's files (Linux `PR_SET_PDEATHSIG`). The
    parent may already be gone by the time this runs: then exit now."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the closed pipes still end the helpers
        pass
    if parent == 1:
        os._exit(1)


def worker_count(requested: int, items: int) -> int:
    """Workers worth starting for `items` items: one (inline) below `PARALLEL_THRESHOLD`."""
    return max(1, requested) if items >= PARALLEL_THRESHOLD else 1


def ordered_map(function: Callable[[Item], Result], items: Iterable[Item], *, workers: int,
                in_flight: int | None = None, initializer: Callable | None = None,
                initargs: tuple = ()) -> Iterator[Result]:
    """`function(item)` for each item, in order. With more than one worker, items are taken from
    `items` only as slots free up (at most `in_flight`, default two per worker, are submitted and
    not yet collected), so memory stays bounded and a lazy `items` is consumed while the workers
    work. `function` must be a module-level callable (it is pickled). `initializer(*initargs)` runs
    once in each worker (here, with one): state every item needs, sent once instead of with each.
    Inline only on the main thread: elsewhere one worker process, so that `time_budget` works."""
    if workers <= 1 and threading.current_thread() is threading.main_thread():
        if initializer:
            initializer(*initargs)
        yield from map(function, items)
        return
    workers = max(1, workers)
    limit = in_flight or 2 * workers
    with ProcessPoolExecutor(max_workers=workers, mp_context=_FORK, initializer=_start_worker,
                             initargs=(initializer, initargs)) as pool:
        waiting: deque[Future] = deque()
        for item in items:
            waiting.append(pool.submit(function, item))
            if len(waiting) >= limit:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    die_with_parent()
    if initializer:
        initializer(*initargs)


_parent_only: set[int] = set()
"""Descriptors no child may keep: the lock files this process holds (`exclusive_lock`) and its ends
of its helpers' pipes (`ForkedService`)."""


def _drop_inherited_descriptors() -> None:
    """In a forked child: close what is the parent's alone, so that a long-lived child (the Great
    Expectations helper) never keeps a lock its parent has let go, and a helper sees its pipe close
    when the parent goes, not when the last worker forked meanwhile does."""
    for descriptor in _parent_only:
        os.close(descriptor)
    _parent_only.clear()


os.register_at_fork(after_in_child=_drop_inherited_descriptors)


@contextmanager
def exclusive_lock(path: Path, *, on_wait: Callable[[str], None] | None = None):
    """Hold an exclusive lock on the file `path` (created if missing) for the block, waiting for
    another holder as long as it takes. The lock belongs to the open file, so the kernel frees it
    when the holder ends, even killed; forked children do not keep it (`_drop_inherited_descriptors`).
    The file names the holder's PID, which `on_wait(text)` is told once if this call must wait."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _parent_only.add(descriptor)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait(os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip() or "another process")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"PID {os.getpid()}\n".encode(), 0)
        yield
    finally:
        _parent_only.discard(descriptor)
        os.close(descriptor)  # releases the lock


@contextmanager
def time_budget(seconds: float):
    """Run the block for at most `seconds` of wall time: then `TimeoutError` is raised in it, at the
    next instruction of Python or of the regular-expression engine (which checks for signals); C code
    that does not is interrupted when it returns. Works on a process's main thread only (where signal
    handlers run): the pool's workers, or `ordered_map` inline."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("time_budget works on the main thread only")

    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def thread_map(function: Callable[[Item], Result], items: Iterable[Item], *, threads: int) -> list[Result]:
    """`function(item)` for each item, on `threads` threads; results in order."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(function, items))


def in_background(function: Callable[..., Result], *arguments, name: str) -> Future:
    """`function(*arguments)` on a thread of its own, started now; its outcome is the Future's. The
    thread is not a daemon: the process waits for it before it exits (`etl.cli.exit_skipping_teardown`
    too)."""
    outcome: Future = Future()

    def run() -> None:
        try:
            outcome.set_result(function(*arguments))
        except BaseException as exc:
            outcome.set_exception(exc)

    threading.Thread(target=run, name=name).start()
    return outcome


def _start_child(target: Callable, arguments: tuple, name: str) -> multiprocessing.Process:
    process = _FORK.Process(target=_child_main, args=(target, arguments), name=name, daemon=True)
    process.start()
    return process


def _child_main(target: Callable, arguments: tuple) -> None:
    die_with_parent()
    target(*arguments)


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
        receiver, sender = _FORK.Pipe(duplex=False)
        process = _start_child(_send_result, (sender, receiver, function, arguments),
                               name=f"etl {function.__name__.strip('_')}")
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


class ForkedService:
    """A forked child running `serve(connection)` until the connection closes: requests go down
    the pipe, replies come back, one at a time (callers serialize). The child closes the parent's
    end the fork copied, so it sees EOF when the parent goes."""

    def __init__(self, serve: Callable, name: str) -> None:
        self._connection, child_end = _FORK.Pipe()
        self._process = _start_child(_serve_with_own_end, (serve, child_end, self._connection), name)
        child_end.close()
        _parent_only.add(self._connection.fileno())  # after the fork: the helper closes its copy itself

    def request(self, message):
        """Send `message` and return the reply; `EOFError`/`OSError` when the child is gone."""
        self._connection.send(message)
        return self._connection.recv()

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def stop(self) -> None:
        """End the child at once: it holds nothing to save."""
        self._process.kill()
        self._process.join()
        _parent_only.discard(self._connection.fileno())
        self._connection.close()


def _serve_with_own_end(serve: Callable, child_end, parent_end) -> None:
    parent_end.close()
    serve(child_end)


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
