"""Cards on a4-8: 300 (one download) and 1,000 (the worker), seconds and peak memory.

Both are printed as the app prints them (`printing.render_pdf`: chunks of whole pages, one
forked process per core, joined). Beside them, as a baseline in the same run, WeasyPrint's
floor: the 1,000 names alone as plain text on the same 125 pages, in one process. Each
measurement runs in a fresh process, so its memory is its own: the largest process's peak
(max RSS) and, in a run of its own, the peak of all its processes together (PSS, sampled;
shared pages counted once). Measured in turn for several rounds; medians are printed.

    uv run python benchmarks/cards.py [--layout a4-8] [--rounds 3]
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST = ["Олена", "Тарас", "Мар'яна", "Maryana", "Остап", "Ярина", "Богдан", "Соломія"]
LAST = ["Коваль", "Шевчук", "О'Коннор", "Заболотна-Вишневська", "Мельник", "Stefanyk"]


def child(kind: str, count: int, layout_name: str) -> None:
    from app import create_app
    from app.services import cards, printing

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    layout = cards.LAYOUTS[layout_name]
    names = [f"{FIRST[n % 8]} {LAST[n % 6]} {n}" for n in range(count)]
    with app.test_request_context():
        start, cpu_start = time.perf_counter(), cpu_seconds()
        if kind == "cards":
            deck = [
                cards.Card(
                    name=name,
                    organisation="Освіторія",
                    sector="Освіта",
                    colour="#f2a900",
                    interests=["кіно", "освіта", "штучний інтелект"],
                    offers=["менторство"],
                    event_title="Нетворкінг-вечір",
                    event_date="субота, 5 грудня 2026 р., 18:30",
                    link=f"https://spilno.example/t/{n:016d}",
                    name_size=cards.name_size_for(name, layout),
                )
                for n, name in enumerate(names)
            ]
            pdf = printing.render_pdf(deck, layout, crop_marks=True, title="bench")
        else:  # the floor: the same pages with the names as plain text
            from weasyprint import HTML

            pages = (count + layout.per_page - 1) // layout.per_page
            html = "".join(
                "<div style='page-break-after: always'>"
                + "<br>".join(names[p * layout.per_page : (p + 1) * layout.per_page])
                + "</div>"
                for p in range(pages)
            )
            style = f"<style>@page {{ size: {layout.page_width}mm {layout.page_height}mm }}</style>"
            pdf = HTML(string=style + html).write_pdf()
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    peak_mb = max(
        resource.getrusage(who).ru_maxrss / 1024
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "bytes": len(pdf)}))


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: steadier than the clock on a
    shared machine, and it shows what printing on several cores costs in all."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants: memory shared between a
    parent and its forked children is counted once, split between them."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += next(
                int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue  # it ended while we looked
    return total / 1024


def child_command(kind: str, count: int, layout: str) -> list[str]:
    return [sys.executable, __file__, "--child", kind, "--cards", str(count), "--layout", layout]


def run(kind: str, count: int, layout: str) -> dict:
    """One measurement in a fresh process: its time, CPU, largest process and PDF."""
    command = child_command(kind, count, layout)
    output = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def all_processes_peak_mb(kind: str, count: int, layout: str) -> float:
    """A run of its own whose memory is sampled every 20 ms. Reading a process's memory map
    locks it, which slowed printing on every core by half: so no timing comes from here."""
    child = subprocess.Popen(
        child_command(kind, count, layout), stdout=subprocess.DEVNULL, cwd=ROOT
    )
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, tree_pss_mb(child.pid))
        time.sleep(0.02)
    assert child.returncode == 0, f"{kind} failed"
    return peak


def summary(results: list[dict], floors: list[dict]) -> dict:
    """Medians of the rounds; the ratio is taken round by round against the floor measured
    beside it, so a slow spell of the machine slows both sides of a ratio."""
    return {
        "seconds": median(r["seconds"] for r in results),
        "ratio": median(r["seconds"] / f["seconds"] for r, f in zip(results, floors, strict=True)),
        "cpu": median(r["cpu"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results),
        "bytes": results[0]["bytes"],
    }


def main():
    from app.services.cards import cores

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--layout", default="a4-8")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=["cards", "floor"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.cards, args.layout)
        return
    runs = {  # label: (kind, cards, target seconds)
        "300 cards, a download": ("cards", 300, 8),
        "1,000 cards, the worker": ("cards", 1000, 20),
        "1,000 names only (floor)": ("floor", 1000, None),
    }
    rounds = {label: [] for label in runs}
    for _ in range(args.rounds):
        for label, (kind, count, _target) in runs.items():
            rounds[label].append(run(kind, count, args.layout))
    floors = rounds["1,000 names only (floor)"]
    print(
        f"layout {args.layout}, {cores()} cores; medians of {args.rounds} rounds; "
        "targets: 300 ≤ 8 s, 1,000 ≤ 20 s, ≤ 400 MB\n"
    )
    print(
        f"{'what':<26} {'seconds':>8} {'target':>7} {'× floor':>8} {'CPU s':>7} "
        f"{'RSS MB':>7} {'all MB':>7} {'PDF KB':>7}"
    )
    for label, (kind, count, target) in runs.items():
        result = summary(rounds[label], floors)
        all_mb = all_processes_peak_mb(kind, count, args.layout)
        print(
            f"{label:<26} {result['seconds']:>8.2f} {target or '':>7} {result['ratio']:>8.2f} "
            f"{result['cpu']:>7.2f} {result['peak_mb']:>7.0f} {all_mb:>7.0f} "
            f"{result['bytes'] / 1024:>7.0f}"
        )


if __name__ == "__main__":
    main()
