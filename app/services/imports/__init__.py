"""Importing a member list: read the file, match its columns, preview, then run in the worker."""

from app.services.imports import checking, reading, running  # noqa: F401
