"""Approval before final in a real browser: two representatives (two browser contexts) give akkoord for both
parties, the facilitator makes the report final, and a phone downloads the PDF; axe-core on the review page."""

from __future__ import annotations

import re

from tests.e2e.conftest import assert_accessible, create_and_start_workshop, expect, join, set_up_facilitator


def test_approve_as_both_parties_make_final_and_download(devices):
    facilitator = devices()
    console = facilitator.new_page()
    console.on("dialog", lambda dialog: dialog.accept())
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    phone = devices(phone=True).new_page()
    join(phone, f"/j/{code}", "Gemeente")

    report = console
    report.goto(f"/workshops/{workshop_id}/report")
    report.get_by_label("Deelnemers mogen het definitieve verslag downloaden").check()
    report.get_by_role("button", name="Instellingen opslaan").click()
    report.get_by_role("button", name="Link voor akkoord maken").click()
    link = report.locator("#review-link").inner_text()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/r/[\w-]+", link)

    for party, name in (("Gemeente", "Gert"), ("Initiatief", "Ineke")):
        reviewer = devices().new_page()
        reviewer.goto(link)
        expect(reviewer.get_by_role("heading", name="Verslag beoordelen")).to_be_visible()
        if party == "Gemeente":
            assert_accessible(reviewer)
        reviewer.get_by_role("radio", name=party).check()
        reviewer.get_by_label("Uw naam").fill(name)
        reviewer.get_by_role("button", name="Akkoord", exact=True).click()
        expect(reviewer.locator("#review-form")).to_contain_text("uw akkoord is ontvangen")
        assert_accessible(reviewer)

    report.goto(f"/workshops/{workshop_id}")
    report.get_by_role("button", name="Sessie afsluiten").click()
    expect(report.locator("#console-status")).to_contain_text(re.compile("afgesloten", re.I))
    report.goto(f"/workshops/{workshop_id}/report")
    expect(report.locator("#report-review")).to_contain_text("akkoord door Gert")
    expect(report.locator("#report-review")).to_contain_text("akkoord door Ineke")
    report.get_by_role("button", name="Definitief maken").click()
    expect(report.locator("#report-review")).to_contain_text("definitief gemaakt op")

    phone.goto(f"/p/{workshop_id}")
    download_link = phone.get_by_role("link", name="Download het verslag (PDF)")
    expect(download_link).to_be_visible()
    with phone.expect_download() as info:
        download_link.click()
    with open(info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    final = devices().new_page()
    final.goto(link)
    expect(final.locator("#review-form")).to_contain_text("Dit verslag is definitief")
    assert_accessible(final)
