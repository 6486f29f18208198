"""The web app served for real: uvicorn on a free port of 127.0.0.1, in a thread."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from kizashi.config import Options, Settings
from kizashi.serve import create_app


@contextmanager
def serving_store(db: str, *, api_token: str | None = None) -> Iterator[str]:
    """The app over the store at ``db``; yields its base URL and stops it afterwards."""
    app = create_app(Settings(db=db, api_token=api_token), Options())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
