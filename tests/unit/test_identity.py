from datetime import date

from etl.posts.identity import identify


def test_emnews_id():
    ident = identify("_posts/2022-01-07-202201079999000001.md")
    assert ident.article_id == "202201079999000001"
    assert ident.feed == "emnews"
    assert ident.name_date == date(2022, 1, 7)
    assert ident.id_date == date(2022, 1, 7)


def test_media_copy_drops_nw_and_merges_with_emnews():
    assert identify("old_post/2022-01-07-NW202201079999000001.md").article_id == "202201079999000001"
    assert identify("old_post/2022-01-07-NW202201079999000001.md").feed == "media"


def test_empty_date_in_name_uses_id_date():
    ident = identify("_posts/-202205269999000002.md")
    assert ident.article_id == "202205269999000002"
    assert ident.name_date is None
    assert ident.id_date == date(2022, 5, 26)


def test_word_id_keeps_the_stem():
    ident = identify("_posts/2021-12-01-welcome.md")
    assert ident.article_id == "2021-12-01-welcome"
    assert ident.feed == "other"
    assert ident.name_date == date(2021, 12, 1)


def test_impossible_date_in_name_is_no_date():
    assert identify("_posts/2022-13-45-202201079999000001.md").name_date is None
