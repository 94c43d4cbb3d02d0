"""Enrich: entities, quotes, dates and claims, from one spaCy parse per article.

The enrich stage parses each new article's body once with the shared pipeline and hands
(store, article, doc, settings) to each annotator in ANNOTATORS, in order. An annotator
writes its own tables (see store/migrations.py). Offsets in a Doc are offsets into
Article.text, so annotators cite (article id, start, end) directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..models import Article
from ..nlp import load_nlp
from ..settings import Settings
from ..store import Store

Annotator = Callable[[Store, Article, Any, Settings], None]

# Registration in one place, in the order they run (entities before quotes: quotes resolve
# speakers to entities).
ANNOTATORS: list[Annotator] = []


def enrich(store: Store, article_ids: Sequence[str], settings: Settings) -> None:
    """Pipeline stage: parse the articles once and run every annotator on each."""
    if not ANNOTATORS:
        return
    articles = store.articles(article_ids, with_spans=True)
    nlp = load_nlp()
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        for annotate in ANNOTATORS:
            annotate(store, article, doc, settings)
