"""The chair's sign-off journey in a real Chromium: open the demo report awaiting sign-off, see who has
signed, sign it with a re-entered password, and download the signed PDF once the quorum is reached."""

import pytest
import transaction
from plone import api

from links.policy.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.browser

REPORT = "reports/report-awaiting-signoff"


def _presign_all_but_one(report) -> list[str]:
    """Other members approve in-process (real signatures); the chair's signature completes the quorum."""
    from links.content.signing import api as signing

    status = signing.status(report)
    assert status["state"] == "pending_signoff" and status["approvals"] == 0
    assert "chair" not in {m["userid"] for m in status["recused"]}
    names = []
    for member in status["not_signed"]:
        if member["userid"] == "chair" or len(names) == status["required"] - 1:
            continue
        with api.env.adopt_user(username=member["userid"]):
            signing.sign(report, member["userid"], DEMO_PASSWORD, "approve")
        names.append(member["printed_name"])
    transaction.commit()
    return names


def test_chair_signs_off_report_and_downloads_pdf(functional_portal, page, log_in):
    report = functional_portal.unrestrictedTraverse(REPORT)
    presigned = _presign_all_but_one(report)
    url = report.absolute_url()

    log_in(page, functional_portal.absolute_url(), "chair")

    page.goto(url)
    signatures = page.locator("section.links-signatures")
    for name in presigned:
        assert name in signatures.inner_text()
    signatures.get_by_role("link", name="Sign this record").click()

    # The sign page says who has and hasn't signed, then asks for the meaning and the password again.
    assert "Margaret Okafor" in page.locator("#content").inner_text()  # the chair has not signed yet
    page.get_by_label("Approve").check()
    page.get_by_label("Your password").fill("not-the-password")
    page.get_by_role("button", name="Sign").click()
    assert "The password is not right" in page.locator("#sign-error").inner_text()

    page.get_by_label("Approve").check()
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign").click()
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == url
    assert "Signed off on" in page.locator("section.links-signatures").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the signed PDF").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    transaction.begin()
    assert api.content.get_state(functional_portal.unrestrictedTraverse(REPORT)) == "signed_off"
