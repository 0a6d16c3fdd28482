"""Methods as YAML files: export a workshop's agenda, import a file with messages that name the line."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from app.methods import Method, MethodStep
from app.services import documents

MAX_YAML_BYTES = 200_000


class MethodFileError(ValueError):
    """A method file that cannot be used: `line` (1-based, when known) and a readable `problem`."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {problem}" if line else problem)
        self.problem = problem
        self.line = line


def method_to_yaml(method: Method) -> str:
    data = method.model_dump(mode="json")
    for step in data["steps"]:
        for empty in [k for k, v in step.items() if v in ("", {}, None)]:
            del step[empty]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def parse_method_yaml(text: str) -> Method:
    """Read and validate a method file. Nothing is created here: the caller uses the returned Method."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise MethodFileError(f"the file is larger than {MAX_YAML_BYTES // 1000} kB")
    try:
        _check_structure(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise MethodFileError(f"not valid YAML ({problem})", mark.line + 1 if mark else None) from None
    except MethodFileError:
        raise
    except ValueError:  # an integer of thousands of digits: Python refuses to convert it
        raise MethodFileError("a number in the file is too large") from None
    problem = documents.first_bad_value(data)
    if problem:
        raise MethodFileError(problem)
    if not isinstance(data, dict):
        raise MethodFileError("the file must describe a method: a title and a list of steps", 1)
    data.setdefault("key", "eigen-werkvorm")
    try:
        return Method.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise MethodFileError(f"{where}: {message}", _line_of(text, first["loc"])) from None


def _check_structure(text: str) -> None:
    """Before anything is built from the file: no nesting deeper than documents.MAX_DEPTH (PyYAML builds nested
    nodes recursively) and no anchors or aliases (a few lines could otherwise stand for millions of values).
    Reading the events is not recursive."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise MethodFileError("anchors and aliases (& and *) are not allowed in a method file", line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > documents.MAX_DEPTH:
                raise MethodFileError(f"lists and mappings are nested more than {documents.MAX_DEPTH} deep", line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the YAML node at a validation error's location (the deepest node that exists)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node else None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
            if child is None:  # a missing field: point at the mapping that lacks it
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def method_from_agenda(title: str, description: str, steps: list[Any]) -> Method:
    return Method(
        key="eigen-werkvorm",
        title=title,
        description=description,
        steps=[
            MethodStep(
                kind=s.kind,
                prompt=s.prompt,
                help_text=s.help_text,
                facilitator_notes=s.facilitator_notes,
                config=s.config,
            )
            for s in steps
        ],
    )
