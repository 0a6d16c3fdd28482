"""Moderation in Chromium: on a moderated step a phone's note reaches the board only after the facilitator
approves it in the console; highlight and group show on the board; a removed participant's phone says so; axe-core
finds nothing on the console's moderation view and on the board with groups and highlights."""

from __future__ import annotations

import re

from tests.e2e.conftest import (
    PageProblems,
    assert_accessible,
    create_and_start_workshop,
    expect,
    goto_live,
    join,
    send_answer,
    set_up_facilitator,
)


def test_approve_highlight_group_and_remove(devices):
    problems = PageProblems()
    facilitator = devices()
    console = problems.watch(facilitator.new_page())
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    goto_live(console, f"/workshops/{workshop_id}")
    board = problems.watch(facilitator.new_page())
    goto_live(board, f"/board/{workshop_id}")

    answers = console.locator("#console-answers")
    toggle = answers.get_by_role("button", name="Bijdragen goedkeuren voordat het bord ze toont")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")

    phone = problems.watch(devices(phone=True).new_page())
    join(phone, f"/j/{code}", "Gemeente")
    send_answer(phone, "Eerlijke verdeling van de kosten")
    expect(phone.locator("#phone-mine")).to_contain_text("Wacht op goedkeuring van de begeleider")
    expect(answers).to_contain_text("Wachten op goedkeuring (1)")
    expect(board.locator("#board-answers")).to_contain_text("1 bijdrage wacht op goedkeuring")
    expect(board.locator("#board-answers")).not_to_contain_text("Eerlijke verdeling")

    answers.get_by_role("button", name=re.compile(r"^Goedkeuren\W+Eerlijke verdeling")).click()
    expect(board.locator("#board-answers")).to_contain_text("Eerlijke verdeling van de kosten")
    # The phone learns it too, without a reload: its own notes are fetched again after the facilitator's change.
    expect(phone.locator("#phone-mine")).not_to_contain_text("Wacht op goedkeuring van de begeleider")

    # Highlight and group the note; the board shows both, the highlight also in words.
    answers.locator("summary", has_text="Bijdragen op het bord modereren").click()
    answers.get_by_role("button", name=re.compile(r"^Uitlichten\W+Eerlijke verdeling")).click()
    expect(board.locator("#board-answers .note.highlighted")).to_contain_text("Uitgelicht")
    answers.get_by_text("Verbeteren of groeperen").first.click()
    answers.get_by_label("Groep", exact=True).first.fill("Geld")
    answers.get_by_role("button", name="Groep opslaan").first.click()
    expect(board.locator("#board-answers .cluster-name")).to_contain_text("Geld")
    assert_accessible(board)
    expect(answers.locator("#mod-shown-" + answers.get_attribute("data-state").split(":")[0])).to_have_attribute(
        "open", ""
    )
    assert_accessible(console)

    # Remove the participant from the presence card (after a confirmation): the phone says so and its note leaves
    # the board.
    console.locator("#console-people summary").click()
    asked = []
    console.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    console.get_by_role("button", name=re.compile(r"^Uit de sessie halen")).click()
    expect(phone.locator("#connection")).to_have_text("Je bent door de begeleider uit deze sessie gehaald.")
    assert len(asked) == 1 and "uit de sessie halen?" in asked[0]
    expect(phone.locator("#phone-mine")).to_have_count(0)
    expect(board.locator("#board-answers")).not_to_contain_text("Eerlijke verdeling")
    assert_accessible(phone)
    assert not problems.items, "\n".join(problems.items)
