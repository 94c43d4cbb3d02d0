"""Timeline17 (Tran et al. 2013, news-tls layout): reading helpers and the story eval.

`storyline eval timeline17-stories`: every article of every topic pooled into one stream
(in publication order), clustered into events and stories; each topic (the folder name
before "_") is one gold story; BCubed against the stories, and per topic the share of its
reports in its largest story and the share of that story that is the topic's.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..settings import Settings
from .bcubed import bcubed, class_shares
from .streaming import (
    LabelledDocument,
    document_signals,
    order_agreement,
    run_stream,
    tfidf_single_pass,
)

ARTICLE_FILES = ("articles.jsonl", "articles.tokenized.jsonl.gz", "articles.jsonl.gz")


@dataclass(frozen=True)
class TopicFolder:
    """One `<topic>_<outlet>` folder: its articles and gold timelines."""

    path: Path
    topic: str

    @property
    def timelines_path(self) -> Path:
        return self.path / "timelines.jsonl"


@dataclass(frozen=True)
class T17Article:
    id: str  # "<folder>/<id in the file>", unique across folders
    folder: str
    topic: str
    time: str | None
    text: str


def find_topics(data_dir: Path) -> list[TopicFolder]:
    """Every folder under data_dir (recursively) holding a `timelines.jsonl`."""
    folders = [
        TopicFolder(path.parent, path.parent.name.split("_")[0])
        for path in sorted(data_dir.rglob("timelines.jsonl"))
    ]
    if not folders:
        raise EvalDataError(f"{data_dir}: no Timeline17 folders (with timelines.jsonl) found")
    return folders


def read_articles(folder: TopicFolder) -> list[T17Article]:
    """The folder's articles, from whichever article file it has."""
    for name in ARTICLE_FILES:
        path = folder.path / name
        if path.exists():
            return [
                T17Article(
                    f"{folder.path.name}/{record['id']}",
                    folder.path.name,
                    folder.topic,
                    record.get("time"),
                    record.get("text") or "",
                )
                for record in _records(path)
            ]
    raise EvalDataError(f"{folder.path}: no articles file ({', '.join(ARTICLE_FILES)})")


def _records(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def evaluate_stories(data_dir: Path, settings: Settings) -> dict[str, Any]:
    articles = [a for folder in find_topics(data_dir) for a in read_articles(folder)]
    # Publication order, as a feed would deliver them.
    articles.sort(key=lambda a: (a.time or "", a.id))
    documents = [
        LabelledDocument(a.id, None, a.text, a.time, a.topic) for a in articles if a.text.strip()
    ]
    gold = {d.id: d.label for d in documents}
    signals = document_signals(documents)
    events, stories = run_stream(signals)
    result: dict[str, Any] = {"dataset": "timeline17-stories", "n": len(documents)}
    result.update(bcubed(stories, gold))
    result["stories"] = len(set(stories.values()))
    result["events"] = len(set(events.values()))
    result["gold_stories"] = len(set(gold.values()))
    # Per topic: the share of its reports in its largest story, and that story's share of it.
    result["topics"] = class_shares(stories, gold)
    result["baseline"] = {
        "method": "tf-idf single pass",
        **bcubed(tfidf_single_pass(documents), gold),
    }
    result["order_agreement"] = order_agreement(signals)
    return result
