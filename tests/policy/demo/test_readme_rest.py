"""Every REST example of the README, copied as written, reaches its service on the demo site.

The examples are read from README.md itself (``GET|POST <site>/++api++/…``), their placeholders filled with
demo records, and sent over HTTP: a GET by a Manager answers with JSON and no "not found" from
traversal; a POST by an anonymous visitor is refused by the service's permission (401) — or, for the public
services, as bad input (400) — which proves the URL names a service without changing anything.
"""

import re
from pathlib import Path

import pytest

README = Path(__file__).parents[3] / "README.md"
#: A method and a URL: in code blocks or in backticks, possibly with the URL on the next line.
EXAMPLE = re.compile(r"\b(GET|POST|PATCH|DELETE)\s+`?((?:<[a-z]+>|/)[^\s`]*)")
#: Placeholder -> demo record (path inside the site).
PLACES = {
    "<record>": "reports/visit-elm-lodge-2025",
    "<complaint>": "complaints/c-2026-0001",
    "<request>": "foi/foi-2026-0001",
    "<report>": "annual-report-2025-26",
    "<name>": "provider-response",
}

#: Services open to anonymous visitors: checking a document (#21) and logging in.
PUBLIC = ("@verify", "@login")


def examples() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in EXAMPLE.finditer(README.read_text(encoding="utf-8"))]


def test_the_readme_writes_every_rest_call_the_working_way():
    found = examples()
    assert len(found) > 25
    wrong = [url for _method, url in found if not url.startswith("<site>/++api++/")]
    assert not wrong, f"write these as <site>/++api++/<path>/@service: {wrong}"


def _concrete(url: str, site: str) -> str:
    """The example as a request: placeholders filled, ``a|b`` the first choice, ``[optional]`` left out."""
    url = url.replace("<site>", site)
    for placeholder, path in PLACES.items():
        url = url.replace(placeholder, path)
    url = re.sub(r"\[[^\]]*\]", "", url)
    url = re.sub(r"=([^&|]*)(\|[^&]*)", r"=\1", url)
    return url


@pytest.mark.parametrize(("method", "url"), examples())
def test_readme_example_reaches_its_service(sealed, method, url):
    functional_portal = sealed
    import requests
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD

    target = _concrete(url, functional_portal.absolute_url())
    if method == "GET":
        answer = requests.get(target, auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), timeout=60)
        assert answer.status_code < 500, (target, answer.text[:300])
        kind = answer.headers.get("Content-Type", "")
        assert kind.startswith(("application/json", "text/csv", "application/x-ndjson")), (target, kind)
        if answer.status_code == 404:  # the service's own answer (a date before the record), not traversal's
            assert "Resource not found" not in answer.text, target
    else:
        answer = requests.request(method, target, json={}, timeout=60)
        if target.rsplit("/", 1)[-1] in PUBLIC:
            # Anyone may call these; an empty body is refused as bad input, and nothing changes.
            assert answer.status_code == 400, (target, answer.status_code, answer.text[:300])
        else:
            assert answer.status_code == 401, (target, answer.status_code, answer.text[:300])
