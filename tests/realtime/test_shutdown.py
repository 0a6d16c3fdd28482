"""Graceful stop (docker stop, SIGTERM): open sockets are closed with 1012 "service restart", a code on which the
htmx ws extension reconnects, so phones and boards come back by themselves to whichever server is up next."""

from __future__ import annotations

import asyncio

import pytest
from websockets.exceptions import ConnectionClosed

from app.realtime.connections import CLOSE_SERVICE_RESTART
from tests.conftest import LiveServer, free_port, make_settings
from tests.realtime.conftest import start_room


async def test_stopping_the_server_closes_sockets_with_service_restart(tmp_path, sqlite_url):
    port = free_port()
    server = LiveServer(make_settings(tmp_path, sqlite_url, base_url=f"http://127.0.0.1:{port}"), port).start()
    stopped = False
    try:
        room = await start_room(server)
        phone = await room.phone("Gemeente")
        board = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
        phone_ws = await phone.websocket(f"/ws/phone/{room.workshop_id}")
        await board.recv()
        await phone_ws.recv()
        await asyncio.to_thread(server.stop)  # what uvicorn does on SIGTERM
        stopped = True
        for ws in (board, phone_ws):
            with pytest.raises(ConnectionClosed) as closed:
                async with asyncio.timeout(5):
                    while True:
                        await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_SERVICE_RESTART == 1012
        await room.facilitator.close()
        await phone.close()
    finally:
        if not stopped:
            server.stop()
