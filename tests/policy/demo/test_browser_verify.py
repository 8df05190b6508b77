"""Anyone can check a document, in a real Chromium: an anonymous visitor uploads the demo constitution's
signed PDF to the verify page and is told it is genuine; a changed copy is told it is not the document
issued. The page's content passes axe-core with no serious or critical violations, before and after an
answer. (axe is run on ``#content``, what this package renders: the Classic UI theme's own header and
footer have colour-contrast findings of their own, outside this page.)"""

import json
from pathlib import Path

import pytest

from links.content.signing.api import signed_pdf

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[3] / "node_modules" / "axe-core" / "axe.min.js"


def _serious_violations(page) -> list:
    """axe-core's violations of impact serious or critical on the page as it stands."""
    assert AXE.is_file(), f"{AXE} is missing: run `make test` (npm ci --prefix tests/axe)"
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run('#content')")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _check(page, path: Path) -> str:
    page.get_by_label("The PDF").set_input_files(str(path))
    page.get_by_role("button", name="Check the document").click()
    page.wait_for_load_state("networkidle")
    return page.locator("#verify-headline").inner_text()


def test_visitor_uploads_signed_pdf_and_is_told_it_is_genuine(functional_portal, page, tmp_path):
    data = bytes(signed_pdf(functional_portal.unrestrictedTraverse("constitution")).data)
    genuine = tmp_path / "constitution.pdf"
    genuine.write_bytes(data)
    changed = tmp_path / "changed.pdf"
    position = len(data) // 3
    changed.write_bytes(data[:position] + bytes([data[position] ^ 1]) + data[position + 1 :])

    page.goto(f"{functional_portal.absolute_url()}/@@verify")
    assert page.get_by_role("heading", name="Check a document").is_visible()
    assert _serious_violations(page) == []

    headline = _check(page, genuine)
    assert headline.startswith("Genuine: this is exactly the constitution"), headline
    assert "Northbridge" in headline
    assert page.get_by_role("table").filter(has_text="Decision").is_visible()  # who signed, and how
    violations = _serious_violations(page)
    assert violations == [], json.dumps(violations, indent=1)

    headline = _check(page, changed)
    assert headline.startswith("This is not the document the network issued"), headline
