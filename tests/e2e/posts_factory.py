"""Posts written by the tests themselves, in the finews formats (shared/docs/corpus.md): an emnews
post with EastMoney stock markup, and a plain-text digest post."""

from datetime import date
from pathlib import Path


def emnews_post(day: date, seq: int, *, title: str = "测试公司发布季度报告", code: str = "600999",
                name: str = "测试股份") -> tuple[str, str]:
    """(relative path, text) of an emnews post in `_posts/` with a digest line and HTML body."""
    article_id = f"{day:%Y%m%d}{seq:010d}"
    text = (
        "---\n"
        "layout: post\n"
        f'title: "{title}"\n'
        f"date: {day.isoformat()} 09:{seq % 60:02d}:00 +0800\n"
        "categories: emnews\n"
        "tags: 东财滚动新闻\n"
        "---\n"
        f"> {name}今日公告称，第三季度营业收入同比增长。\n\n"
        f'<p>{name}<span id="stock_1.{code}"><a href="http://quote.eastmoney.com/unify/r/1.{code}" '
        f'class="keytip" data-code="1,{code}">{name}</a></span><span id="quote_1.{code}"></span>'
        "今日公告称，第三季度营业收入同比增长，净利润保持稳定。</p>"
        f'<p>分析人士认为，<span web="1" href="http://quote.eastmoney.com/unify/r/1.{code}" '
        f'class="em_stock_key_common" data-code="1,{code}">{name}</span>的经营情况符合预期。</p>'
        '<p class="em_media">（文章来源：测试财经）</p>\n'
        f"<http://finance.eastmoney.com/news/1353,{article_id}.html>\n\n"
        "[返回东财滚动新闻](//finews.example.test/emnews/)｜[返回首页](//finews.example.test/)"
    )
    return f"_posts/{day.isoformat()}-{article_id}.md", text


def plain_post(day: date, seq: int, *, title: str = "市场综述：两市成交平稳") -> tuple[str, str]:
    """(relative path, text) of a 2021-style plain-text digest post in `old_post/`."""
    article_id = f"{day:%Y%m%d}{seq:010d}"
    text = (
        "---\n"
        "layout: post\n"
        f'title: "{title}"\n'
        f"date: {day.isoformat()} 15:{seq % 60:02d}:00\n"
        "categories: emnews\n"
        "tags: 东财滚动新闻\n"
        "---\n"
        "今日两市成交平稳，样本公司甲(600888)午后走强，样本公司乙(000888)小幅回落。"
    )
    return f"old_post/{day.isoformat()}-{article_id}.md", text


def write(root: Path, *posts: tuple[str, str]) -> list[Path]:
    written = []
    for rel, text in posts:
        path = Path(root) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


FIRST_DAY, LAST_DAY = "2021-12-31", "2022-01-03"


def sample_folder(root: Path) -> Path:
    """Four posts (four articles) on three dates from 2021-12-31 to 2022-01-03; 2022-01-02 has none.
    A short span keeps runs fast: a partitioned asset logs one event per date of its range."""
    write(root,
          plain_post(date(2021, 12, 31), 3),
          emnews_post(date(2022, 1, 1), 1),
          emnews_post(date(2022, 1, 1), 2, title="另一家公司回购股份", code="601888", name="样本控股"),
          emnews_post(date(2022, 1, 3), 4))
    return Path(root)
