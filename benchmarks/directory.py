"""How the member directory keeps up as the community grows.

Seeds demo communities of several sizes into throw-away SQLite databases and times the
directory pages for a logged-in member through the WSGI stack, against /healthz (the floor
of a request) in the same process. Prints sizes, medians, the ratio to /healthz and the
number of SQL statements per page.

    uv run python benchmarks/directory.py [--sizes 300 5000] [--repeat 30]
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.services import demo
from benchmarks.page_timing import time_page

PAGES = [
    ("/healthz", "baseline"),
    ("/", "home"),
    ("/members/", "directory"),
    ("/members/?q=ол", "name search"),
    ("/members/?interest=освіта&city=Київ", "interest + city"),
    ("/members/?page=10", "page 10"),
    ("/members/5", "profile"),
]


def run(size, repeat, workdir):
    app = create_app(
        "test",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / f'bench{size}.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        },
    )
    with app.app_context():
        upgrade()
        demo.seed_demo_community(members=size)
        db.session.commit()
        engine = db.engine
    client = app.test_client()
    client.post("/auth/login", data={"email": demo.MEMBER_EMAIL, "password": demo.DEMO_PASSWORD})
    rows = []
    baseline = None
    for path, label in PAGES:
        median, queries = time_page(client, engine, path, repeat)
        baseline = baseline or median
        rows.append((size, label, median, median / baseline, queries))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 5000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(f"{'members':>8} {'page':<18} {'median ms':>10} {'× healthz':>10} {'queries':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            for size_, label, median, ratio, queries in run(size, args.repeat, Path(tmp)):
                print(f"{size_:>8} {label:<18} {median:>10.2f} {ratio:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
