"""Private notes of the community's team about members.

Written by hosts and admins; each is edited or removed by its author only. Never shown to
other members; the member reads the notes about them in their own data export.
"""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Note, User
from app.models.people import NOTE_LENGTH
from app.models.types import utcnow
from app.services import errors
from app.services.text import clean_text


def _text(text: str) -> str:
    text = clean_text(text or "").strip()
    if not text:
        raise errors.NoteEmpty()
    if len(text) > NOTE_LENGTH:
        raise errors.NoteTooLong(length=NOTE_LENGTH)
    return text


def add_note(author: User, about_id: int, text: str) -> Note:
    about = db.session.get(User, about_id)
    if about is None or about.deleted_at is not None:
        raise errors.NoSuchMember()
    note = Note(about_id=about.id, author_id=author.id, text=_text(text))
    db.session.add(note)
    db.session.flush()
    return note


def _own(author: User, note_id: int) -> Note:
    note = db.session.get(Note, note_id)
    if note is None or note.author_id != author.id:
        raise errors.NotYourNote()
    return note


def edit_note(author: User, note_id: int, text: str) -> Note:
    note = _own(author, note_id)
    note.text, note.edited_at = _text(text), utcnow()
    return note


def remove_note(author: User, note_id: int) -> int:
    """Remove one's own note; the id of the member it was about."""
    note = _own(author, note_id)
    about = note.about_id
    db.session.delete(note)
    return about


def about_of(note_id: int) -> int | None:
    return db.session.scalar(sa.select(Note.about_id).where(Note.id == note_id))


def notes_about(user_id: int) -> list[Note]:
    query = (
        sa.select(Note)
        .where(Note.about_id == user_id)
        .options(selectinload(Note.author))
        .order_by(Note.created_at.desc(), Note.id.desc())
    )
    return list(db.session.scalars(query))
