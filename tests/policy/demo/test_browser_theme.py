"""The address `make start` prints shows the themed site, not Plone's unstyled fallback (#17)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

#: `make start` runs this script, which prints the address it serves.
START = Path(__file__).parents[3] / "scripts" / "site.sh"


def printed_host() -> str:
    """The host name in the URL that `make start` prints ("Serving http://<host>:8080/...")."""
    match = re.search(r"Serving (http://[^ ]+)", START.read_text())
    return urlsplit(match.group(1)).hostname


def themed(page, url) -> bool:
    page.goto(url)
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    return any("++theme++barceloneta" in sheet for sheet in sheets) and "Times" not in font


@pytest.mark.parametrize("host", ["printed", "127.0.0.1", "localhost"])
def test_site_is_themed_at(functional_portal, page, host):
    url = urlsplit(functional_portal.absolute_url())
    name = printed_host() if host == "printed" else host
    assert themed(page, url._replace(netloc=f"{name}:{url.port}").geturl())
