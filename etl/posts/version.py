"""The version of the extraction rules: what turns a stored file version into article, tag and
mention rows (front matter, body, identity, merge, code and markup mentions, the name matcher and
its facts: every module of `etl.posts`).

`RULES_VERSION` is derived from those modules' code, so that a change to a rule cannot be shipped
without the warehouse noticing it: the next load finds a version other than the one stored in
`extraction_state` and derives every article again (`etl.warehouse.derivation`). Comments and
docstrings are not part of it (the code is read as a syntax tree, docstrings dropped), so editing
them re-derives nothing. `RULES_EPOCH` is bumped by hand for a change the code does not show
(a fix in a SQL script that shapes derived rows, say)."""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path

RULES_EPOCH = 1
POSTS_DIR = Path(__file__).resolve().parent


def rules_version() -> str:
    """`RULES_EPOCH` and a digest of the code of `etl/posts/*.py`, e.g. `1-3f9a0c2be41d77a0`."""
    return f"{RULES_EPOCH}-{_code_digest(tuple(sorted(POSTS_DIR.glob('*.py'))))}"


@cache
def _code_digest(paths: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path.name == "version.py":
            continue
        digest.update(path.name.encode() + b"\0" + code_of(path.read_text(encoding="utf-8")).encode() + b"\0")
    return digest.hexdigest()[:16]


def code_of(source: str) -> str:
    """The code of a module as text, without its comments, docstrings (a string standing alone as a
    statement, attribute docstrings included) or layout."""
    return ast.dump(_DropDocstrings().visit(ast.parse(source)), annotate_fields=False, include_attributes=False)


class _DropDocstrings(ast.NodeTransformer):
    def visit_Expr(self, node: ast.Expr):
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None  # an emptied body stays valid for ast.dump, which is all it is used for
        return node
