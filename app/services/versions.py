"""Two tabs (or two hosts) editing the same thing: the later save must not silently undo the
earlier one. Each edit form carries the `edit_version` it was shown at; a save made on an
older version is refused with what was typed kept, and each save counts one version on."""

from app.services import errors


def check_version(record, seen_version: int | None) -> None:
    """Refuse a save made on a form shown before someone else's save (None: not checked)."""
    if seen_version is not None and seen_version != record.edit_version:
        raise errors.EditedElsewhere()


def saved(record) -> None:
    record.edit_version += 1
