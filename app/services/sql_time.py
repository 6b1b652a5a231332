"""Date arithmetic in SQL that SQLite and PostgreSQL spell differently.

Times are stored in UTC (SQLite keeps them as 'YYYY-MM-DD HH:MM:SS.ffffff' text), so each
construct reads them as UTC on both databases: the start of a week or month as a
'YYYY-MM-DD' day, and a time some days later.
"""

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class week_start(FunctionElement):
    """The Monday of the time's ISO week, as 'YYYY-MM-DD'."""

    type = sa.String()
    inherit_cache = True


class month_start(FunctionElement):
    """The first day of the time's month, as 'YYYY-MM-DD'."""

    type = sa.String()
    inherit_cache = True


class plus_days(FunctionElement):
    """plus_days(time, days): the time that many days later, comparable with stored times
    (so a range test on a column can use its index)."""

    type = sa.DateTime(timezone=True)
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw):
    # Back six days, then forward to the next Monday: a Monday stays itself.
    return f"date({compiler.process(element.clauses, **kw)}, '-6 days', 'weekday 1')"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    # The stored text begins 'YYYY-MM': cutting it reads the month without parsing a date.
    return f"(substr({compiler.process(element.clauses, **kw)}, 1, 7) || '-01')"


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element, compiler, **kw):
    # Same text shape as the stored times (to the millisecond), so they compare as text.
    moment, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('%Y-%m-%d %H:%M:%f', {moment}, '+' || {days} || ' days')"


def _truncated(unit: str, element, compiler, **kw) -> str:
    utc = f"({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC')"
    return f"to_char(date_trunc('{unit}', {utc}), 'YYYY-MM-DD')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element, compiler, **kw):
    return _truncated("week", element, compiler, **kw)


@compiles(month_start, "postgresql")
def _month_start_postgresql(element, compiler, **kw):
    return _truncated("month", element, compiler, **kw)


@compiles(plus_days, "postgresql")
def _plus_days_postgresql(element, compiler, **kw):
    moment, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"({moment} + make_interval(days => {days}))"
