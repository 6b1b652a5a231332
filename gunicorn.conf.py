"""gunicorn's settings for Spilno, read from the working directory by default."""

import sys

from config import config_for

accesslog = "-"  # one line per request, with its status and duration
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def on_starting(server):
    """Refuse to serve with counters that each worker would keep apart (login limits)."""
    try:
        config_for().check_workers(server.cfg.workers)
    except RuntimeError as error:
        print(f"Spilno: {error}", file=sys.stderr)
        sys.exit(1)
