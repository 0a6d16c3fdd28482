"""The projected board: opened from the console, or on another computer via a one-time link."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, WebSocket
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection

from app.realtime.fanout import BOARD
from app.routes import live
from app.routes.deps import (
    BOARD_COOKIE_PREFIX,
    Db,
    Id,
    LoginRequired,
    cookie_options,
    csrf_protect,
    guarded_lookup,
    may_run,
    page,
    redirect,
)
from app.services import board_links
from app.services.rooms import load_room

router = APIRouter(dependencies=[Depends(csrf_protect)])
BOARD_COOKIE_AGE = 24 * 3600


def _serializer(connection: HTTPConnection) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(connection.app.state.settings.secret_key, salt="board-access")


def _board_cookie(workshop_id: int) -> str:
    return f"{BOARD_COOKIE_PREFIX}{workshop_id}"


def _has_board_cookie(connection: HTTPConnection, workshop_id: int) -> bool:
    value = connection.cookies.get(_board_cookie(workshop_id))
    if not value:
        return False
    try:
        return _serializer(connection).loads(value, max_age=BOARD_COOKIE_AGE) == workshop_id
    except BadSignature:
        return False


async def may_view(connection: HTTPConnection, workshop_id: int) -> bool:
    return _has_board_cookie(connection, workshop_id) or await may_run(connection, workshop_id)


@router.get("/b/{token}")
async def redeem_link(request: Request, token: str, db: Db) -> Response:
    """Exchange the one-time link for a cookie, then show the board at a URL without the secret."""
    token = token[:100]
    workshop_id = await guarded_lookup(
        request, "board link", token, lambda: board_links.redeem_board_link(db, token=token)
    )
    response = redirect(f"/board/{workshop_id}")
    response.set_cookie(
        _board_cookie(workshop_id),
        _serializer(request).dumps(workshop_id),
        max_age=BOARD_COOKIE_AGE,
        **cookie_options(request),
    )
    return response


@router.get("/board/{workshop_id}")
async def board(request: Request, workshop_id: Id, db: Db) -> Response:
    if not await may_view(request, workshop_id):
        raise LoginRequired()
    room = await load_room(db, workshop_id=workshop_id, people=False)
    if room is None:
        raise LoginRequired()
    return page(request, "board/board.html", room=room)


@router.websocket("/ws/board/{workshop_id}")
async def board_socket(websocket: WebSocket, workshop_id: Id) -> None:
    if not live.origin_allowed(websocket) or not await may_view(websocket, workshop_id):
        return await live.refuse(websocket)
    await live.serve(websocket, workshop_id=workshop_id, audience=BOARD)
