"""The transitional report in a real Chromium: a council auditor opens the demo report, reads its deadlines
and figures, and downloads the signed PDF; a participant cannot open it."""

import pytest

pytestmark = pytest.mark.browser


def test_auditor_reads_deadlines_and_downloads_the_signed_pdf(functional_portal, page, log_in):
    portal_url = functional_portal.absolute_url()
    log_in(page, portal_url, "auditor")
    page.goto(f"{portal_url}/transitional-report")
    content = page.locator("#content").inner_text()
    assert "Deadlines (regulation 15)" in content
    assert "Signed off" in content
    assert "£446,366.15" in content
    assert "Enter and view visits made" in content
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the signed PDF").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_participant_cannot_open_it(functional_portal, page, log_in):
    portal_url = functional_portal.absolute_url()
    log_in(page, portal_url, "participant")
    page.goto(f"{portal_url}/transitional-report")
    assert "£446,366.15" not in page.content()
    assert page.url.endswith("/insufficient-privileges")
