"""Maximum-weight, maximum-cardinality pairing with hard rules and soft preferences.

Hard rules remove a pair: blocked, no shared language, different cities for an in-person
round. Soft rules give each allowed pair an integer weight: a fresh pair, different sectors,
shared interests, an ask that meets an offer, a newcomer with an experienced member. A pair
that met recently weighs least of all, recovering week by week. The best matching is found
exactly (Edmonds' blossom algorithm in rustworkx); in large rounds each person keeps only
their best candidates first, which loses a measured fraction of a per cent.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import rustworkx as rx

# Weights. A fresh pair always outweighs any pair that met before, whatever else they share.
BASE = 10
FRESH = 60
DIFFERENT_SECTORS = 30
SHARED_INTEREST = 8
MAX_SHARED_INTERESTS = 3
ASK_MEETS_OFFER = 15  # per direction
NEWCOMER_WITH_MEMBER = 12
RECOVERY_WEEKS = 26  # a pair that met this many weeks ago weighs as if it had not met

FULL_GRAPH_LIMIT = 600  # above this many people, keep each person's best candidates only
CANDIDATES = 24
BLOCK_ROWS = 1024  # rows of the weight matrix computed at a time, to bound memory


@dataclass(frozen=True)
class Person:
    id: int
    sector: str | None = None
    interests: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    asks: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()  # empty: speaks any
    city: str | None = None
    newcomer: bool = False


@dataclass
class Matching:
    """`groups`: every person once, in pairs, with a trio for an odd one out (or, when nobody
    they may meet is left, alone). `score`: the sum of score_pair over every pair inside a
    group. `matched_score`: the same over the maximum matching alone, before any trio."""

    groups: list[tuple[int, ...]] = field(default_factory=list)
    score: int = 0
    matched_score: int = 0


def _allowed(a: Person, b: Person, in_person: bool) -> bool:
    if a.languages and b.languages and not (a.languages & b.languages):
        return False
    return not (in_person and a.city and b.city and a.city != b.city)


def _soft(a: Person, b: Person) -> int:
    score = BASE
    if a.sector and b.sector and a.sector != b.sector:
        score += DIFFERENT_SECTORS
    score += SHARED_INTEREST * min(len(a.interests & b.interests), MAX_SHARED_INTERESTS)
    score += ASK_MEETS_OFFER * (bool(a.asks & b.offers) + bool(b.asks & a.offers))
    if a.newcomer != b.newcomer:
        score += NEWCOMER_WITH_MEMBER
    return score


def _recovered(soft: int, weeks_ago: int) -> int:
    """A pair that met: 1 right after, climbing back to its soft weight over the weeks."""
    weeks = min(max(weeks_ago, 1), RECOVERY_WEEKS)
    return max(1, soft * weeks // RECOVERY_WEEKS)


def score_pair(
    a: Person, b: Person, *, weeks_since_met: int | None = None, in_person: bool = False
) -> int:
    """0 when a hard rule forbids the pair, else a positive integer; higher is better."""
    if a.id == b.id or not _allowed(a, b, in_person):
        return 0
    soft = _soft(a, b)
    return soft + FRESH if weeks_since_met is None else _recovered(soft, weeks_since_met)


def explain(a: Person, b: Person) -> list[str]:
    """Why this pair, as message ids for the interface to translate."""
    reasons = []
    if a.sector and b.sector and a.sector != b.sector:
        reasons.append("different_sectors")
    if a.interests & b.interests:
        reasons.append("shared_interests")
    if a.asks & b.offers:
        reasons.append("b_can_help_a")
    if b.asks & a.offers:
        reasons.append("a_can_help_b")
    if a.newcomer != b.newcomer:
        reasons.append("newcomer")
    if a.languages and b.languages and a.languages & b.languages:
        reasons.append("shared_language")
    return reasons or ["fresh_pair"]


def _pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class _Community:
    """The people as arrays, so every pair's weight is computed in bulk."""

    def __init__(self, people: Sequence[Person], in_person: bool):
        self.people = list(people)
        self.index = {person.id: i for i, person in enumerate(self.people)}
        self.in_person = in_person
        n = len(self.people)
        self.sector = self._codes([p.sector for p in self.people])
        self.city = self._codes([p.city for p in self.people])
        self.newcomer = np.array([p.newcomer for p in self.people], dtype=bool)
        self.languages = self._bits([p.languages for p in self.people])
        self.speaks_any = ~self.languages.any(axis=1) if n else np.zeros(0, bool)
        vocabulary = sorted({t for p in self.people for t in p.interests | p.offers | p.asks})
        self.interests = self._bits([p.interests for p in self.people], vocabulary)
        self.offers = self._bits([p.offers for p in self.people], vocabulary)
        self.asks = self._bits([p.asks for p in self.people], vocabulary)

    @staticmethod
    def _codes(values: list[str | None]) -> np.ndarray:
        known = {v: i for i, v in enumerate(sorted({v for v in values if v}))}
        return np.array([known[v] if v else -1 for v in values], dtype=np.int32)

    @staticmethod
    def _bits(sets: list[frozenset[str]], vocabulary: list[str] | None = None) -> np.ndarray:
        vocabulary = vocabulary if vocabulary is not None else sorted({t for s in sets for t in s})
        column = {term: j for j, term in enumerate(vocabulary)}
        matrix = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
        for i, terms in enumerate(sets):
            for term in terms:
                matrix[i, column[term]] = 1
        return matrix

    def weights(self, rows: slice) -> np.ndarray:
        """Fresh-pair weights of people[rows] against everyone (0 = forbidden)."""
        r = np.arange(len(self.people))[rows]
        allowed = (self.languages[r] @ self.languages.T > 0) | self.speaks_any[r, None]
        allowed |= self.speaks_any[None, :]
        if self.in_person:
            cr, c = self.city[r, None], self.city[None, :]
            allowed &= (cr == c) | (cr < 0) | (c < 0)
        sr, s = self.sector[r, None], self.sector[None, :]
        score = np.full(allowed.shape, BASE + FRESH, dtype=np.int32)
        score += DIFFERENT_SECTORS * ((sr != s) & (sr >= 0) & (s >= 0))
        shared = np.minimum(self.interests[r] @ self.interests.T, MAX_SHARED_INTERESTS)
        score += SHARED_INTEREST * shared.astype(np.int32)
        score += ASK_MEETS_OFFER * (self.asks[r] @ self.offers.T > 0)
        score += ASK_MEETS_OFFER * (self.offers[r] @ self.asks.T > 0)
        score += NEWCOMER_WITH_MEMBER * (self.newcomer[r, None] != self.newcomer[None, :])
        score[~allowed] = 0
        score[np.arange(len(r)), r] = 0  # nobody meets themselves
        return score


