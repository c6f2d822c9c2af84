"""`time_budget`: a block that runs too long is interrupted, in this process and in pool workers; a
parse that outlasts it quarantines its post."""

import os
import re
import threading
import time

import pytest

from etl.parallel import ordered_map, time_budget
from etl.posts import build
from etl.posts.build import SourceText, build_batch
from tests.unit.html_samples import PLAIN_BODY, PLAIN_FRONT, post


def _sleep_within(seconds: float) -> str:
    try:
        with time_budget(seconds):
            time.sleep(60)
    except TimeoutError as spent:
        return f"{os.getpid()} {spent}"
    return "slept"


def test_a_block_over_its_budget_is_interrupted():
    with pytest.raises(TimeoutError, match="took longer than 0.2 s"):
        with time_budget(0.2):
            time.sleep(60)


def test_a_runaway_regular_expression_is_interrupted():
    with pytest.raises(TimeoutError):
        with time_budget(0.2):
            re.search(r"(a+)+$", "a" * 60 + "b")  # exponential backtracking


def test_the_budget_is_off_after_the_block():
    with time_budget(0.2):
        pass
    time.sleep(0.4)  # no alarm left behind


def test_in_pool_workers_each_item_has_its_budget():
    outcomes = list(ordered_map(_sleep_within, [0.2, 0.2, 0.2], workers=2))
    assert all(outcome.endswith("took longer than 0.2 s") for outcome in outcomes)
    assert all(int(outcome.split()[0]) != os.getpid() for outcome in outcomes)


def test_one_worker_off_the_main_thread_is_a_process_where_the_budget_works():
    outcomes = []
    thread = threading.Thread(target=lambda: outcomes.extend(ordered_map(_sleep_within, [0.2], workers=1)))
    thread.start()
    thread.join(timeout=60)
    (outcome,) = outcomes
    assert int(outcome.split()[0]) != os.getpid() and outcome.endswith("took longer than 0.2 s")


def test_a_parse_over_its_budget_quarantines_the_post_and_the_rest_is_built(monkeypatch):
    parse = build.parse_post

    def parse_post(post_path, text, **options):
        if "slow" in post_path:
            time.sleep(60)
        return parse(post_path, text, **options)

    monkeypatch.setattr(build, "parse_post", parse_post)
    text = post(PLAIN_FRONT, PLAIN_BODY).encode()
    sources = [SourceText("_posts/2021-12-08-slow.md", "a", "slow", text),
               SourceText("_posts/2021-12-08-202112089999000004.md", "b", "202112089999000004", text)]
    result = build_batch(sources, None, None, budget=lambda: time_budget(0.3))
    assert [m.article.article_id for m in result.articles] == ["202112089999000004"]
    assert [(r.post_path, r.reason) for r in result.rejections] == [(
        "_posts/2021-12-08-slow.md",
        "parsing took longer than 0.3 s (ETL_PARSE_SECONDS_PER_FILE): the post was set aside unparsed")]
