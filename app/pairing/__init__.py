"""Who meets whom: pure Python, numpy and rustworkx. Imports nothing from `app`."""

from app.pairing.engine import (
    Matching,
    Person,
    explain,
    match,
    match_avoiding,
    schedule,
    score_pair,
)

__all__ = [
    "Matching",
    "Person",
    "explain",
    "match",
    "match_avoiding",
    "schedule",
    "score_pair",
]
