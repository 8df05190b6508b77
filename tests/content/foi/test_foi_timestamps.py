"""Disclosure bundles are sealed PDFs too: they carry the TSA's timestamp, and a TSA that is down answers a
clear 503 (nothing built), never a 500."""

import transaction

from .conftest import PASSWORD
from .test_foi_rest import setup  # noqa: F401 (fixture)


def test_bundle_is_timestamped_and_a_tsa_outage_is_503(setup, request_factory, functional):  # noqa: F811
    from links.content.foi import api as foi
    from links.content.pdf.verify import verify_pdf

    request, record = setup
    tsa = functional["tsa"]
    session = request_factory(basic_auth=("staff", PASSWORD))
    base = f"/foi/{request.getId()}"
    tsa.mode = "error"
    try:
        response = session.post(f"{base}/@disclosure-bundle", json={"items": [{"uid": record.UID()}]})
    finally:
        tsa.mode = "ok"
    assert response.status_code == 503, response.text
    assert "timestamp authority" in response.json()["message"]
    transaction.begin()
    assert foi.bundle_manifest(request) is None
    response = session.post(f"{base}/@disclosure-bundle", json={"items": [{"uid": record.UID()}]})
    assert response.status_code == 201, response.text
    transaction.begin()
    [result] = verify_pdf(bytes(request.bundle.data))
    assert result["timestamp"] and result["level"] == "B-LT"
