"""Speed of the dates annotator: expressions/s and docs/s on the TempEval-3 texts.

    python benchmarks/bench_dates.py [--data ../shared/bench/tempeval3] [--limit N]

The spaCy parse is shared by every enrich annotator, so it is timed apart: "annotator" is
what the dates stage adds on top of the parse, "with parse" is the cost alone in a process.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from storyline.enrich.dates import find_time_expressions
from storyline.evaluate.tempeval3 import find_documents, read_timeml
from storyline.nlp import load_nlp

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "tempeval3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0, help="Only the first N documents.")
    args = parser.parse_args()
    paths = find_documents(args.data)
    documents = [read_timeml(p) for p in (paths[: args.limit] if args.limit else paths)]
    nlp = load_nlp()
    find_time_expressions(nlp("Warm-up on Monday, 3 March 2020."), None)

    started = time.perf_counter()
    docs = list(nlp.pipe(d.text for d in documents))
    parse_seconds = time.perf_counter() - started

    started = time.perf_counter()
    expressions = sum(
        len(find_time_expressions(doc, d.creation)) for doc, d in zip(docs, documents, strict=True)
    )
    annotate_seconds = time.perf_counter() - started

    words = sum(len(d.text.split()) for d in documents)
    print(
        json.dumps(
            {
                "documents": len(documents),
                "words": words,
                "expressions": expressions,
                "annotator_expressions_per_s": round(expressions / annotate_seconds, 1),
                "annotator_docs_per_s": round(len(documents) / annotate_seconds, 1),
                "with_parse_expressions_per_s": round(
                    expressions / (annotate_seconds + parse_seconds), 1
                ),
                "with_parse_docs_per_s": round(
                    len(documents) / (annotate_seconds + parse_seconds), 1
                ),
                "parse_seconds": round(parse_seconds, 2),
                "annotator_seconds": round(annotate_seconds, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
