"""Events a write causes. They are published after the commit and turned into fragments per audience."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    answers = "answers"  # answers of a step changed
    step = "step"  # current step changed, or the current step was opened/closed/edited
    agenda = "agenda"  # steps added, edited, moved or removed
    presence = "presence"  # a participant joined
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

    def to_dict(self) -> dict:
        data = {"workshop_id": self.workshop_id, "kind": self.kind.value, "step_id": self.step_id}
        if self.participant_id is not None:
            data["participant_id"] = self.participant_id
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        step_id = data.get("step_id")
        participant_id = data.get("participant_id")
        return cls(
            workshop_id=int(data["workshop_id"]),
            kind=EventKind(data["kind"]),
            step_id=int(step_id) if step_id is not None else None,
            participant_id=int(participant_id) if participant_id is not None else None,
        )
