"""Speed of the entity and quote annotators on a sample of the Timeline17 articles.

    python benchmarks/bench_enrich.py [--data ../shared/bench/timeline17] [--sample 300]

Takes every `--sample`-th article evenly from all `articles.jsonl` files found under the
folder (recursively), cleans and stores them in a temporary store, parses them once with
the shared spaCy pipeline (timed separately: the enrich stage shares that parse with every
annotator), then times the entity annotator and the quote annotator over all of them, in
arrival order, the way the enrich stage runs them. Prints one JSON object with docs/s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from storyline.enrich.entities import annotate_entities, list_entities
from storyline.enrich.quotes import annotate_quotes, list_quotes
from storyline.errors import RejectedInput
from storyline.extract import build_article, text_fingerprint
from storyline.models import Article, RawDocument
from storyline.nlp import load_nlp
from storyline.settings import Settings
from storyline.store import Store


def sample_documents(data: Path, size: int) -> list[RawDocument]:
    lines: list[tuple[str, str]] = []
    for path in sorted(data.rglob("articles.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines += [(f"{path.parent.name}:{n}", line) for n, line in enumerate(handle)]
    step = max(1, len(lines) // size)
    picked = lines[::step][:size]
    return [RawDocument(source=source, text=json.loads(line)["text"]) for source, line in picked]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "timeline17"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_path=Path(folder) / "bench.db")
        with Store(settings.db_path) as store:
            articles = _store(store, sample_documents(args.data, args.sample), settings)
            nlp = load_nlp()
            started = time.perf_counter()
            docs = list(nlp.pipe(a.text for a in articles))
            parse_seconds = time.perf_counter() - started
            timings = {}
            for name, annotate in (("entities", annotate_entities), ("quotes", annotate_quotes)):
                started = time.perf_counter()
                with store.transaction():
                    for article, doc in zip(articles, docs, strict=True):
                        annotate(store, article, doc, settings)
                timings[name] = time.perf_counter() - started
            result = {
                "docs": len(articles),
                "words": sum(a.words for a in articles),
                "parse_docs_per_s": round(len(articles) / parse_seconds, 1),
                "entities_docs_per_s": round(len(articles) / timings["entities"], 1),
                "quotes_docs_per_s": round(len(articles) / timings["quotes"], 1),
                "entities": len(list_entities(store)),
                "quotes": len(list_quotes(store)),
            }
    print(json.dumps(result))
    return 0


def _store(store: Store, documents: list[RawDocument], settings: Settings) -> list[Article]:
    ids = []
    with store.transaction():
        for raw in documents:
            try:
                article = build_article(raw, settings)
            except RejectedInput:
                continue
            if not store.has_article(article.id):
                store.add_article(article, text_fingerprint(article.text))
                ids.append(article.id)
    return store.articles(ids, with_spans=True)


if __name__ == "__main__":
    sys.exit(main())
