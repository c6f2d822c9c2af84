"""What the loader reads from the posts folder: only regular files inside it, with UTF-8 names, within
the size limit; anything else is described, never opened."""

import os

import pytest

from etl.warehouse import sources
from etl.warehouse.ingest import listing_of
from etl.warehouse.sources import UNREADABLE, discover, read_file


@pytest.fixture
def folder(tmp_path):
    posts = tmp_path / "posts"
    (posts / "_posts").mkdir(parents=True)
    (posts / "_posts/2022-01-01-a.md").write_bytes(b"x" * 100)
    return posts


@pytest.fixture
def never_opened(monkeypatch):
    def refuse(path, *args):
        raise AssertionError(f"{path} was opened")

    monkeypatch.setattr(sources.os, "open", refuse)


def _only(folder, name):
    return next(source for source in discover(folder) if source.post_path == name)


def test_a_file_within_the_limit_is_read(folder):
    version = read_file(_only(folder, "_posts/2022-01-01-a.md"), max_bytes=100)
    assert (version.data, version.error, version.stamp.size) == (b"x" * 100, None, 100)


def test_a_file_over_the_limit_is_judged_by_its_size_alone(folder, never_opened):
    version = read_file(_only(folder, "_posts/2022-01-01-a.md"), max_bytes=99)
    assert (version.sha256, version.data, version.stamp) == (UNREADABLE, b"", None)
    assert version.error == "post is 100 bytes, over the limit of 99 bytes for one post (ETL_MAX_POST_BYTES)"


def test_a_link_out_of_the_folder_is_not_followed(folder, tmp_path, never_opened):
    secret = tmp_path / "secret.md"
    secret.write_text("secret")
    (folder / "_posts/2022-01-02-b.md").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)  # a folder link out: the same
    for name in ("_posts/2022-01-02-b.md", "linked/secret.md"):
        version = read_file(_only(folder, name), max_bytes=1000)
        assert (version.data, version.error) == (b"", f"symbolic link to {secret}, outside the posts folder: not read")


def test_a_link_inside_the_folder_is_read(folder):
    (folder / "_posts/2022-01-02-b.md").symlink_to(folder / "_posts/2022-01-01-a.md")
    assert read_file(_only(folder, "_posts/2022-01-02-b.md"), max_bytes=1000).data == b"x" * 100


def test_a_name_that_is_not_utf8_is_listed_escaped_and_never_read(folder, never_opened):
    with open(os.fsencode(folder / "_posts") + b"/2022-01-03-\xb9\xfa.md", "wb"):
        pass
    (folder / "_posts/2022-01-04-中文.md").write_bytes(b"")
    found = discover(folder)
    assert [source.post_path for source in found] == [
        "_posts/2022-01-01-a.md", "_posts/2022-01-03-\\xb9\\xfa.md", "_posts/2022-01-04-中文.md"]
    assert listing_of(found).column("post_path").to_pylist()[1] == "_posts/2022-01-03-\\xb9\\xfa.md"
    version = read_file(found[1], max_bytes=1000)
    assert version.error == "file name is not valid UTF-8 (its bytes are shown as \\xNN): rename the file"


def test_a_posts_path_that_is_a_file_is_not_a_folder(folder):
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        discover(folder / "_posts/2022-01-01-a.md")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discover(folder / "missing")
