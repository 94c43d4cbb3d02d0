"""Time to build the timeline of a large story, from Timeline17 articles.

    python benchmarks/bench_timeline.py [--data ../shared/bench/timeline17] [--sample 300]

Takes `--sample` articles evenly from every `articles.jsonl` under the folder (recursively),
with their publication dates, stores them in a temporary store as one story, parses them
once, runs the dates and happenings annotators (timed: the happenings annotator's share of
ingest), then times `build_timeline` over all of them (what `storyline timeline --story`
does at query time). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from storyline.embeddings import embed
from storyline.enrich.dates import annotate_dates
from storyline.enrich.happenings import annotate_happenings
from storyline.errors import RejectedInput
from storyline.extract import build_article, text_fingerprint
from storyline.models import Article, RawDocument
from storyline.nlp import load_nlp
from storyline.settings import Settings
from storyline.store import Store
from storyline.synthesise.timeline import build_timeline


def sample_documents(data: Path, size: int) -> list[RawDocument]:
    lines: list[tuple[str, str]] = []
    for path in sorted(data.rglob("articles.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines += [(f"{path.parent.name}:{n}", line) for n, line in enumerate(handle)]
    step = max(1, len(lines) // size)
    documents = []
    for source, line in lines[::step][:size]:
        record = json.loads(line)
        documents.append(
            RawDocument(source=source, text=record["text"], published=record.get("time"))
        )
    return documents


def store_articles(store: Store, documents: list[RawDocument], settings: Settings) -> list[Article]:
    articles = []
    with store.transaction():
        for document in documents:
            try:
                article = build_article(document, settings)
            except RejectedInput:
                continue
            if not store.has_article(article.id):
                store.add_article(article, text_fingerprint(article.text))
                articles.append(article)
    return store.articles([a.id for a in articles], with_spans=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "timeline17"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_path=Path(folder) / "bench.db")
        with Store(settings.db_path) as store:
            articles = store_articles(store, sample_documents(args.data, args.sample), settings)
            docs = list(load_nlp().pipe(a.text for a in articles))
            dates_failed = 0
            with store.transaction():
                for article, doc in zip(articles, docs, strict=True):
                    try:
                        annotate_dates(store, article, doc, settings)
                    except KeyError:  # a dates-module rule bug ("two hours ago"): counted
                        dates_failed += 1
            embed(["load the encoder before timing"])
            started = time.perf_counter()
            with store.transaction():
                for article, doc in zip(articles, docs, strict=True):
                    annotate_happenings(store, article, doc, settings)
            annotate_seconds = time.perf_counter() - started
            started = time.perf_counter()
            entries = build_timeline(store, articles=[a.id for a in articles])
            build_seconds = time.perf_counter() - started
            happenings = store.query("SELECT COUNT(*) FROM happenings")[0][0]
    result = {
        "articles": len(articles),
        "articles_dates_failed": dates_failed,
        "happenings": happenings,
        "entries": len(entries),
        "multi_source_entries": sum(len(e.sources) > 1 for e in entries),
        "happenings_annotator_s": round(annotate_seconds, 2),
        "happenings_per_article_ms": round(1000 * annotate_seconds / max(1, len(articles)), 1),
        "build_timeline_s": round(build_seconds, 3),
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
