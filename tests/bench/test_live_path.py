"""Smoke test of the live path benchmark: the reference server and the load generator against a real app server.

Tiny sizes; it checks that the generator counts right (every answer found on the board, nothing lost, every phone's
step frame and form seen, the page weight's requests), never how fast anything is.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from websockets.asyncio.client import connect

from bench.live_path import Stage, parse_args, run, table
from bench.servers import AppServer, ReferenceServer, transport_args


@pytest.fixture
def reference():
    server = ReferenceServer()
    server.start()
    try:
        asyncio.run(server.wait_ready())
        yield server
    finally:
        server.stop()
        server.cleanup()


async def test_reference_server_sends_an_emitted_frame_to_every_connection(reference):
    url = reference.url.replace("http", "ws", 1) + "/ws"
    sockets = [await connect(url) for _ in range(3)]
    try:
        await asyncio.sleep(0.2)  # the server registers a socket after the handshake
        async with httpx.AsyncClient(base_url=reference.url) as client:
            response = await client.post("/emit", content="<p>hallo</p>")
        assert response.text == "3"
        assert [await asyncio.wait_for(ws.recv(), 5) for ws in sockets] == ["<p>hallo</p>"] * 3
        assert sockets[0].protocol.extensions, "permessage-deflate, as the app's uvicorn negotiates it"
    finally:
        for ws in sockets:
            await ws.close()


def test_both_servers_get_the_transport_flags_of_the_apps_run_command(tmp_path):
    makefile = tmp_path / "Makefile"
    makefile.write_text(
        "run: migrate\n\t@echo hi\n\t$(BIN)/uvicorn app.main:create_app --factory --port $(PORT) --proxy-headers"
        " --ws websockets --ws-per-message-deflate false --ws-ping-interval=5\n\ntest:\n\tpytest --ws x\n"
    )
    assert transport_args(makefile) == [
        "--ws",
        "websockets",
        "--ws-per-message-deflate",
        "false",
        "--ws-ping-interval=5",
    ]
    flags = transport_args()
    for server in (AppServer(), ReferenceServer()):
        command = server.command()
        server.cleanup()
        assert command[len(command) - len(flags) :] == flags


def test_load_generator_counts_answers_frames_and_requests():
    app, reference = AppServer(), ReferenceServer()
    args = parse_args(["--spread", "1", "--wait", "20", "--idle", "0.5"])
    try:
        app.start()
        reference.start()
        asyncio.run(app.wait_ready())
        asyncio.run(reference.wait_ready())
        results = asyncio.run(run(app, reference, [Stage(phones=5, burst=5)], args))
    finally:
        for server in (app, reference):
            server.stop()
            server.cleanup()

    assert results.problems == []
    ((burst, ref_burst),) = results.bursts
    assert len(burst.sent) == 5 and len(burst.acked) == 5  # every answer acknowledged ...
    assert burst.missing_on_board == 0 and len(burst.latencies) == 5  # ... and found on the board
    assert sum(burst.statuses.values()) == 5  # one POST each (no retries needed at this size)
    assert results.lost == 0 and results.doubled == 0  # the JSON export holds each answer exactly once
    assert burst.board_bytes > 0 and burst.console_bytes > 0
    assert ref_burst.missing == 0 and len(ref_burst.latencies) == 5

    ((step, fanout),) = results.steps
    assert step.phones == 5 and step.missing == 0
    assert len(step.frame) == 5 and len(step.form) == 5  # every phone: the new prompt and the new step's form
    assert all(form >= frame for frame, form in zip(sorted(step.frame), sorted(step.form), strict=True))
    assert "Welke waarden" in step.frame_text  # the reference fans out the app's own step frame
    assert fanout.sockets == 5 and fanout.missing == 0 and len(fanout.latencies) == 5

    rows = {row.scenario: row for row in results.rows}
    assert rows["(e) first join: requests"].app >= 4  # join page, its static files, the join POST, the phone page
    assert "form usable p99" in table(results.rows)
