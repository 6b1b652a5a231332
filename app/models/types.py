from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

# The community's time zone: pages speak it, new events start in it, and community-wide
# dates (a pulse survey's, the dashboard's days) are read in it.
KYIV = "Europe/Kyiv"
KYIV_ZONE = ZoneInfo(KYIV)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    SQLite keeps no zone, so values come back naive; this type stores UTC and hands back
    aware datetimes, so code never compares naive and aware times.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
