"""A hostile page tree cannot hang the public verify page (attacker review, #21): a node that lists itself
as its own kid, twice, used to loop for ever and double its work list each turn."""

import threading

from links.content.verify.api import _marked_issue


def _pdf(kids: bytes) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count 1 >>"]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_page_tree_that_contains_itself_is_answered_at_once():
    found = []
    worker = threading.Thread(target=lambda: found.append(_marked_issue(_pdf(b"2 0 R 2 0 R"))), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the page-tree walk did not stop"
    assert found == [None]
