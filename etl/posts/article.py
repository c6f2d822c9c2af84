"""Many source files, one article: pick the most complete copy, fill its gaps, union tags and mentions.

The rows built here are the warehouse's rows (`etl.core.rows`): their fields are the columns of
`sql/schema`, and a test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.core.calendar import SHANGHAI
from etl.core.rows import ArticleRow, ArticleTagRow, StockMentionRow
from etl.posts.mentions import Mention
from etl.posts.post import ParsedPost, partition_date

_LAYOUT_RANK = {"digest_html": 3, "html": 2, "plain": 1, "digest_only": 0}


@dataclass(frozen=True)
class MergedArticle:
    article: ArticleRow
    tags: list[ArticleTagRow]
    mentions: list[StockMentionRow]


def tag_id(kind: str, name: str) -> str:
    return f"{kind}:{name}"


def completeness(post: ParsedPost) -> tuple:
    """Higher is more complete: HTML over plain digest, filled fields over empty, longer text;
    among equals the `_posts/` copy, which the scraper rewrote last."""
    return (
        _LAYOUT_RANK.get(post.body.layout, 0),
        post.title is not None,
        post.published_at is not None,
        post.body.digest is not None,
        len(post.body.text),
        post.post_path.startswith("_posts/"),
        post.post_path,
    )


def merge_posts(posts: list[ParsedPost], *, deleted_from_source: bool = False) -> MergedArticle:
    if not posts:
        raise ValueError("an article needs at least one post")
    ranked = sorted(posts, key=completeness, reverse=True)
    best = ranked[0]
    article_id = best.article_id

    def first(getter):
        return next((value for value in map(getter, ranked) if value), None)

    published_at = first(lambda p: p.published_at)
    published_date = (
        published_at.astimezone(SHANGHAI).date()
        if published_at
        else min(filter(None, (partition_date(p.identity, None) for p in ranked)), default=None)
    )
    titles = sorted({p.title for p in ranked if p.title})
    article = ArticleRow(
        article_id=article_id,
        title=first(lambda p: p.title),
        published_at=published_at,
        published_date=published_date,
        category=best.category or first(lambda p: p.category),
        media=first(lambda p: p.media),
        digest=first(lambda p: p.body.digest),
        body_text=best.body.text,
        source_url=first(lambda p: p.body.source_url),
        share_url=first(lambda p: p.body.share_url),
        layout=best.body.layout,
        post_paths=sorted(p.post_path for p in posts),
        best_post_path=best.post_path,
        title_variants=titles if len(titles) > 1 else [],
        deleted_from_source=deleted_from_source,
    )
    tags = {}
    for post in ranked:
        for kind, name in (("category", post.category), ("tag", post.tag)):
            if name:
                tags[tag_id(kind, name)] = ArticleTagRow(article_id, tag_id(kind, name), name, kind)
    return MergedArticle(article, sorted(tags.values(), key=lambda t: t.tag_id), _merge_mentions(article_id, ranked))


def _merge_mentions(article_id: str, ranked: list[ParsedPost]) -> list[StockMentionRow]:
    merged: dict[str, Mention] = {}
    for post in ranked:
        for key, mention in post.mentions.mentions.items():
            into = merged.setdefault(key, Mention(key, mention.market_id, mention.code))
            into.name = into.name or mention.name
            into.count = max(into.count, mention.count)
            into.sources |= mention.sources
    return [
        StockMentionRow(article_id, m.secid, m.market_id, m.code, m.name, m.security_type, m.count, sorted(m.sources))
        for m in sorted(merged.values(), key=lambda m: m.secid)
    ]
