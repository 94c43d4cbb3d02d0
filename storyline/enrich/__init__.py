"""Enrich: entities, quotes, dates and claims, from one spaCy parse per article.

The enrich stage parses each new article's body once with the shared pipeline and hands
(store, article, doc, settings) to each annotator in ANNOTATORS, in order. An annotator
writes its own tables (see store/migrations.py). Offsets in a Doc are offsets into
Article.text, so annotators cite (article id, start, end) directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..embeddings import keep_vectors
from ..models import Article
from ..nlp import load_nlp
from ..settings import Settings
from ..store import Store
from ..timing import stage, timed
from .assertions import annotate_assertions
from .dates import annotate_dates
from .entities import annotate_entities
from .figures import annotate_figures
from .happenings import annotate_happenings
from .prefetch import prefetched
from .quotes import annotate_quotes

Annotator = Callable[[Store, Article, Any, Settings], None]
# Articles, and characters, the parser takes at once. spaCy's default (1,000 articles) holds
# a whole batch's layers in memory: 50 Timeline17 reports of up to 50,000 characters peaked
# at 1,714 MB, at 658 MB in eights, at the same speed (390-450 ms a report either way). With
# at most 20,000 characters too (a long report parsed alone), a watcher's peak over 150
# reports fell from 901 to 696 MB (parse 278 ms a report, as before).
PARSE_BATCH = 8
PARSE_CHARACTERS = 20_000  # one Timeline17 report is 6,000 on average
logger = logging.getLogger("storyline")

# Registration in one place, in the order they run (entities before quotes: quotes resolve
# speakers to entities).
ANNOTATORS: list[Annotator] = [
    annotate_entities,
    annotate_quotes,
    annotate_dates,
    annotate_happenings,  # reads the dates annotator's rows: keep it after annotate_dates
    annotate_figures,
    annotate_assertions,  # reads the rows of quotes, dates and figures: keep it last
]


def enrich(store: Store, article_ids: Sequence[str], settings: Settings) -> None:
    """Pipeline stage: parse the articles once and run every annotator on each."""
    if not ANNOTATORS:
        return
    articles = [
        analysed_part(a, settings.analysed_characters)
        for a in store.articles(article_ids, with_spans=True)
    ]
    ahead = prefetched(store, articles)
    nlp = load_nlp(line_breaks=True)
    # spaCy keeps every string it has seen for the life of the process, so a watcher's
    # memory would grow with every new word and name; in a memory zone (spaCy 3.8) the
    # batch's strings are freed at its end. Nothing spaCy made outlives the batch.
    with nlp.memory_zone():
        docs = timed("parse", _parsed(nlp, [a.text for a in articles]))
        for article, doc, vectors in zip(articles, docs, ahead, strict=True):
            keep_vectors(store, vectors)
            for annotate in ANNOTATORS:
                _run_isolated(store, annotate, article, doc, settings)


def _parsed(nlp: Any, texts: list[str]) -> Iterator[Any]:
    """Each text's doc, in order, parsed in runs of at most PARSE_BATCH texts and
    PARSE_CHARACTERS characters (a long report is parsed alone)."""
    run: list[str] = []
    for text in texts:
        if run and (len(run) == PARSE_BATCH or sum(map(len, run)) + len(text) > PARSE_CHARACTERS):
            yield from nlp.pipe(run, batch_size=len(run))
            run = []
        run.append(text)
    if run:
        yield from nlp.pipe(run, batch_size=len(run))


def analysed_part(article: Article, limit: int) -> Article:
    """The article as its analysis reads it: whole, or cut after its last sentence that ends
    within `limit` characters (offsets stay those of the whole text)."""
    if len(article.text) <= limit:
        return article
    end = max((s.end for s in article.sentences if s.end <= limit), default=limit)
    logger.warning(
        "report %s has %d characters; its first %d are analysed (settings.analysed_characters)",
        article.id,
        len(article.text),
        end,
    )
    return replace(
        article,
        text=article.text[:end],
        sentences=tuple(s for s in article.sentences if s.end <= end),
        headings=tuple(h for h in article.headings if h.end <= end),
    )


def _run_isolated(
    store: Store, annotate: Annotator, article: Article, doc: Any, settings: Settings
) -> None:
    """One annotator on one article, inside a savepoint.

    A failure on one article (an expression no rule foresaw, say) must not stop the
    other articles or lose the batch: its partial rows are rolled back, the failure is
    logged with what to report, and the run goes on.
    """
    try:
        with store.atomic(), stage(annotate.__name__.removeprefix("annotate_")):
            annotate(store, article, doc, settings)
    except Exception:
        logger.warning(
            "%s failed on article %s; its other results are kept. Please report this with the "
            "article's text (storyline article %s).",
            getattr(annotate, "__name__", "annotator"),
            article.id,
            article.id,
            exc_info=True,
        )
