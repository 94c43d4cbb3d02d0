"""The library's front door: `Storyline`, one store plus the flow that fills it.

The CLI, the REST API and tests all go through this class; they hold no logic of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from .errors import RejectedInput
from .extract import build_article, text_fingerprint
from .ingest import parse_user_date, read_inputs
from .models import Article, IngestReport, RawDocument, Rejection
from .pipeline import Progress, analyse
from .settings import Settings
from .store import Store


class Storyline:
    """A storyline database. `Storyline(settings)` opens (and if need be creates) the store."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.store = Store(self.settings.db_path)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Storyline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -----------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        published: str | None = None,
        outlet: str | None = None,
        on_document: Callable[[], None] | None = None,
        on_stage: Progress | None = None,
    ) -> IngestReport:
        """Read, clean and store every document under `paths`, then analyse what is new.

        `published` and `outlet` fill in what inputs lack. Bad documents become rejections
        (kept in the store too); the run goes on. Articles are committed in batches.
        """
        defaults = {"published": parse_user_date(published), "outlet": outlet}
        return self.ingest_documents(read_inputs(paths, self.settings), defaults, on_document, on_stage)

    def ingest_documents(
        self,
        documents: Iterable[RawDocument | Rejection],
        defaults: dict[str, str | None] | None = None,
        on_document: Callable[[], None] | None = None,
        on_stage: Progress | None = None,
    ) -> IngestReport:
        """Like ingest(), for documents already read (the REST API's uploads)."""
        added: list[str] = []
        skipped: list[str] = []
        revisions: list[str] = []
        rejected: list[Rejection] = []
        batch: list[Article | Rejection] = []
        for item in documents:
            if on_document is not None:
                on_document()
            outcome = item if isinstance(item, Rejection) else self._prepare(item, defaults or {})
            if isinstance(outcome, Rejection):
                rejected.append(outcome)
                batch.append(outcome)
            elif self.store.has_article(outcome.id) or any(
                isinstance(b, Article) and b.id == outcome.id for b in batch
            ):
                skipped.append(outcome.id)
            else:
                batch.append(outcome)
            if len(batch) >= self.settings.batch_size:
                self._commit(batch, added, revisions)
                batch = []
        self._commit(batch, added, revisions)
        analyse(self.store, self.settings, on_stage)
        return IngestReport(tuple(added), tuple(skipped), tuple(rejected), tuple(revisions))

    def _prepare(self, raw: RawDocument, defaults: dict[str, str | None]) -> Article | Rejection:
        fills = {k: v for k, v in defaults.items() if v and not getattr(raw, k)}
        try:
            return build_article(replace(raw, **fills), self.settings)
        except RejectedInput as exc:
            return Rejection(raw.source, exc.reason)

    def _commit(self, batch: list[Article | Rejection], added: list[str], revisions: list[str]) -> None:
        if not batch:
            return
        with self.store.transaction():
            for item in batch:
                if isinstance(item, Rejection):
                    self.store.add_rejection(item)
                    continue
                previous = self.store.latest_revision(item.url, item.source)
                if previous is not None:
                    item = replace(item, revision_of=previous)
                    revisions.append(item.id)
                self.store.add_article(item, text_fingerprint(item.text))
                added.append(item.id)

    def analyse(self, on_stage: Progress | None = None) -> dict[str, int]:
        """Run the analysis stages on whatever they have not processed (resumes a killed run)."""
        return analyse(self.store, self.settings, on_stage)

    # -- reading ----------------------------------------------------------------------------

    def articles(self) -> list[Article]:
        return self.store.articles()

    def article(self, article_id: str) -> Article:
        return self.store.article(article_id)

    def rejections(self) -> list[Rejection]:
        return self.store.rejections()

    def search(self, query: str, limit: int = 50) -> list[Article]:
        """Articles matching a full-text query, best match first."""
        ids = self.store.search(query, limit)
        found = {a.id: a for a in self.store.articles(ids)}
        return [found[i] for i in ids if i in found]
