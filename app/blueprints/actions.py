"""How a view runs a domain action and tells the person how it went.

A domain action raises `DomainError` when the rules say no (a full event, a closed survey):
the view rolls back, shows the message beside the field it is about or at the top of the
page, and never answers 500. When the action goes through, the view commits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash

from app.extensions import db
from app.services.errors import DomainError

T = TypeVar("T")


@dataclass
class Done(Generic[T]):
    """An action that went through, and what it gave back."""

    result: T


def run_action(
    action: Callable[[], T],
    done_message: str | Callable[[T], str] = "",
    *,
    form=None,
) -> Done[T] | None:
    """Run `action`; commit and say `done_message` (or what it makes of the action's result),
    or roll back and say why not: beside the form's field the error is about, else at the
    top of the page. Done when it went through, None when it did not."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        if form is not None:
            show_domain_error(form, error)
        else:
            flash(error.message, "danger")
        return None
    db.session.commit()
    message = done_message(result) if callable(done_message) else done_message
    if message:
        flash(message, "success")
    return Done(result)


def show_domain_error(form, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")
