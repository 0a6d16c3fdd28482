"""The WebSocket loop shared by board, phone and console: origin check, snapshot, receive guard."""

from __future__ import annotations

import json
import time

from starlette.websockets import WebSocket, WebSocketDisconnect

from app import i18n
from app.realtime.connections import CLOSE_NORMAL, CLOSE_POLICY, CLOSE_TOO_BIG, Connection
from app.routes.deps import public_base_url
from app.security import is_same_origin

RESYNC_INTERVAL = 1.0  # seconds: a client cannot make the server render its snapshot more often


def origin_allowed(websocket: WebSocket) -> bool:
    settings = websocket.app.state.settings
    return is_same_origin(websocket.headers, allowed_origins=settings.allowed_origins, allowed_hosts=settings.hosts)


async def refuse(websocket: WebSocket) -> None:
    """Refuse the handshake (HTTP 403): a foreign origin or no rights."""
    await websocket.close(code=CLOSE_POLICY)


async def serve(websocket: WebSocket, *, workshop_id: int, audience: str, participant_id: int | None = None) -> None:
    settings = websocket.app.state.settings
    fanout = websocket.app.state.fanout
    await websocket.accept()
    locale = i18n.pick_locale(websocket.cookies.get("lang"), websocket.headers.get("accept-language"))
    connection = Connection(
        websocket,
        audience=audience,
        locale=locale,
        queue_size=settings.ws_queue_size,
        participant_id=participant_id,
        base_url=public_base_url(websocket),  # the links this connection's frames carry
    )
    connection.start()
    try:
        if not await fanout.connect(workshop_id, connection):
            connection.close(CLOSE_NORMAL)
            return
        last_resync = 0.0
        while not connection.closed.is_set():
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            data = message.get("text") or message.get("bytes") or ""
            if len(data) > settings.ws_max_message_bytes:
                connection.close(CLOSE_TOO_BIG)
                break
            # Clients send a keep-alive {"type": "ping"}, or {"type": "resync"} when a live delta found no place on
            # their screen (or a paused board resumes): they get a fresh snapshot, at most one a second.
            try:
                payload = json.loads(data)
            except (ValueError, TypeError):
                connection.close(CLOSE_POLICY)
                break
            kind = payload.get("type") if isinstance(payload, dict) else None
            if kind == "resync":
                now = time.monotonic()
                if now - last_resync >= RESYNC_INTERVAL:
                    last_resync = now
                    await fanout.snapshot(workshop_id, connection)
            elif kind != "ping":
                connection.close(CLOSE_POLICY)
                break
    except WebSocketDisconnect:
        pass
    finally:
        connection.close(connection.close_code)
        await fanout.disconnect(workshop_id, connection)
        await connection.wait_closed()
