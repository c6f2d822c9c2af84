"""The posts folder: find every `*.md` file, read and hash it. Touches the disk, parses nothing."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from etl.posts.build import too_big
from etl.posts.identity import PostIdentity, identify

UNREADABLE = "unreadable"
"""`content_sha256` of a file that could not be read: there are no bytes to hash."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    post_path: str
    """Relative to the posts folder, forward slashes: the file's identity in the warehouse."""
    abs_path: str

    @classmethod
    def under(cls, posts_dir: Path | str, post_path: str) -> SourceFile:
        """The file `post_path` of the folder `posts_dir`, as `discover` names it."""
        return cls(post_path, os.fspath(posts_dir) + os.sep + post_path.replace("/", os.sep))

    @property
    def folder(self) -> str:
        """The posts folder the file was listed in (`abs_path` is it, a separator, then `post_path`)."""
        return self.abs_path[: len(self.abs_path) - len(self.post_path) - 1]

    @property
    def identity(self) -> PostIdentity:
        """Article and dates the file name gives. Worked out when asked, not when listed: a load
        that finds every file unchanged by its stamps never needs it."""
        return identify(self.post_path)

    @property
    def name_date(self) -> date | None:
        return self.identity.name_date


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What `stat` says about a file: with the path, enough to tell it has not been rewritten."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class FileVersion:
    source: SourceFile
    sha256: str
    data: bytes
    error: str | None = None
    """Why the file could not be read (permissions, symlink loop); `data` is empty then."""
    stamp: FileStamp | None = None
    """Size and modification time taken just before the bytes were read; None if unreadable."""

    @property
    def post_path(self) -> str:
        return self.source.post_path


def discover(posts_dir: Path) -> list[SourceFile]:
    """Every `*.md` file under `posts_dir`, following directory symlinks but never around a loop.
    A name that is not valid UTF-8 is listed by its escaped form (`post_name`), to be quarantined."""
    posts_dir = Path(posts_dir)
    if not posts_dir.is_dir():
        problem = "is not a folder" if posts_dir.exists() else "does not exist"
        raise FileNotFoundError(f"posts folder {posts_dir} {problem}")
    base = os.fspath(posts_dir)
    found: list[SourceFile] = []
    visited: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(base, followlinks=True):
        folder = os.stat(root)
        if (folder.st_dev, folder.st_ino) in visited:
            dirs[:] = []
            continue
        visited.add((folder.st_dev, folder.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # Plain string work: a Path per file costs more than the rest of the scan.
        prefix = "" if root == base else root[len(base) + 1 :].replace(os.sep, "/") + "/"
        for name in files:
            if name.lower().endswith(".md"):
                found.append(SourceFile(post_name(prefix + name), root + os.sep + name))
    found.sort(key=lambda f: f.post_path)
    return found


def post_name(relative: str) -> str:
    """A path as the warehouse names it. The OS gives names that are not valid UTF-8 with their
    bytes as lone surrogates, which no database column or Arrow array takes: those bytes are
    written as `\\xNN` instead, a readable name that marks the file for quarantine (`read_file`)."""
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return relative


_ESCAPED_BYTE = re.compile(r"\\x[89a-f][0-9a-f]")
"""A byte `post_name` escaped: only bytes from 0x80 up can make a name invalid UTF-8."""


def read_file(source: SourceFile, *, max_bytes: int) -> FileVersion:
    """The file's bytes and hash, or why they were not read: only a regular file inside the posts
    folder, with a UTF-8 name, of at most `max_bytes`, is read at all."""
    if _ESCAPED_BYTE.search(source.post_path):
        return _unread(source, "file name is not valid UTF-8 (its bytes are shown as \\xNN): rename the file")
    try:
        target = os.path.realpath(source.abs_path)
        if not _inside(target, source.folder):
            # A link out of the folder (to /etc/shadow, a checkout's stray link) is never followed:
            # its target's bytes would be stored and published to analysts.
            return _unread(source, f"symbolic link to {target}, outside the posts folder: not read")
        info = os.stat(target)
        # A FIFO or device named *.md would block or stream forever: only regular files are posts.
        if not stat.S_ISREG(info.st_mode):
            return _unread(source, "cannot read file: not a regular file")
        if info.st_size > max_bytes:
            return _unread(source, too_big(info.st_size, max_bytes))
        data = _read_at_most(target, info.st_size, max_bytes)
    except OSError as exc:
        return _unread(source, f"cannot read file: {exc.strerror or exc}")
    if len(data) > max_bytes:  # it grew after the stat
        return _unread(source, too_big(len(data), max_bytes))
    # Stat before reading: a write in between leaves a stamp older than the bytes, so the next load
    # sees a different stamp and hashes the file again, never the other way round.
    return FileVersion(source, hashlib.sha256(data).hexdigest(), data,
                       stamp=FileStamp(info.st_size, info.st_mtime_ns))


def _unread(source: SourceFile, reason: str) -> FileVersion:
    return FileVersion(source, UNREADABLE, b"", reason)


@lru_cache(maxsize=8)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _inside(target: str, folder: str) -> bool:
    real_folder = _real_folder(folder)
    return target.startswith(real_folder.rstrip(os.sep) + os.sep)


def _read_at_most(path: str, expected_size: int, max_bytes: int) -> bytes:
    """The file's bytes with plain system calls (a buffered file object costs more than reading a
    post), stopping once there are more than `max_bytes`: a file that grows after its stat is not
    read whole either."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        chunks, size = [], 0
        # One read of the size stat gave (and one more byte), then on until the end in case it grew.
        while size <= max_bytes and (chunk := os.read(fd, expected_size + 1 if not chunks else 1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
