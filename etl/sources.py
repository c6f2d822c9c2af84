"""The posts folder: find every `*.md` file, read and hash it. Touches the disk, parses nothing."""

from __future__ import annotations

import hashlib
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from etl.posts.identity import identify

UNREADABLE = "unreadable"
"""`content_sha256` of a file that could not be read: there are no bytes to hash."""


@dataclass(frozen=True)
class SourceFile:
    post_path: str
    """Relative to the posts folder, forward slashes: the file's identity in the warehouse."""
    abs_path: Path

    @property
    def name_date(self) -> date | None:
        return identify(self.post_path).name_date


@dataclass(frozen=True)
class FileVersion:
    source: SourceFile
    sha256: str
    data: bytes
    error: str | None = None
    """Why the file could not be read (permissions, symlink loop); `data` is empty then."""

    @property
    def post_path(self) -> str:
        return self.source.post_path


def discover(posts_dir: Path) -> list[SourceFile]:
    """Every `*.md` file under `posts_dir`, following directory symlinks but never around a loop."""
    posts_dir = Path(posts_dir)
    if not posts_dir.is_dir():
        raise FileNotFoundError(f"posts folder {posts_dir} does not exist or is not a folder")
    found: list[SourceFile] = []
    visited: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(posts_dir, followlinks=True):
        stat = os.stat(root)
        if (stat.st_dev, stat.st_ino) in visited:
            dirs[:] = []
            continue
        visited.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_root = Path(root).relative_to(posts_dir)
        for name in files:
            if name.lower().endswith(".md"):
                found.append(SourceFile((rel_root / name).as_posix(), Path(root) / name))
    return sorted(found, key=lambda f: f.post_path)


def read_file(source: SourceFile) -> FileVersion:
    try:
        # A FIFO or device named *.md would block or stream forever: only regular files are posts.
        if not stat.S_ISREG(os.stat(source.abs_path).st_mode):
            return FileVersion(source, UNREADABLE, b"", "cannot read file: not a regular file")
        data = source.abs_path.read_bytes()
    except OSError as exc:
        return FileVersion(source, UNREADABLE, b"", f"cannot read file: {exc.strerror or exc}")
    return FileVersion(source, hashlib.sha256(data).hexdigest(), data)


def read_all(sources: list[SourceFile], threads: int = 8) -> list[FileVersion]:
    """Read and hash files on a few threads: both release the GIL, so the disk and the cores overlap."""
    if len(sources) < 64:
        return [read_file(s) for s in sources]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(read_file, sources, chunksize=256))
