"""The platform server on loopback, in a background thread: real sockets, real HTTP."""

from __future__ import annotations

import os
import threading
import time

import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp

from platform_server.api.app import create_app
from platform_server.settings import Settings

from .postgres_cluster import free_port


class LiveServer:
    """Start, stop and restart (a new app instance over the same database and blob folder)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.app: FastAPI | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wrap: type | None = None) -> LiveServer:
        """Serve a fresh app; ``wrap`` is an ASGI middleware class put in front (fault injection)."""
        self.app = create_app(self.settings)
        served: ASGIApp = wrap(self.app) if wrap else self.app
        config = uvicorn.Config(served, host="127.0.0.1", port=self.port, log_level=os.environ.get("LIVE_SERVER_LOG", "critical"), lifespan="off",
                                timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(15)
        if self.app is not None:
            self.app.state.platform.db.dispose()
        self._server = self._thread = self.app = None

    def restart(self, wrap: type | None = None) -> LiveServer:
        self.stop()
        return self.start(wrap)
