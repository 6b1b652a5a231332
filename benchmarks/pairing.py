"""The matching engine against a shuffle-and-retry baseline, on a synthetic community.

The community looks like the demo one: sectors of uneven size, two languages, tag
vocabularies, 20% newcomers, some blocks and a history of past rounds. For each size the
table shows seconds per round, the score as a share of the exact optimum on the full graph
(N ≤ 1,000), the cross-sector share, people left out and repeats; the baseline does what
most random-coffee bots do: shuffle, pair neighbours who may meet, retry, keep the best.

    uv run python benchmarks/pairing.py [--sizes 50 300 1000 5000]
"""

import argparse
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.pairing import Person, engine, match, score_pair

SECTORS = ["it", "education", "culture", "ngo", "business", "public", "media", "health", "science"]
SECTOR_WEIGHTS = [22, 16, 12, 14, 12, 8, 7, 5, 4]
INTERESTS = [f"interest-{n}" for n in range(45)]
SKILLS = [f"skill-{n}" for n in range(25)]
CITIES = ["Київ", "Львів", "Харків", "Одеса", "Дніпро"]
HISTORY_ROUNDS = 4
BASELINE_TRIES = 20


def community(size: int, seed: int = 7):
    rng = random.Random(seed)
    people = []
    for n in range(size):
        languages = rng.choices([("uk",), ("uk", "en"), ("en",)], weights=[55, 40, 5])[0]
        people.append(
            Person(
                id=n,
                sector=rng.choices(SECTORS, weights=SECTOR_WEIGHTS)[0],
                interests=frozenset(rng.sample(INTERESTS, rng.randint(2, 4))),
                offers=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
                asks=frozenset(rng.sample(SKILLS, rng.randint(1, 2))),
                languages=frozenset(languages),
                city=rng.choice(CITIES),
                newcomer=rng.random() < 0.2,
            )
        )
    blocked = [tuple(rng.sample(range(size), 2)) for _ in range(max(1, size // 50))]
    met = []
    for rounds_ago in range(1, HISTORY_ROUNDS + 1):  # past rounds: random pairings
        order = list(range(size))
        rng.shuffle(order)
        met += [(order[i], order[i + 1], rounds_ago) for i in range(0, size - 1, 2)]
    return people, met, blocked


def shuffle_and_retry(people, met, blocked, seed):
    """Shuffle, pair each person with the next one they may meet; keep the best of 20 tries."""
    rng = random.Random(seed)
    history = {tuple(sorted((a, b))): r for a, b, r in met}
    forbidden = {tuple(sorted(pair)) for pair in blocked}
    best = None
    for _ in range(BASELINE_TRIES):
        order = people[:]
        rng.shuffle(order)
        groups, score, waiting = [], 0, []
        for person in order:
            partner = next(
                (
                    other
                    for other in waiting
                    if tuple(sorted((person.id, other.id))) not in forbidden
                    and score_pair(
                        person,
                        other,
                        weeks_since_met=history.get(tuple(sorted((person.id, other.id)))),
                    )
                ),
                None,
            )
            if partner is None:
                waiting.append(person)
                continue
            waiting.remove(partner)
            key = tuple(sorted((person.id, partner.id)))
            score += score_pair(person, partner, weeks_since_met=history.get(key))
            groups.append(key)
        groups += [(p.id,) for p in waiting]
        if best is None or score > best[1]:
            best = (groups, score)
    return best


def describe(groups, people_by_id, met):
    history = {tuple(sorted((a, b))) for a, b, _ in met}
    pairs = [g for g in groups if len(g) >= 2]
    cross = sum(len({people_by_id[p].sector for p in g}) > 1 for g in pairs)
    repeats = sum(1 for g in pairs for pair in combinations(sorted(g), 2) if tuple(pair) in history)
    left_out = sum(len(g) == 1 for g in groups)
    return cross / len(pairs) if pairs else 0.0, left_out, repeats


def exact_optimum(people, met, blocked):
    limit = engine.FULL_GRAPH_LIMIT
    engine.FULL_GRAPH_LIMIT = 10**9
    try:
        return match(people, met=met, blocked=blocked, seed=1).matched_score
    finally:
        engine.FULL_GRAPH_LIMIT = limit


def row(size, method, seconds, share, cross, left_out, repeats):
    print(
        f"{size:>5}  {method:<18} {seconds:>8.3f} {share:>10} {100 * cross:>11.1f}%"
        f" {left_out:>9} {repeats:>8}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 300, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median reported)")
    args = parser.parse_args()

    header = "    N  method              s/round  % optimum cross-sector  left out  repeats"
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        people, met, blocked = community(size)
        by_id = {p.id: p for p in people}
        optimum = exact_optimum(people, met, blocked) if size <= 1000 else None

        times, result = [], None
        for run in range(args.repeat):
            start = time.perf_counter()
            result = match(people, met=met, blocked=blocked, seed=run)
            times.append(time.perf_counter() - start)
        cross, left_out, repeats = describe(result.groups, by_id, met)
        share = f"{100 * result.matched_score / optimum:.3f}" if optimum else "—"
        row(size, "spilno engine", statistics.median(times), share, cross, left_out, repeats)

        times, baseline = [], None
        for run in range(args.repeat):
            start = time.perf_counter()
            baseline = shuffle_and_retry(people, met, blocked, seed=run)
            times.append(time.perf_counter() - start)
        cross, left_out, repeats = describe(baseline[0], by_id, met)
        share = f"{100 * baseline[1] / optimum:.3f}" if optimum else "—"
        row(size, "shuffle & retry", statistics.median(times), share, cross, left_out, repeats)

    # An evening: ten rounds of 300 in a row, each avoiding everyone met so far.
    people, met, blocked = community(300)
    start = time.perf_counter()
    plan = engine.schedule(people, 10, met=met, blocked=blocked)
    elapsed = time.perf_counter() - start
    tonight = set()
    repeats = 0
    for round_ in plan:
        for group in round_.groups:
            for pair in combinations(sorted(group), 2):
                repeats += pair in tonight
                tonight.add(pair)
    print(f"\n10 rounds of 300 (schedule): {elapsed:.2f} s in all, {repeats} repeats tonight")


if __name__ == "__main__":
    main()
