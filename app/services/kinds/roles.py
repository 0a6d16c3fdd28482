"""Role division (rolverdeling): tasks x parties. For every task, each participant says which role every party
should have (lead / contributor / informed / not involved). The result shows, per task and per role-holder, how
each respondent party sees that role, and whether the parties agree, differ, or have not said enough yet.

Response value: {"roles": {"<task index>": {"<party id>": "lead" | "contributor" | "informed" | "none"}}}.

Which party ids belong to the workshop: `parse_response` only gets the config and the form, and the parties are
not part of the config, so it checks the shape (known task, integer party id, known role, at most MAX_HOLDERS
parties). The workshop's parties are checked where they are known: `aggregate` counts only roles given to the
workshop's own parties and ignores any other id. That keeps the kind's interface (and the shared answer service)
unchanged, and a forged id can never show up on the board or in a table; it only sits unused in the stored value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel, Field, field_validator

from app.i18n import gettext as _
from app.models import Party
from app.services.errors import N_, Invalid
from app.services.kinds.base import FormLike, Kind, ResponseView, ValueForm, clean_items, lines

TASK_MAX = 200
MAX_TASKS = 15
MAX_HOLDERS = 8  # the most parties a workshop can have (app.services.workshops.MAX_PARTIES)

LEAD = "lead"
CONTRIBUTOR = "contributor"
INFORMED = "informed"
NONE = "none"
ROLE_NAMES: dict[str, str] = {  # stored value -> msgid
    LEAD: N_("lead"),
    CONTRIBUTOR: N_("contributor"),
    INFORMED: N_("informed"),
    NONE: N_("not involved"),
}

AGREE = "agree"
CONFLICT = "conflict"
OPEN = "open"
VERDICTS: dict[str, str] = {  # verdict -> msgid of its badge text
    AGREE: N_("in agreement"),
    CONFLICT: N_("difference"),
    OPEN: N_("still open"),
}
VERDICT_SYMBOLS = {AGREE: "\u2713", CONFLICT: "\u2260", OPEN: "\u2026"}  # ✓ ≠ …

_FIELD = re.compile(r"^role-(\d{1,3})-(\d{1,12})$")


class KeyedForm(FormLike, Protocol):
    """Role selects are named after the parties, which the kind does not know: it needs the form's field names."""

    def keys(self) -> Iterable[str]: ...


class RolesConfig(BaseModel):
    tasks: list[str] = Field(min_length=1, max_length=MAX_TASKS)

    @field_validator("tasks")
    @classmethod
    def _clean(cls, tasks: list[str]) -> list[str]:
        return clean_items(tasks, max_length=TASK_MAX, what="task", plural="tasks")


def role_label(role: str | None) -> str:
    """A role in the current language; '–' for none given."""
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else "\u2013"


def most_common(distribution: dict[str, int]) -> str | None:
    """The role given most often; None when nobody gave one or when two roles tie (the party is split)."""
    best = max(distribution.values(), default=0)
    if not best:
        return None
    top = [role for role, n in distribution.items() if n == best]
    return top[0] if len(top) == 1 else None


@dataclass(frozen=True, slots=True)
class RoleView:
    """How one respondent party sees one party's role in one task."""

    respondent: Party
    distribution: dict[str, int]  # role -> how many of the respondent party's participants gave it

    @property
    def count(self) -> int:
        return sum(self.distribution.values())

    @property
    def top(self) -> str | None:
        return most_common(self.distribution)

    @property
    def split(self) -> bool:
        return self.count > 0 and self.top is None


@dataclass(frozen=True, slots=True)
class HolderResult:
    """One party as role-holder in one task: the view of every respondent party."""

    holder: Party
    views: list[RoleView]  # one per party of the workshop, in the workshop's order

    @property
    def differs(self) -> bool:
        return len({v.top for v in self.views if v.top is not None}) > 1


@dataclass(frozen=True, slots=True)
class TaskResult:
    index: int
    task: str
    holders: list[HolderResult]
    two_leads: list[tuple[Party, list[Party]]]  # respondent party -> the parties it sees as lead, when 2 or more
    verdict: str  # AGREE | CONFLICT | OPEN

    @property
    def verdict_text(self) -> str:
        return _(VERDICTS[self.verdict])

    @property
    def verdict_symbol(self) -> str:
        return VERDICT_SYMBOLS[self.verdict]


@dataclass(frozen=True, slots=True)
class RolesResult:
    parties: list[Party]
    tasks: list[TaskResult]

    @property
    def conflicts(self) -> list[TaskResult]:
        return [t for t in self.tasks if t.verdict == CONFLICT]


def _verdict(holders: list[HolderResult], two_leads: list) -> str:
    """conflict: some role-holder is seen differently by two parties, or one party sees two leads;
    agree: every role-holder has a clear role from at least two parties, and they match; open: otherwise."""
    if two_leads or any(h.differs for h in holders):
        return CONFLICT
    if holders and all(sum(v.top is not None for v in h.views) >= 2 for h in holders):
        return AGREE
    return OPEN


def view_text(view: RoleView) -> str:
    """One respondent party's view in words: its most common role, 'split' on a tie, '–' when it said nothing."""
    if view.split:
        return _("split") + ": " + ", ".join(f"{role_label(r)} {n}" for r, n in view.distribution.items() if n)
    return role_label(view.top)


