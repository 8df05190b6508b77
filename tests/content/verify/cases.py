"""The documents the verification tests check: a genuine signed PDF and what people do to one."""

from io import BytesIO

from plone import api

from links.content.signing import api as signing


def signed_off(record, sign) -> bytes:
    """Sign the record off (two approvals) and return its sealed PDF as issued."""
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    sign(record, "gbm1")
    sign(record, "gbm2")
    assert api.content.get_state(record) == "signed_off", signing.status(record)["signoff_error"]
    return bytes(signing.signed_pdf(record).data)


def altered(data: bytes) -> bytes:
    """One byte changed in the signed content (a digit of the printed text stream's region)."""
    position = len(data) // 3
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def resaved(data: bytes) -> bytes:
    """The pages re-saved by another program (pypdf): same content and links, no signature."""
    from pypdf import PdfReader
    from pypdf import PdfWriter

    writer = PdfWriter()
    for page in PdfReader(BytesIO(data)).pages:
        writer.add_page(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def foreign(site_id: str = "another-network") -> bytes:
    """A PDF sealed with another network's certificate (real keys, made for that site id)."""
    from links.content.keys.api import ensure_keys
    from links.content.pdf.api import render_pdf
    from links.content.pdf.api import seal_pdf

    ensure_keys(site_id, common_name="Another Network")
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Report</title></head>'
        "<body><h1>Report</h1></body></html>"
    )
    return seal_pdf(render_pdf(html), reason="Signed elsewhere", site_id=site_id).data
