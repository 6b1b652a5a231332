"""Surveys: build them, send them to the right people, take answers once, sum them up."""

from app.services.surveys import answering, building, invitations, results

__all__ = ["answering", "building", "invitations", "results"]
