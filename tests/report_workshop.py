"""A filled workshop for the report tests and bench/report_exports.py: one step of every kind, two parties,
answers on every step, and every moderation case the report must handle (hidden, not approved, merged, removed
participant, entered on someone's behalf). Built through the services, like a real session."""

from __future__ import annotations

import random
from datetime import date

from app.models import Answer, AnswerStatus, Participant, Workshop
from app.models.base import utcnow
from app.services import accounts, agreements, answers, participants, steps, workshops

OPEN_PROMPT = "Wat is voor jullie de kern van een goede samenwerking?"
CATEGORIES = ["Kansen", "Zorgen"]
POLL_OPTIONS = ["Werkafspraak", "Convenant", "Intentieovereenkomst"]
STATEMENTS = ["Er is meerwaarde in samenwerken", "Er is voldoende commitment", "We vertrouwen elkaar"]
DOT_ITEMS = ["Warmtenet", "Isolatie", "Zonnedaken", "Participatie", "Financiering"]
MATRIX_ITEMS = ["Wijkaanpak", "Energiecoach", "Collectieve inkoop"]
TASKS = ["Communicatie met bewoners", "Subsidieaanvraag", "Technische haalbaarheid"]
AGREEMENT_TEXTS = ["We overleggen elke maand over de voortgang", "De gemeente deelt de warmtevisie voor 1 maart"]
PHRASES = [
    "We willen samen optrekken en elkaar op tijd informeren over besluiten die de wijk raken.",
    "Duidelijke rollen: wie neemt welk besluit, en wanneer horen de bewoners ervan?",
    "Vertrouwen groeit als we afspraken nakomen en fouten eerlijk bespreken.",
    "De snelheid van de gemeente past niet altijd bij het tempo van vrijwilligers.",
    "Geld voor procesbegeleiding is nodig, anders blijft het bij goede bedoelingen.",
    '=HYPERLINK("http://example.com","klik")',
    "+31 6 12345678 is het nummer van de energiecoach",
]


class Form(dict):
    """A submitted form: a value or a list of values per field."""

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        value = super().get(key, default)
        return value[0] if isinstance(value, list) else value

    def getlist(self, key):  # type: ignore[no-untyped-def]
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


STEPS = [
    ("open", OPEN_PROMPT, Form(categories="\n".join(CATEGORIES))),
    ("open", "Welke woorden horen bij onze wijk?", Form(display="wordcloud")),
    ("poll", "Welke vorm past bij onze afspraken?", Form(options="\n".join(POLL_OPTIONS))),
    ("scale", "Hoe staat de samenwerking ervoor?", Form(statements="\n".join(STATEMENTS), scale="agree5")),
    ("dots", "Waar beginnen we mee?", Form(items="\n".join(DOT_ITEMS), budget="5")),
    ("matrix", "Impact en haalbaarheid", Form(items="\n".join(MATRIX_ITEMS), x_label="Impact", y_label="Haalbaar")),
    ("roles", "Wie doet wat?", Form(tasks="\n".join(TASKS))),
    ("agreements", "Welke afspraken maken we?", Form()),
]


async def build_report_workshop(db, *, per_party: int = 3, notes_each: int = 2, seed: int = 7) -> Workshop:  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    owner = await accounts.create_facilitator(db, email=f"verslag{seed}@example.nl", name="Anna", password="x" * 16)
    title = "Warmtenet <Noord> & Zuid"
    w = await workshops.create_workshop(db, owner_id=owner.id, title=title, held_on=date(2026, 3, 9))
    for kind, prompt, fields in STEPS:
        await steps.add_step(db, workshop=w, prompt=prompt, kind=kind, fields=fields)
    await workshops.start_workshop(db, workshop=w)
    parties = await workshops.list_parties(db, workshop_id=w.id)
    agenda = await workshops.list_steps(db, workshop_id=w.id)
    people = []
    for party in parties:
        for n in range(per_party):
            p, _token, _events = await participants.join(
                db, workshop=w, party_id=party.id, display_name=f"{party.name} {n + 1}"
            )
            people.append(p)
    for number, text in enumerate(AGREEMENT_TEXTS):
        await agreements.draft_agreement(
            db,
            workshop=w,
            step_id=agenda[7].id,
            text=text,
            parties=parties,
            owner_party_id=parties[number % 2].id,
            due_on=date(2026, 4, 1),
        )
    drafted = await agreements.consent_for_step(db, step_id=agenda[7].id, parties=parties)
    key = 0
    for p in people:
        for n in range(notes_each):
            key += 1
            text = PHRASES[(key + n) % len(PHRASES)]
            await answers.add_answer(
                db,
                participant=p,
                step_id=agenda[0].id,
                text=text,
                idempotency_key=f"k{key}",
                category=rnd.randrange(len(CATEGORIES)),
            )
            key += 1
            await answers.add_answer(
                db, participant=p, step_id=agenda[1].id, text=rnd.choice(DOT_ITEMS), idempotency_key=f"k{key}"
            )
        structured = [
            (agenda[2], Form(choice=str(rnd.randrange(len(POLL_OPTIONS))))),
            (agenda[3], Form({f"rating-{i}": str(rnd.randint(1, 5)) for i in range(len(STATEMENTS))})),
            (agenda[4], Form({"dots-0": "2", "dots-1": "1", f"dots-{rnd.randrange(2, 5)}": "2"})),
            (agenda[5], Form({k: str(rnd.randint(1, 5)) for i in range(3) for k in (f"x-{i}", f"y-{i}")})),
            (agenda[6], Form({f"role-{t}-{parties[t % 2].id}": "lead" for t in range(len(TASKS))})),
        ]
        for step, form in structured:
            key += 1
            await answers.submit_response(db, participant=p, step_id=step.id, fields=form, idempotency_key=f"k{key}")
        for item in drafted:
            await agreements.respond(db, participant=p, agreement_id=item.agreement.id, level="agree")
    await _moderate(db, w, agenda[0].id, people)
    return w


async def _moderate(db, w: Workshop, step_id: int, people: list[Participant]) -> None:  # type: ignore[no-untyped-def]
    """Every case the report must handle, set in the database as the moderation controls would."""
    from sqlalchemy import select

    notes = list((await db.scalars(select(Answer).where(Answer.step_id == step_id).order_by(Answer.id))).all())
    notes[0].text = "Namens iemand zonder telefoon"  # the first participant's notes are entered on their behalf
    notes[2].text, notes[2].status = "Verborgen opmerking", AnswerStatus.hidden
    notes[3].text, notes[3].status = "Wacht op goedkeuring", AnswerStatus.pending
    notes[4].text, notes[4].merged_into_id = "Dubbele opmerking", notes[5].id
    notes[-1].text = "Opmerking van een verwijderde deelnemer"
    people[-1].removed_at = utcnow()  # a participant of the second party, removed
    proxy = people[0]
    proxy.on_behalf = True  # the first participant was entered by the facilitator on someone's behalf
    proxy.token_hash = "proxy-" + proxy.token_hash[:50]
    await db.commit()
