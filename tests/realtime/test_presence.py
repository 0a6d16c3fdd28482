"""Presence, live: how many joined and how many answered the current step, per party, on board and console."""

import re

from tests.realtime.conftest import receive_until


def presence_of(frame: str, region: str) -> str:
    return re.search(rf'<[^>]+id="{region}".*?</(footer|section|div)>', frame, re.S).group(0)


async def test_joined_and_answered_per_party(room):
    board = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    console = await room.facilitator.websocket(f"/ws/console/{room.workshop_id}")
    await board.recv()
    await console.recv()
    gemeente = await room.phone("Gemeente")
    await room.phone("Gemeente")
    initiatief = await room.phone("Initiatief")
    await room.answer(gemeente, "Eerste")
    await room.answer(gemeente, "Tweede")  # the same participant: still one who answered
    await room.answer(initiatief, "Derde")
    frame = await receive_until(board, "Derde")
    while "Initiatief: <strong>1 van 1" not in frame:
        frame = await receive_until(board, 'id="board-presence"')
    footer = presence_of(frame, "board-presence")
    assert "Gemeente: <strong>2</strong>" in footer  # joined
    assert "Gemeente: <strong>1 van 2</strong>" in footer and "Initiatief: <strong>1 van 1</strong>" in footer
    console_frame = await receive_until(console, "Derde")
    while "console-presence" not in console_frame:
        console_frame = await receive_until(console, 'id="console-presence"')
    rows = re.findall(
        r'<th scope="row">(\w+)</th><td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        presence_of(console_frame, "console-presence"),
    )
    assert rows == [("Gemeente", "2", "1"), ("Initiatief", "1", "1")]
    await board.close()
    await console.close()


async def test_a_join_alone_keeps_the_consoles_list_of_people(room):
    """A join sends the presence counters and one row for the console's list of everyone who joined (from which
    the facilitator removes someone), never the whole list."""
    console = await room.facilitator.websocket(f"/ws/console/{room.workshop_id}")
    await console.recv()
    await room.phone("Gemeente", "Greet")
    frame = await receive_until(console, "Greet")
    assert 'hx-swap-oob="beforeend:#console-people-list"' in frame
    assert '<span id="console-people-count">1</span>' in frame
    assert 'Gemeente</th><td class="num">1</td>' in presence_of(frame, "console-presence")
    await room.phone("Initiatief")
    frame = await receive_until(console, "Deelnemer 2")
    assert "Greet" not in frame  # the rows already there are not sent again
    assert '<span id="console-people-count">2</span>' in frame
    await console.close()
