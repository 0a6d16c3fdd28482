"""The methods pages in a real browser: duplicate a built-in method, edit it with a mistake (the message names
the line), fix it; axe-core on the list and the edit page."""

from __future__ import annotations

import re

from tests.e2e.conftest import assert_accessible, expect, set_up_facilitator


def test_duplicate_and_edit_a_method(devices):
    page = devices().new_page()
    set_up_facilitator(page)
    page.get_by_role("link", name="Werkvormen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Dupliceren om te bewerken Startgesprek").click()
    page.wait_for_url(re.compile(r"/methods/\d+/edit$"))
    editor = page.get_by_label("Werkvorm (YAML)")
    text = editor.input_value()
    editor.fill(text.replace("kind: poll", "kind: peiling"))
    page.get_by_role("button", name="Werkvorm opslaan").click()
    expect(page.locator("#method-error")).to_contain_text(re.compile(r"Regel \d+"))
    assert "kind: peiling" in page.get_by_label("Werkvorm (YAML)").input_value()  # nothing typed is lost
    assert_accessible(page)
    page.get_by_label("Werkvorm (YAML)").fill(text.replace("Startgesprek (kopie)", "Ons startgesprek"))
    page.get_by_role("button", name="Werkvorm opslaan").click()
    page.wait_for_url(re.compile(r"/methods$"))
    expect(page.get_by_role("region", name="Je eigen werkvormen")).to_contain_text("Ons startgesprek")
