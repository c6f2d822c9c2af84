"""RULES_VERSION follows the code of etl/posts, not its comments or docstrings."""

import shutil

from etl.posts import version


def test_comments_docstrings_and_layout_are_not_code():
    plain = "X = 1\ndef f(a):\n    return a + X\n"
    annotated = ('"""Module."""\n# a comment\nX = 1  # why\n"""X\'s docstring."""\n\n'
                 'def f(a):\n    """What f does."""\n    return (a +\n            X)\n')
    assert version.code_of(plain) == version.code_of(annotated)
    assert version.code_of(plain) != version.code_of(plain.replace("a + X", "a - X"))
    assert version.code_of("S = 'text'\n") != version.code_of("S = 'other text'\n")  # a string in code counts


def test_a_change_to_a_rule_changes_the_version_and_a_comment_does_not(tmp_path, monkeypatch):
    posts = tmp_path / "posts"
    shutil.copytree(version.POSTS_DIR, posts, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(version, "POSTS_DIR", posts)
    assert version.rules_version() == f"{version.RULES_EPOCH}-{version._code_digest(tuple(sorted(posts.glob('*.py'))))}"
    original = version.rules_version()
    names = posts / "names.py"
    names.write_text(names.read_text(encoding="utf-8") + "\n# a new comment\n", encoding="utf-8")
    version._code_digest.cache_clear()
    assert version.rules_version() == original
    names.write_text(names.read_text(encoding="utf-8").replace("LEAD_CHARS = 200", "LEAD_CHARS = 300"), encoding="utf-8")
    version._code_digest.cache_clear()
    assert version.rules_version() != original
    monkeypatch.setattr(version, "RULES_EPOCH", version.RULES_EPOCH + 1)
    assert version.rules_version().startswith(f"{version.RULES_EPOCH}-")
    version._code_digest.cache_clear()
