"""ASGI middlewares put in front of the server to make it fail on purpose."""

from __future__ import annotations

import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class FailsBeforeStoring:
    """Answers 503 to the first manifest POST without passing it on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.tripped = threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/v1/manifests" and not self.tripped.is_set():
            self.tripped.set()
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b"down for maintenance"})
            return
        await self.app(scope, receive, send)


class LosesTheAnswer:
    """Lets the first manifest POST be stored, then throws its answer away and fails (500):
    the lost acknowledgement."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.tripped = threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/v1/manifests" and not self.tripped.is_set():
            self.tripped.set()

            async def swallow(_message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            await send({"type": "http.response.start", "status": 500, "headers": []})
            await send({"type": "http.response.body", "body": b"internal error"})
            return
        await self.app(scope, receive, send)
