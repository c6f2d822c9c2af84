"""The posts folder: find every `*.md` file, read and hash it. Touches the disk, parses nothing."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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
    def identity(self) -> PostIdentity:
        """Article and dates the file name gives. Worked out when asked, not when listed: a load
        that finds 100k files unchanged by their stamps never needs it (1.5 s at 100k)."""
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
    """Every `*.md` file under `posts_dir`, following directory symlinks but never around a loop."""
    posts_dir = Path(posts_dir)
    if not posts_dir.is_dir():
        raise FileNotFoundError(f"posts folder {posts_dir} does not exist or is not a folder")
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
                post_path = prefix + name
                found.append(SourceFile(post_path, root + os.sep + name))
    found.sort(key=lambda f: f.post_path)
    return found


def read_file(source: SourceFile) -> FileVersion:
    try:
        info = os.stat(source.abs_path)
        # A FIFO or device named *.md would block or stream forever: only regular files are posts.
        if not stat.S_ISREG(info.st_mode):
            return FileVersion(source, UNREADABLE, b"", "cannot read file: not a regular file")
        data = _read_whole(source.abs_path, info.st_size)
    except OSError as exc:
        return FileVersion(source, UNREADABLE, b"", f"cannot read file: {exc.strerror or exc}")
    # Stat before reading: a write in between leaves a stamp older than the bytes, so the next load
    # sees a different stamp and hashes the file again, never the other way round.
    return FileVersion(source, hashlib.sha256(data).hexdigest(), data,
                       stamp=FileStamp(info.st_size, info.st_mtime_ns))


def _read_whole(path: str, expected_size: int) -> bytes:
    """The file's bytes with plain system calls: a buffered file object costs more than reading a post."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        # One read of the size stat gave (and one more byte), then on until the end in case it grew.
        while chunk := os.read(fd, expected_size + 1 if not chunks else 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)

