"""Synthesis (issue 7): the story told from the reports — timeline, claims, changes, briefing.

Everything here is computed from what the stages stored (statements, quotes, figures,
copies, events), so it always reflects the latest ingest.
"""

from .brief import brief, to_html, to_markdown
from .changes import changes
from .claims import build_claims, positions

__all__ = ["brief", "build_claims", "changes", "positions", "to_html", "to_markdown"]
