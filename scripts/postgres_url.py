"""Print the PostgreSQL server URL the test suite should use, or nothing when none answers.

TEST_DATABASE_URL wins; otherwise a local server on 127.0.0.1:5432 is tried. The suite
creates a fresh database on that server for each run and drops it afterwards.
"""

import os
import sys

import psycopg

LOCAL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    url = os.environ.get("TEST_DATABASE_URL") or LOCAL
    try:
        psycopg.connect(url.replace("+psycopg", ""), connect_timeout=3).close()
    except psycopg.OperationalError as error:
        if os.environ.get("TEST_DATABASE_URL"):
            print(f"TEST_DATABASE_URL does not answer: {error}", file=sys.stderr)
            return 1
        return 0
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
