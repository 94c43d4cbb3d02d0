"""How many rewrite relations copy detection finds among independent reports of one event.

    python benchmarks/bench_rewrites.py [--data ../shared/bench/ecbplus] [--limit N]

ECB+ pools reports of the same happenings from many outlets: they share the facts and the
names, as independent reports do, so almost every rewrite found among them is a false one
(an outlet's wire copy is the exception). The documents are stored in arrival order and
run through the dedup stage with the rewrite check on; the script prints the relations
found by kind, and for each rewrite its coverage and its aligned sentences, to read.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench_timeline import store_articles

from storyline.dedup import duplicates, find_copies
from storyline.evaluate.ecbplus import read_ecbplus
from storyline.models import RawDocument
from storyline.settings import Settings
from storyline.store import Store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "ecbplus"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = parser.parse_args()
    settings = Settings()
    documents = read_ecbplus(args.data)
    if args.limit:
        documents = documents[: args.limit]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "rewrites.db")
        raws = [RawDocument(source=d.path.name, text=d.text) for d in documents]
        ids = [a.id for a in store_articles(store, raws, settings)]
        with store.transaction():
            find_copies(store, ids, settings)
        found = duplicates(store)
        sources = {r[0]: r[1] for r in store.query("SELECT id, source FROM articles")}
        report = {
            "documents": len(ids),
            "relations": dict(Counter(d.kind for d in found)),
            "rewrites": [
                {
                    "copy": sources[d.article],
                    "of": sources[d.of],
                    "coverage": d.score,
                    "aligned": len({p.article_sentence for p in d.pairs}),
                }
                for d in found
                if d.kind == "rewrite"
            ],
        }
        store.close()
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
