"""Built-in workshop blueprints (werkvormen): YAML files in this folder, validated when loaded."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator

from app.models.workshops import HELP_MAX, NOTES_MAX, PROMPT_MAX, TITLE_MAX, StepKind
from app.services.errors import DomainError
from app.services.kinds import get_kind
from app.services.text import BlockText, LineText

METHODS_DIR = Path(__file__).parent
MAX_STEPS = 50  # the longest agenda (app.services.steps uses it too)


class MethodStep(BaseModel):
    kind: StepKind = StepKind.open
    prompt: BlockText = Field(min_length=1, max_length=PROMPT_MAX)
    help_text: BlockText = Field(default="", max_length=HELP_MAX)
    facilitator_notes: BlockText = Field(default="", max_length=NOTES_MAX)
    # The kind's settings (poll options, scale statements, ...), checked by the kind itself.
    config: dict = Field(default_factory=dict, validate_default=True)

    @field_validator("config")
    @classmethod
    def _check_config(cls, config: dict, info: ValidationInfo) -> dict:
        try:
            return get_kind(info.data.get("kind", StepKind.open)).parse_config(config)
        except DomainError as error:
            raise ValueError(str(error)) from None


class Method(BaseModel):
    key: str = Field(pattern=r"^[a-z0-9-]+$")
    title: LineText = Field(min_length=1, max_length=TITLE_MAX)
    description: BlockText = ""
    steps: list[MethodStep] = Field(min_length=1, max_length=MAX_STEPS)


class MethodError(ValueError):
    pass


def load_method(path: Path) -> Method:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Method.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise MethodError(f"{path.name}: {exc}") from exc


@cache
def builtin_methods() -> dict[str, Method]:
    methods = [load_method(p) for p in sorted(METHODS_DIR.glob("*.yaml"))]
    return {m.key: m for m in methods}
