"""Static files under fingerprinted URLs (`?v=` a hash of the file's bytes), which browsers
may keep for a year: a changed file has a new URL, so nobody sees a stale one."""

import hashlib
from contextlib import closing
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

YEAR = 365 * 24 * 3600
STATIC_ENDPOINTS = ("static", "bootstrap.static")


@lru_cache(maxsize=256)
def fingerprint(path: str, modified_ns: int) -> str:
    """The file's hash; a new modification time (a changed file) is a new key."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=6).hexdigest()


def init_app(app: Flask) -> None:
    def folder(endpoint: str) -> str:
        owner = app if endpoint == "static" else app.blueprints[endpoint.split(".")[0]]
        return owner.static_folder

    @app.url_defaults
    def add_fingerprint(endpoint, values):
        if endpoint not in STATIC_ENDPOINTS or "filename" not in values or "v" in values:
            return
        path = Path(folder(endpoint)) / values["filename"]
        if path.is_file():
            values["v"] = fingerprint(str(path), path.stat().st_mtime_ns)

    @app.after_request
    def keep_fingerprinted_files(response):
        """Registered after Flask-Compress, so it runs before it (Flask runs these hooks in
        reverse): a static file, read whole, is compressed as a page is."""
        if request.endpoint not in STATIC_ENDPOINTS:
            return response
        if response.status_code == 304:
            # No body goes out: the file send_file opened is done with, closed now rather
            # than whenever the garbage collector comes by (a warning in a test, once).
            response.close()
            return response
        if response.status_code != 200:
            return response
        response.direct_passthrough = False
        with closing(response.response) as file:  # read whole, and closed at once
            response.set_data(b"".join(file))
        if "v" in request.args:
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