class RolesKind(Kind):
    name = "roles"
    label = N_("Role division")
    config_model = RolesConfig

    def config_from_form(self, form: FormLike) -> dict:
        tasks = lines(form.get("tasks"))
        if not 1 <= len(tasks) <= MAX_TASKS:
            raise Invalid(N_("Give between 1 and %(max)d tasks, one per line."), max=MAX_TASKS)
        if any(len(t) > TASK_MAX for t in tasks):
            raise Invalid(N_("A task can have at most %(max)d characters."), max=TASK_MAX)
        if len(set(tasks)) != len(tasks):
            raise Invalid(N_("Every task may appear only once."))
        return self.parse_config({"tasks": tasks})

    def parse_response(self, config: dict, form: FormLike) -> dict:
        keyed: KeyedForm = form  # type: ignore[assignment]  (starlette's FormData and dicts have keys())
        roles: dict[str, dict[str, str]] = {}
        holders: set[int] = set()
        for key in dict.fromkeys(keyed.keys()):
            if not str(key).startswith("role-"):
                continue
            match = _FIELD.match(str(key))
            if match is None:
                raise Invalid(N_("That task is not part of this step."))
            task, party = int(match.group(1)), int(match.group(2))
            if not 0 <= task < len(config["tasks"]):
                raise Invalid(N_("That task is not part of this step."))
            values = [str(v).strip() for v in keyed.getlist(key)]
            chosen = {v for v in values if v}
            if len(chosen) > 1:
                raise Invalid(N_("Choose one role per party and task."))
            if not chosen:
                continue  # the empty option: no role given
            role = chosen.pop()
            if role not in ROLE_NAMES:
                raise Invalid(N_("That is not one of the roles."))
            holders.add(party)
            if len(holders) > MAX_HOLDERS:
                raise Invalid(N_("That party is not part of this workshop."))
            task_roles = roles.setdefault(str(task), {})
            if str(party) in task_roles:  # "role-0-1" and "role-0-01": the same party twice
                raise Invalid(N_("Choose one role per party and task."))
            task_roles[str(party)] = role
        if not roles:
            raise Invalid(N_("Choose a role for at least one party."))
        ordered = {t: dict(sorted(roles[t].items(), key=lambda item: int(item[0]))) for t in sorted(roles, key=int)}
        return {"roles": ordered}

    def response_form(self, config: dict, value: dict) -> FormLike:
        roles = value.get("roles")
        if type(roles) is not dict or not all(
            type(per_task) is dict and all(type(role) is str for role in per_task.values())
            for per_task in roles.values()
        ):
            raise Invalid(N_("A roles response names a role per task and party."))
        return ValueForm(
            {f"role-{task}-{party}": role for task, per_task in roles.items() for party, role in per_task.items()}
        )

    def describe_response(self, config: dict, value: dict, *, party_names: Mapping[int, str] | None = None) -> str:
        """Per task the role each party gets, the parties named (or numbered when no names are given)."""
        names = party_names or {}
        party_word = _("party")
        parts = []
        given = value.get("roles", {})
        for index, task in enumerate(config["tasks"]):
            choices = given.get(str(index), {})
            if not choices:
                continue
            roles = ", ".join(
                f"{names.get(int(p)) or f'{party_word} {p}'}: {role_label(r)}"
                for p, r in choices.items()
                if r in ROLE_NAMES
            )
            parts.append(f"{task}: {roles}")
        return "; ".join(parts)

    def summary_table(self, result: RolesResult) -> tuple[list[str], list[list[str]]]:
        according = _("according to %(party)s")
        header = [_("Task"), _("Role of"), *(according % {"party": p.name} for p in result.parties), _("Verdict")]
        rows = []
        for task in result.tasks:
            for holder in task.holders:
                rows.append(
                    [
                        task.task,
                        holder.holder.name,
                        *(view_text(v) for v in holder.views),
                        task.verdict_text,
                    ]
                )
        return header, rows

    def aggregate(self, config: dict, parties: list[Party], responses: list[ResponseView]) -> RolesResult:
        by_party = {p.id: [r for r in responses if r.party_id == p.id] for p in parties}
        tasks = []
        for index, task in enumerate(config["tasks"]):
            holders = []
            for holder in parties:
                views = []
                for respondent in parties:
                    distribution = dict.fromkeys(ROLE_NAMES, 0)
                    for response in by_party[respondent.id]:
                        role = response.value.get("roles", {}).get(str(index), {}).get(str(holder.id))
                        if role in distribution:
                            distribution[role] += 1
                    views.append(RoleView(respondent=respondent, distribution=distribution))
                holders.append(HolderResult(holder=holder, views=views))
            two_leads = []
            for position, respondent in enumerate(parties):
                leads = [h.holder for h in holders if h.views[position].top == LEAD]
                if len(leads) >= 2:
                    two_leads.append((respondent, leads))
            tasks.append(
                TaskResult(
                    index=index, task=task, holders=holders, two_leads=two_leads, verdict=_verdict(holders, two_leads)
                )
            )
        return RolesResult(parties=list(parties), tasks=tasks)


ROLES = RolesKind()
