"""The bare reference: a minimal Starlette WebSocket broadcast server, served by uvicorn with the app's transport.

One WebSocket route (`/ws`) that keeps every connection, and `POST /emit`, which sends its body as one text frame to
every connection (`POST /emit?to=N`: to the N connections that came first, e.g. a board and a console) and answers
with how many it was sent to. No database, no templates, no middleware: whatever the
app spends beyond this on a live event is its own work. The benchmark starts it in the same run as the app, on its
own port, with the same uvicorn transport flags (`bench/servers.py`), so the two are compared under the same load:

    uvicorn bench.reference_server:app --port 8123 [the app's --ws... flags]
"""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

connections: dict[WebSocket, None] = {}  # in the order they connected


async def socket(websocket: WebSocket) -> None:
    await websocket.accept()
    connections[websocket] = None
    try:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass  # clients send nothing but keep-alives
    finally:
        connections.pop(websocket, None)


async def _send(websocket: WebSocket, text: str) -> None:
    try:
        await websocket.send_text(text)
    except Exception:  # noqa: BLE001 - a socket that went away is simply dropped
        connections.pop(websocket, None)


async def emit(request: Request) -> PlainTextResponse:
    text = (await request.body()).decode()
    targets = list(connections)
    if "to" in request.query_params:
        targets = targets[: int(request.query_params["to"])]
    await asyncio.gather(*(_send(websocket, text) for websocket in targets))
    return PlainTextResponse(str(len(targets)))


async def healthz(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


app = Starlette(
    routes=[
        WebSocketRoute("/ws", socket),
        Route("/emit", emit, methods=["POST"]),
        Route("/healthz", healthz),
    ]
)
