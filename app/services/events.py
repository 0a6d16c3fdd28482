"""Events a write causes. They are published after the commit and turned into fragments per audience."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    answers = "answers"  # answers of a step changed (moderation, removals): their lists are rendered anew
    answer = "answer"  # one answer (answer_id) added, changed or deleted by its author: sent as a delta
    step = "step"  # current step changed, or the current step was opened/closed/edited
    agenda = "agenda"  # steps added, edited, moved or removed
    presence = "presence"  # who is in the workshop changed (removed, let back in): presence rendered anew
    joined = "joined"  # one participant (participant_id) joined: counters and one row of the people list
    workshop = "workshop"  # workshop started, closed or its settings/parties changed
    timer = "timer"  # the current step's timer started, paused, was extended or ran out
    removed = "removed"  # the facilitator removed a participant (participant_id): their phone is told
    yours = "yours"  # the facilitator changed a participant's own answers (participant_id): their phone refetches


@dataclass(frozen=True, slots=True)
class Event:
    workshop_id: int
    kind: EventKind
    step_id: int | None = None
    participant_id: int | None = None
    answer_id: int | None = None

    def to_dict(self) -> dict:
        data = {"workshop_id": self.workshop_id, "kind": self.kind.value, "step_id": self.step_id}
        if self.participant_id is not None:
            data["participant_id"] = self.participant_id
        if self.answer_id is not None:
            data["answer_id"] = self.answer_id
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        def number(key: str) -> int | None:
            value = data.get(key)
            return int(value) if value is not None else None

        return cls(
            workshop_id=int(data["workshop_id"]),
            kind=EventKind(data["kind"]),
            step_id=number("step_id"),
            participant_id=number("participant_id"),
            answer_id=number("answer_id"),
        )
