"""`storyline eval timeline17`: timeline summarisation on Timeline17 (news-tls layout).

For every gold timeline in every folder with a `timelines.jsonl`, a timeline is built from
that folder's articles only, with the gold's number of dates and its average number of
sentences per date, from the articles published within the gold's first and last date (the
setting of Gholipour Ghalandari & Ifrim 2020 and the work they compare with). Scores are
tilse's: date F1 and alignment-based ROUGE-1/2 F ("align_date_content_costs_many_to_one",
what news-tls reports as AR), averaged over timelines.

The system is storyline.synthesise.datewise (DATEWISE with fixed choices; nothing is fitted
to the data scored). Time expressions come from the dates module's pure function on a tokenised
(unparsed) text: the fast path, as T17 articles are long and many. The baseline, from the
same run: the days with the most articles, each with the lead sentences of its articles.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..enrich.dates import find_time_expressions
from ..errors import EvalDataError
from ..models import TimeExpression
from ..nlp import load_nlp
from ..settings import Settings
from ..synthesise.datewise import Sentence, datewise
from .timeline17 import T17Article, TopicFolder, find_topics, read_articles

_DETOKENISE = [
    (re.compile(r"-LRB-"), "("),
    (re.compile(r"-RRB-"), ")"),
    (re.compile(r"``|''"), '"'),
    (re.compile(r" ([,.;:!?%)])"), r"\1"),
    (re.compile(r"\( "), "("),
    (re.compile(r" (['’]s)\b"), r"\1"),
    (re.compile(r"\$ (\d)"), r"$\1"),
]


def evaluate(data_dir: Path, settings: Settings) -> dict[str, Any]:
    from tilse.data.timelines import GroundTruth
    from tilse.data.timelines import Timeline as TilseTimeline

    scores: list[dict[str, float]] = []
    baseline: list[dict[str, float]] = []
    rouge = _RougeScorer()
    for folder in find_topics(data_dir):
        sentences = read_sentences(read_articles(folder))
        keywords = read_keywords(folder)
        for gold in read_gold(folder):
            truth = GroundTruth([TilseTimeline(gold)])
            dates = len(gold)
            per_date = max(1, round(sum(len(s) for s in gold.values()) / dates))
            start, end = min(gold), max(gold)
            pool = [s for s in sentences if start <= s.published <= end]
            system = datewise(pool, keywords, dates, per_date, start, end)
            simple = lead_baseline(pool, dates, per_date)
            scores.append(rouge.score(TilseTimeline(system), truth))
            baseline.append(rouge.score(TilseTimeline(simple), truth))
    if not scores:
        raise EvalDataError(f"{data_dir}: no gold timelines found in timelines.jsonl files")
    return {
        "dataset": "timeline17",
        "n": len(scores),
        **_mean(scores),
        "rouge": rouge.computation,
        "baseline": {"name": "busiest days + lead sentences", **_mean(baseline)},
    }


# -- reading ---------------------------------------------------------------------------------


def read_gold(folder: TopicFolder) -> list[dict[dt.date, list[str]]]:
    """Each gold timeline of the folder as {date: [sentences]}."""
    with open(folder.timelines_path, encoding="utf-8") as lines:
        raw = [json.loads(line) for line in lines if line.strip()]
    return [
        {dt.date.fromisoformat(day[:10]): [s.strip() for s in texts] for day, texts in timeline}
        for timeline in raw
        if timeline
    ]


def read_keywords(folder: TopicFolder) -> tuple[str, ...]:
    path = folder.path / "keywords.json"
    if not path.exists():
        return ()
    with open(path, encoding="utf-8") as handle:
        words = json.load(handle)
    return tuple(str(w).lower() for w in words if str(w).strip())


def read_sentences(articles: Sequence[T17Article]) -> list[Sentence]:
    """Every sentence (a line of the tokenised text) with the days it mentions."""
    nlp = load_nlp()
    found: list[Sentence] = []
    for article in articles:
        published = _day(article.time)
        if published is None:
            continue
        lines = [line.strip() for line in article.text.split("\n") if line.strip()]
        found.extend(_dated_lines(nlp, lines, published, article.id))
    return found


def _dated_lines(nlp: Any, lines: list[str], published: dt.date, article: str) -> list[Sentence]:
    # Line by line: a tokenised Doc per sentence keeps the date rules' per-mention look-ups
    # cheap (on an unparsed Doc of a whole long article they grow with its length).
    found = []
    for index, line in enumerate(lines):
        days: list[dt.date] = []
        for expression in _expressions(nlp, line, published):
            if expression.resolved and expression.precision == "day" and expression.value:
                day = _day(expression.value)
                if day is not None and day not in days:
                    days.append(day)
        found.append(Sentence(line, published, index, tuple(days), article))
    return found


def _expressions(nlp: Any, line: str, published: dt.date) -> list[TimeExpression]:
    try:
        return find_time_expressions(nlp.make_doc(detokenise(line)), published)
    except (KeyError, ValueError, IndexError):  # a date rule that fails on a line dates nothing
        return []


def detokenise(line: str) -> str:
    """Tokenised text made readable enough for the date rules ("May 5 , 2010" → "May 5, 2010")."""
    for pattern, replacement in _DETOKENISE:
        line = pattern.sub(replacement, line)
    return line


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# -- the system: DATEWISE with fixed choices -------------------------------------------------


# -- the baseline ----------------------------------------------------------------------------


def lead_baseline(pool: Sequence[Sentence], dates: int, per_date: int) -> dict[dt.date, list[str]]:
    """The days with the most articles, each with its articles' lead sentences."""
    leads = [s for s in pool if s.position == 0]
    busiest = Counter(s.published for s in leads)
    days = sorted(busiest, key=lambda d: (-busiest[d], d))[:dates]
    return {day: [s.text for s in leads if s.published == day][:per_date] for day in days}


# -- scoring ---------------------------------------------------------------------------------


class _RougeScorer:
    """tilse's scores: the official ROUGE script when it runs here, else tilse's own Python
    reimplementation (the script needs Perl's XML::Parser)."""

    def __init__(self) -> None:
        from tilse.evaluation import rouge

        self._module = rouge
        self.computation = "original"
        self._evaluator = rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"])

    def score(self, predicted: Any, truth: Any) -> dict[str, float]:
        from tilse.evaluation.dates import evaluate_dates

        if not predicted.dates_to_summaries:
            return {"date_f1": 0.0, "ar1_f": 0.0, "ar2_f": 0.0}
        aligned = self._aligned(predicted, truth)
        return {
            "date_f1": float(evaluate_dates(predicted, truth)["f_score"]),
            "ar1_f": float(aligned["rouge_1"]["f_score"]),
            "ar2_f": float(aligned["rouge_2"]["f_score"]),
        }

    def _aligned(self, predicted: Any, truth: Any) -> dict[str, Any]:
        try:
            return dict(
                self._evaluator.evaluate_align_date_content_costs_many_to_one(predicted, truth)
            )
        except Exception:  # the Perl script cannot run: fall back, and say so in the output
            if self.computation == "reimpl":
                raise
            self.computation = "reimpl"
            self._evaluator = self._module.TimelineRougeEvaluator(
                measures=["rouge_1", "rouge_2"], rouge_computation="reimpl"
            )
            return dict(
                self._evaluator.evaluate_align_date_content_costs_many_to_one(predicted, truth)
            )


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {
        key: round(float(np.mean([r[key] for r in rows])), 4)
        for key in ("date_f1", "ar1_f", "ar2_f")
    }
