"""How a view tells a person about a domain error: beside the field, or at the top."""

from flask import flash


def show_domain_error(form, error) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")
