"""How the benchmarks time a page: the SQL statements one request makes, then the median of
`repeat` requests through the WSGI stack, after a first request has warmed the caches.

A helper for the other scripts; run on its own it does nothing.
"""

import statistics
import time

import sqlalchemy as sa


def time_page(client, engine, path: str, repeat: int) -> tuple[float, int]:
    """(median milliseconds, SQL statements) of GET `path`; every answer must be a 200."""
    client.get(path)  # warm, as a running server is
    statements = []

    def record(*_):
        statements.append(1)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(path)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings) * 1000, len(statements)
