"""The web UI and REST API (issue 8): `create_app(settings)`, served by `storyline serve`."""

from .app import create_app, is_loopback, resolve_token

__all__ = ["create_app", "is_loopback", "resolve_token"]
