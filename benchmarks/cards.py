"""1,000 cards on a4-8 (125 pages): seconds and peak memory, against WeasyPrint's floor.

The floor is the same 125 pages holding only the names as plain text. Each measurement runs
in a fresh process, so its peak memory (max RSS) is its own.

    uv run python benchmarks/cards.py [--cards 1000] [--layout a4-8]
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST = ["Олена", "Тарас", "Мар'яна", "Maryana", "Остап", "Ярина", "Богдан", "Соломія"]
LAST = ["Коваль", "Шевчук", "О'Коннор", "Заболотна-Вишневська", "Мельник", "Stefanyk"]


def child(kind: str, count: int, layout_name: str) -> None:
    from app import create_app
    from app.services import cards

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    layout = cards.LAYOUTS[layout_name]
    names = [f"{FIRST[n % 8]} {LAST[n % 6]} {n}" for n in range(count)]
    with app.test_request_context():
        start = time.perf_counter()
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
                    qr=cards.qr_image(f"https://spilno.example/t/{n:016d}"),
                    name_size=cards.name_size_for(name, layout),
                )
                for n, name in enumerate(names)
            ]
            pdf = cards.render_pdf(deck, layout, crop_marks=True, title="bench")
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
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "bytes": len(pdf)}))


def run(kind: str, count: int, layout: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--cards", str(count), "--layout", layout],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--layout", default="a4-8")
    parser.add_argument("--child", choices=["cards", "floor"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.cards, args.layout)
        return
    cards_run = run("cards", args.cards, args.layout)
    floor = run("floor", args.cards, args.layout)
    print(f"{'what':<28} {'seconds':>8} {'peak MB':>8} {'PDF KB':>8}")
    for label, result in (
        (f"{args.cards} cards ({args.layout})", cards_run),
        ("names only (floor)", floor),
    ):
        kb = result["bytes"] / 1024
        print(f"{label:<28} {result['seconds']:>8.2f} {result['peak_mb']:>8.0f} {kb:>8.0f}")
    ratio = cards_run["seconds"] / floor["seconds"]
    print(f"\ncards ÷ floor: {ratio:.2f}× (target ≤ 2.5×); targets ≤ 8 s and ≤ 400 MB")


if __name__ == "__main__":
    main()
