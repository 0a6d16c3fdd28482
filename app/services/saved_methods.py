"""A facilitator's own methods (werkvormen): saved from a workshop's agenda, duplicated, imported, edited.

They are stored as validated method data; editing goes through the same YAML reader as importing, so a broken
edit gets the same message naming the line, and nothing is saved.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.methods import Method, builtin_methods
from app.methods.yaml_io import method_from_agenda, method_to_yaml, parse_method_yaml
from app.models import SavedMethod, Workshop
from app.models.base import parse_id, utcnow
from app.services.errors import N_, Invalid, NotFound
from app.services.workshops import list_steps

OWN_KEY = "eigen-werkvorm"


def as_method(saved: SavedMethod) -> Method:
    return Method.model_validate({**saved.data, "key": OWN_KEY})


async def list_own(db: AsyncSession, *, owner_id: int) -> list[SavedMethod]:
    rows = await db.scalars(select(SavedMethod).where(SavedMethod.owner_id == owner_id).order_by(SavedMethod.title))
    return list(rows.all())


async def get_own(db: AsyncSession, *, owner_id: int, method_id: int) -> SavedMethod:
    saved = await db.get(SavedMethod, method_id)
    if saved is None or saved.owner_id != owner_id:
        raise NotFound(N_("This method does not exist or is not yours."))
    return saved


async def _save(db: AsyncSession, *, owner_id: int, method: Method) -> SavedMethod:
    data = method.model_dump(mode="json", exclude={"key"})
    saved = SavedMethod(owner_id=owner_id, title=method.title, data=data)
    db.add(saved)
    await db.commit()
    return saved


async def save_from_workshop(db: AsyncSession, *, owner_id: int, workshop: Workshop) -> SavedMethod:
    agenda = await list_steps(db, workshop_id=workshop.id)
    if not agenda:
        raise Invalid(N_("The agenda is empty. Add a step first."))
    return await _save(db, owner_id=owner_id, method=method_from_agenda(workshop.title, "", agenda))


async def duplicate(db: AsyncSession, *, owner_id: int, source: str) -> SavedMethod:
    """`source` is a built-in method's key or "own-<id>" for one of the facilitator's own methods."""
    if source.startswith("own-") and parse_id(source[4:]) is not None:
        method = as_method(await get_own(db, owner_id=owner_id, method_id=int(source[4:])))
    elif source in builtin_methods():
        method = builtin_methods()[source]
    else:
        raise NotFound(N_("This method does not exist or is not yours."))
    copy = method.model_copy(update={"title": f"{method.title} (kopie)"[:200]})
    return await _save(db, owner_id=owner_id, method=copy)


async def import_yaml(db: AsyncSession, *, owner_id: int, text: str) -> SavedMethod:
    """Raises MethodFileError (with the line) for a file that cannot be used; nothing is saved then."""
    return await _save(db, owner_id=owner_id, method=parse_method_yaml(text))


async def update_from_yaml(db: AsyncSession, *, owner_id: int, method_id: int, text: str) -> SavedMethod:
    saved = await get_own(db, owner_id=owner_id, method_id=method_id)
    method = parse_method_yaml(text)  # raises before anything changes
    saved.title = method.title
    saved.data = method.model_dump(mode="json", exclude={"key"})
    saved.updated_at = utcnow()
    await db.commit()
    return saved


async def delete_own(db: AsyncSession, *, owner_id: int, method_id: int) -> None:
    saved = await get_own(db, owner_id=owner_id, method_id=method_id)
    await db.delete(saved)
    await db.commit()


def to_yaml(saved: SavedMethod) -> str:
    return method_to_yaml(as_method(saved))


async def resolve(db: AsyncSession, *, owner_id: int, choice: str) -> Method | None:
    """The method a new workshop starts from: "" (empty agenda), a built-in key, or "own-<id>"."""
    if not choice:
        return None
    if choice.startswith("own-"):
        method_id = parse_id(choice[4:])
        if method_id is None:
            raise NotFound(N_("This method does not exist or is not yours."))
        return as_method(await get_own(db, owner_id=owner_id, method_id=method_id))
    method = builtin_methods().get(choice)
    if method is None:
        raise Invalid(N_("Unknown method."))
    return method
