"""A real gunicorn for the tests that need separate server processes."""

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# How long a request may wait before the server is taken for hung. It is no measure of speed:
# a request sent before gunicorn is up simply waits in the socket's queue until it is.
SERVER_HANG = 300


@contextmanager
def gunicorn(env: dict, *options: str) -> Iterator[str]:
    """Serve the app from a socket bound here first and handed to gunicorn (`fd://`), so the
    server's address is known and taken before it starts, and nothing polls for it. The
    server is stopped on the way out, pass or fail."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "-w", "1", *options]
    command += ["-b", f"fd://{listener.fileno()}", "app:create_app()"]
    process = subprocess.Popen(
        command,
        env=env,
        pass_fds=[listener.fileno()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=SERVER_HANG)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        listener.close()