def _edges(
    community: _Community, met: dict, blocked: set, *, full: bool | None = None
) -> dict[tuple[int, int], int]:
    """Candidate pairs (by position) and their weights."""
    n = len(community.people)
    full = n <= FULL_GRAPH_LIMIT if full is None else full
    keep = min(CANDIDATES, n - 1)
    sources, targets, weights = [], [], []
    for start in range(0, n, BLOCK_ROWS):
        block = community.weights(slice(start, min(start + BLOCK_ROWS, n)))
        if full:
            rows, cols = np.nonzero(block)
        else:
            cols = np.argpartition(-block, keep, axis=1)[:, :keep].ravel()
            rows = np.repeat(np.arange(block.shape[0]), keep)
        sources.append(rows + start)
        targets.append(cols)
        weights.append(block[rows, cols])
    i, j, w = (np.concatenate(parts) for parts in (sources, targets, weights))
    keep_mask = (w > 0) & (i != j)
    i, j, w = i[keep_mask], j[keep_mask], w[keep_mask]
    low, high = np.minimum(i, j), np.maximum(i, j)
    edges = dict(zip(zip(low.tolist(), high.tolist(), strict=True), w.tolist(), strict=True))
    # Hard and history rules on top of the bulk weights.
    people = community.people
    for (a_id, b_id), weeks_ago in met.items():
        i, j = community.index.get(a_id), community.index.get(b_id)
        if i is None or j is None:
            continue
        key = _pair_key(i, j)
        weight = score_pair(
            people[i], people[j], weeks_since_met=weeks_ago, in_person=community.in_person
        )
        if weight:
            edges[key] = weight
        else:
            edges.pop(key, None)
    for a_id, b_id in blocked:
        i, j = community.index.get(a_id), community.index.get(b_id)
        if i is not None and j is not None:
            edges.pop(_pair_key(i, j), None)
    return edges


def _normalise_met(met: Iterable[tuple[int, int, int]]) -> dict[tuple[int, int], int]:
    latest: dict[tuple[int, int], int] = {}
    for a, b, weeks_ago in met:
        key = _pair_key(a, b)
        latest[key] = min(weeks_ago, latest.get(key, weeks_ago))
    return latest


