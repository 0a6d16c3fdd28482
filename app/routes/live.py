"""The WebSocket loop shared by board, phone and console: origin check, snapshot, receive guard."""

from __future__ import annotations

import json

from starlette.websockets import WebSocket, WebSocketDisconnect

from app import i18n
from app.realtime.connections import CLOSE_NORMAL, CLOSE_POLICY, CLOSE_TOO_BIG, Connection
from app.security import is_same_origin


def origin_allowed(websocket: WebSocket) -> bool:
    settings = websocket.app.state.settings
    return is_same_origin(websocket.headers, allowed_origins={settings.origin}, allowed_hosts=settings.hosts)


async def refuse(websocket: WebSocket) -> None:
    """Refuse the handshake (HTTP 403): a foreign origin or no rights."""
    await websocket.close(code=CLOSE_POLICY)


async def serve(websocket: WebSocket, *, workshop_id: int, audience: str, participant_id: int | None = None) -> None:
    settings = websocket.app.state.settings
    fanout = websocket.app.state.fanout
    await websocket.accept()
    locale = i18n.pick_locale(websocket.cookies.get("lang"), websocket.headers.get("accept-language"))
    connection = Connection(
        websocket, audience=audience, locale=locale, queue_size=settings.ws_queue_size, participant_id=participant_id
    )
    connection.start()
    try:
        if not await fanout.connect(workshop_id, connection):
            connection.close(CLOSE_NORMAL)
            return
        while not connection.closed.is_set():
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            data = message.get("text") or message.get("bytes") or ""
            if len(data) > settings.ws_max_message_bytes:
                connection.close(CLOSE_TOO_BIG)
                break
            # Clients only ever send a keep-alive: {"type": "ping"}. Anything else is a protocol error.
            try:
                payload = json.loads(data)
            except (ValueError, TypeError):
                connection.close(CLOSE_POLICY)
                break
            if not isinstance(payload, dict) or payload.get("type") != "ping":
                connection.close(CLOSE_POLICY)
                break
    except WebSocketDisconnect:
        pass
    finally:
        connection.close(connection.close_code)
        await fanout.disconnect(workshop_id, connection)
        await connection.wait_closed()
