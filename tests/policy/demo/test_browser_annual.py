"""The annual report in a real Chromium: a member of the public reads the published demo report, its
figures as tables and charts with text alternatives, the easy read summary, and downloads the spreadsheet;
host staff record the last copy as sent on the page, and a wrong date is refused with a message."""

from datetime import date

import pytest

from links.policy.demo import annual

pytestmark = pytest.mark.browser


def _url(functional_portal):
    start, _end = annual.year_of_demo()
    return f"{functional_portal.absolute_url()}/{annual.report_id(start)}"


def test_public_reads_the_report_its_charts_and_the_easy_read(functional_portal, page):
    url = _url(functional_portal)
    page.goto(url)
    content = page.locator("#content").inner_text()
    assert "What we did in figures" in content and "£148,788.75" in content
    charts = page.locator("svg[role='img']")
    assert charts.count() >= 5
    name = charts.first.get_attribute("aria-labelledby").split()[1]
    assert page.locator(f"[id='{name}']").text_content()  # each chart has its text alternative
    with page.expect_download() as download_info:
        page.get_by_role("link", name="The figures as a spreadsheet (CSV)").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read().decode("utf-8-sig").startswith("Part,Figure,Item,Value")
    page.get_by_role("link", name="Easy read summary").click()
    assert "We visited" in page.locator("#content").inner_text()


def test_staff_record_the_last_copy(functional_portal, page, log_in):
    url = _url(functional_portal)
    log_in(page, functional_portal.absolute_url(), "staff")
    page.goto(url)
    form = page.locator("form[action$='@@record-copy']")
    form.get_by_label("Sent to").select_option(annual.UNSENT)
    form.get_by_label("Sent on").fill("2020-01-01")
    form.get_by_role("button", name="Record as sent").click()
    assert "before the report was published" in page.locator("body").inner_text()
    form = page.locator("form[action$='@@record-copy']")
    form.get_by_label("Sent to").select_option(annual.UNSENT)
    form.get_by_label("Sent on").fill(date.today().isoformat())
    form.get_by_role("button", name="Record as sent").click()
    content = page.locator("#content").inner_text()
    assert "Copies sent" in content and "Not yet sent" not in content
    assert page.locator("form[action$='@@record-copy']").count() == 0
