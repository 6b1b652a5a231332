"""The matching engine: who meets whom. Pure Python, numpy and rustworkx; imports nothing from app."""

from app.pairing.engine import Matching, Person, explain, match, schedule, score_pair

__all__ = ["Matching", "Person", "explain", "match", "schedule", "score_pair"]