def match(
    people: Sequence[Person],
    *,
    met: Iterable[tuple[int, int, int]] = (),
    blocked: Iterable[tuple[int, int]] = (),
    in_person: bool = False,
    seed: int = 0,
) -> Matching:
    """`met` holds (a, b, weeks since they last met, 1 for this week); `blocked`, pairs who
    must never meet."""
    people = list(people)
    if len(people) < 2:
        return Matching(groups=[(p.id,) for p in people])
    # The seed orders the people: ties fall the same way for the same seed, another way for another.
    order = np.random.default_rng(seed).permutation(len(people))
    people = [people[i] for i in order]
    community = _Community(people, in_person)
    met_pairs = _normalise_met(met)
    blocked_pairs = {_pair_key(a, b) for a, b in blocked}
    edges = _edges(community, met_pairs, blocked_pairs)

    graph = rx.PyGraph()
    graph.add_nodes_from(range(len(people)))
    graph.add_edges_from([(i, j, w) for (i, j), w in sorted(edges.items())])
    matched = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    pairs = sorted(_pair_key(i, j) for i, j in matched)

    def weight(i: int, j: int) -> int:
        a, b = people[i], people[j]
        key = _pair_key(a.id, b.id)
        if key in blocked_pairs:
            return 0
        return score_pair(a, b, weeks_since_met=met_pairs.get(key), in_person=in_person)

    groups = [list(pair) for pair in pairs]
    alone = sorted(set(range(len(people))) - {i for pair in pairs for i in pair})
    for i in alone:
        _join_the_best_group(i, groups, weight)

    result = Matching(
        groups=sorted(tuple(sorted(people[i].id for i in group)) for group in groups),
        matched_score=sum(weight(i, j) for i, j in pairs),
    )
    by_id = {p.id: p for p in people}
    result.score = sum(
        score_pair(
            by_id[a],
            by_id[b],
            weeks_since_met=met_pairs.get(_pair_key(a, b)),
            in_person=in_person,
        )
        for group in result.groups
        for a, b in combinations(group, 2)
    )
    return result


def _join_the_best_group(i: int, groups: list[list[int]], weight) -> None:
    """Someone the matching left out joins the group they fit best (every member allowed
    with them): a pair first; only if no pair fits, a trio or another person left out."""
    for sizes in ((2,), (1, 3)):
        fits = [
            (sum(gains), group)
            for group in groups
            if len(group) in sizes and all(gains := [weight(i, j) for j in group])
        ]
        if fits:
            max(fits, key=lambda fit: fit[0])[1].append(i)
            return
    groups.append([i])


def match_avoiding(
    people: Sequence[Person],
    avoid: Iterable[tuple[int, int]],
    *,
    met: Iterable[tuple[int, int, int]] = (),
    blocked: Iterable[tuple[int, int]] = (),
    in_person: bool = False,
    seed: int = 0,
) -> Matching:
    """A round with none of the `avoid` pairs, unless that would leave someone alone:
    then they are allowed back, at the lowest weight (met one round ago)."""
    avoid, met, blocked = list(avoid), list(met), list(blocked)
    strict = match(people, met=met, blocked=[*blocked, *avoid], in_person=in_person, seed=seed)
    alone = sum(len(g) == 1 for g in strict.groups)
    if not alone or not avoid:
        return strict
    relaxed = match(
        people,
        met=[*met, *((a, b, 1) for a, b in avoid)],
        blocked=blocked,
        in_person=in_person,
        seed=seed,
    )
    return relaxed if sum(len(g) == 1 for g in relaxed.groups) < alone else strict


def schedule(
    people: Sequence[Person],
    rounds: int,
    *,
    met: Iterable[tuple[int, int, int]] = (),
    blocked: Iterable[tuple[int, int]] = (),
    in_person: bool = False,
    seed: int = 0,
) -> list[Matching]:
    """Several rounds for one evening: no pair meets twice while a repeat-free round exists."""
    history = list(met)
    blocked = list(blocked)
    tonight: set[tuple[int, int]] = set()
    plan = []
    for number in range(rounds):
        result = match_avoiding(
            people, tonight, met=history, blocked=blocked, in_person=in_person, seed=seed + number
        )
        plan.append(result)
        # Everything met so far slides one round back; tonight's pairs are the most recent.
        history = [(a, b, r + 1) for a, b, r in history]
        for group in result.groups:
            for a, b in combinations(group, 2):
                tonight.add(_pair_key(a, b))
                history.append((a, b, 1))
    return plan
