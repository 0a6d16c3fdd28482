"""Agreements step: the facilitator drafts agreements live, participants give consent per agreement.

The agreements and the consent are their own records (services/agreements.py), not answers: this kind takes
neither notes nor a single response.
"""

from __future__ import annotations

from app.i18n import gettext as _
from app.services.errors import N_
from app.services.kinds.base import Kind


class AgreementsKind(Kind):
    name = "agreements"
    label = N_("Agreements")
    structured = False
    takes_notes = False

    def summary_table(self, result: list) -> tuple[list[str], list[list[str]]]:
        """`result` is services.agreements.consent_for_step(...): one row per agreement."""
        from app.services.agreements import LEVEL_LABELS, STATUS_LABELS, TYPE_LABELS

        parties = [party.name for party, _counts in result[0].per_party] if result else []
        header = [_("Agreement"), _("Type"), _("Owner"), _("Due"), _("Status"), *parties, _("Objections")]
        rows = []
        for item in result:
            a = item.agreement
            consent = [
                ", ".join(f"{_(LEVEL_LABELS[level])} {n}" for level, n in counts.items() if n) or "\u2013"
                for _party, counts in item.per_party
            ]
            objections = "; ".join(f"{o.party.name}: {o.reason}" for o in item.objections)
            rows.append(
                [
                    a.text,
                    _(TYPE_LABELS.get(a.type, a.type)),
                    item.owner.name if item.owner else "",
                    a.due_on.isoformat() if a.due_on else "",
                    _(STATUS_LABELS.get(a.status, a.status)),
                    *consent,
                    objections,
                ]
            )
        return header, rows


AGREEMENTS = AgreementsKind()
