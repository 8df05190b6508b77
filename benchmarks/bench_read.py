"""Read cost: a published report against a Document of the same text and the same content without governance.

Run: bin/zopepy benchmarks/bench_read.py   (BENCH_QUICK=1: fewer rounds; BENCH_PROFILE=1: also print the
top of a cProfile of each page, in-process)

A real Plone site (links.content's functional layer: DemoStorage over a real ZODB, a real WSGI server).
Three pages of the same text, all published:
- the report: an EnterAndViewReport walked to "published" the way the site does it (submitted, signed off by
  four of seven governing body members with sealed signatures and a signed PDF, sent to the provider, the
  provider's response recorded, published), its text in its five rich-text fields;
- the Document: a plain Plone page whose body is the same five texts under the same headings;
- the plain record: the report's own schema (copied through plone.supermodel, so none of the report's
  adapters, views or subscribers apply) in a Dexterity type with Plone's standard behaviours only (no
  signing, no clocks), on the Document's workflow.
Each is fetched over HTTP as REST (GET ++api++/<id>) and as HTML (the default view), anonymously and as a
logged-in member (HTTP Basic), sequentially, in interleaved rounds so that load changes on the shared
machine hit all three alike. Figures: median milliseconds of each, and the ratios report/plain record
(governance overhead, goal <= 1.05) and report/Document (goal <= 1.15).
"""

import os
import statistics
import sys
import time
from datetime import date
from datetime import timedelta

import transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # zopepy execs the file: no script dir

from harness import add_test_eggs_to_path  # noqa: E402

add_test_eggs_to_path()

from harness import plone_site  # noqa: E402
from harness import report  # noqa: E402
from harness import size  # noqa: E402

MEMBERS = [f"bench-gbm{i}" for i in range(1, 8)]
READER = "bench-reader"
PASSWORD = "bench-password-1"
PLAIN_TYPE = "BenchPlainRecord"
ROUNDS = size("BENCH_READ_ROUNDS", 9, 3)
PER_ROUND = size("BENCH_READ_REQUESTS", 20, 5)
PARAGRAPH = (
    "Representatives observed the lunchtime meal service in the dining room. Residents were offered a "
    "choice of two hot meals and a vegetarian option; staff knelt to speak at eye level and gave help "
    "with cutting food discreetly. Two residents said that drinks were not always within reach in the "
    "afternoon, and the menu board was printed in small type that some residents could not read."
)
#: The report's rich-text fields, their headings on the page and how many paragraphs each holds.
TEXTS = (
    ("purpose", "Purpose of the visit", 2),
    ("methodology", "Methodology", 3),
    ("findings", "Findings", 24),
    ("recommendations", "Recommendations", 6),
    ("provider_response", "Provider's response", 4),
)


def _html(name, count):
    return "".join(f"<h3>{name} {i + 1}</h3><p>{PARAGRAPH}</p>" for i in range(count))


def plain_schema():
    """A copy of the report's fields in an interface of its own: none of the report's adapters apply."""
    import copy

    from plone.supermodel import model
    from zope.interface.interface import InterfaceClass
    from zope.schema import getFieldsInOrder

    from links.content.records.report import IEnterAndViewReport

    fields = {name: copy.copy(field) for name, field in getFieldsInOrder(IEnterAndViewReport)}
    return InterfaceClass("IPlainRecord", (model.Schema,), fields, __module__="bench_read")


IPlainRecord = plain_schema()


def add_plain_type(portal):
    """The report's fields, copied, in a type with Plone's standard behaviours only."""
    from plone.dexterity.fti import DexterityFTI

    fti = DexterityFTI(
        PLAIN_TYPE,
        title="Plain record",
        klass="plone.dexterity.content.Item",
        behaviors=(
            "plone.basic",
            "plone.namefromtitle",
            "plone.shortname",
            "plone.ownership",
            "plone.versioning",
            "plone.locking",
        ),
        schema="bench_read.IPlainRecord",
        global_allow=True,
    )
    portal.portal_types._setObject(PLAIN_TYPE, fti)
    workflow = portal.portal_workflow
    workflow.setChainForPortalTypes([PLAIN_TYPE], workflow.getChainForPortalType("Document"))


def _publish(obj):
    """Publish on the Document's workflow (none in the bare test site: then View is already public)."""
    from plone import api

    workflow = api.portal.get_tool("portal_workflow")
    if any(t["id"] == "publish" for t in workflow.getTransitionsFor(obj)):
        api.content.transition(obj, "publish")


def build(portal):
    """The three pages, made as the site makes them; returns {label: id}."""
    from plone import api
    from plone.app.textfield.value import RichTextValue
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.event import notify
    from zope.globalrequest import setRequest
    from zope.intid.interfaces import IIntIds
    from zope.lifecycleevent import ObjectModifiedEvent

    from links.content.roles import GOVERNING_BODY_MEMBER
    from links.content.signing import api as signing

    setRequest(portal.REQUEST)
    rich = {
        name: RichTextValue(_html(title, count), "text/html", "text/x-html-safe")
        for name, title, count in TEXTS
    }
    with api.env.adopt_roles(["Manager"]):
        api.user.create(
            email="rep1@example.org",
            username="rep1",
            password=PASSWORD,
            properties={"fullname": "Rosa Ellison"},
        )
        api.user.create(
            email="reader@example.org",
            username=READER,
            password=PASSWORD,
            properties={"fullname": "A Reader"},
        )
        for userid in MEMBERS:
            api.user.create(
                email=f"{userid}@example.org",
                username=userid,
                password=PASSWORD,
                roles=("Member", GOVERNING_BODY_MEMBER),
                properties={"fullname": f"Member {userid[-1]} of the governing body"},
            )
        provider = api.content.create(container=portal, type="ServiceProvider", title="Elm Lodge Care Home")
        common = {
            "premises": "Dining room and lounges",
            "visit_date": date.today() - timedelta(days=40),
            "announcement": "announced",
            "representatives": ["rep1"],
            "lead": "rep1",
            **{name: value for name, value in rich.items() if name != "provider_response"},
        }
        description = "Announced enter and view visit to the dining room and lounges."
        record = api.content.create(
            container=portal,
            type="EnterAndViewReport",
            title="Visit to Elm Lodge",
            description=description,
            provider=RelationValue(getUtility(IIntIds).getId(provider)),
            **common,
        )
        api.content.transition(record, "submit")
    transaction.commit()
    for userid in MEMBERS[:4]:
        with api.env.adopt_user(username=userid):
            expected = signing.current_version(record)[1]
            signing.sign(
                record, userid, PASSWORD, "approve", expected_version=expected, request=portal.REQUEST
            )
        transaction.commit()
    assert api.content.get_state(record) == "signed_off", signing.status(record)["signoff_error"]
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(record, "send_to_provider")
        record.provider_response = rich["provider_response"]
        record.provider_response_date = date.today()
        notify(ObjectModifiedEvent(record))
        api.content.transition(record, "publish")

        body = "".join(f"<h2>{title}</h2>{rich[name].raw}" for name, title, _ in TEXTS)
        document = api.content.create(
            container=portal,
            type="Document",
            title="Visit to Elm Lodge (a plain page)",
            description=description,
            text=RichTextValue(body, "text/html", "text/x-html-safe"),
        )
        _publish(document)

        add_plain_type(portal)
        plain = api.content.create(
            container=portal,
            type=PLAIN_TYPE,
            title="Visit to Elm Lodge (plain record)",
            description=description,
            provider=RelationValue(getUtility(IIntIds).getId(provider)),
            provider_response=rich["provider_response"],
            provider_response_date=date.today(),
            **common,
        )
        _publish(plain)
    transaction.commit()
    assert api.content.get_state(record) == "published"
    return {"report": record.getId(), "document": document.getId(), "plain record": plain.getId()}


def sessions():
    import requests

    anonymous, member = requests.Session(), requests.Session()
    member.auth = (READER, PASSWORD)
    return {"anonymous": anonymous, "member": member}


def measure(base, ids, users):
    """{(label, channel, user): [mean seconds of each round]}, rounds interleaved across the three pages."""
    urls = {}
    for label, obj_id in ids.items():
        urls[label, "REST"] = (f"{base}/++api++/{obj_id}", {"Accept": "application/json"})
        urls[label, "HTML"] = (f"{base}/{obj_id}", {"Accept": "text/html"})

    def run(key, user, count):
        url, headers = urls[key]
        session = users[user]
        start = time.perf_counter()
        for _ in range(count):
            response = session.get(url, headers=headers)
            assert response.status_code == 200, (key, user, response.status_code, response.text[:300])
        return (time.perf_counter() - start) / count

    for key in urls:  # warm up: caches, templates, transforms
        for user in users:
            run(key, user, 3)
    figures = {}
    for _ in range(ROUNDS):
        for (label, channel), user in ((key, user) for key in urls for user in users):
            figures.setdefault((label, channel, user), []).append(run((label, channel), user, PER_ROUND))
    return {key: statistics.median(values) for key, values in figures.items()}


def profile(app, ids):
    """cProfile of each page, anonymous and as the member, in-process (the publisher in this thread)."""
    import cProfile
    import io
    import pstats

    from plone.testing.zope import Browser

    only = os.environ.get("BENCH_PROFILE")
    for label, obj_id in ids.items():
        for path in (f"/plone/++api++/{obj_id}", f"/plone/{obj_id}"):
            for user in ("anonymous", "member"):
                if only not in ("1", label, user):
                    continue
                browser = Browser(app)
                if user == "member":
                    browser.addHeader("Authorization", f"Basic {READER}:{PASSWORD}")
                for _ in range(20):  # warm every pooled connection's cache (and its transform caches)
                    browser.open("http://nohost" + path)
                profiler = cProfile.Profile()
                start = time.perf_counter()
                profiler.enable()
                for _ in range(20):
                    browser.open("http://nohost" + path)
                profiler.disable()
                elapsed = (time.perf_counter() - start) / 20 * 1000
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
                stats.print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 45)
                if os.environ.get("BENCH_PROFILE_CALLEES"):
                    stats.print_callees(os.environ["BENCH_PROFILE_CALLEES"])
                print(f"---- profile: {label} {path} {user}: {elapsed:.1f} ms a request (profiled)")
                print(out.getvalue())


def bench():
    from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING as layer

    with plone_site(layer) as (app, portal):
        ids = build(portal)
        base = f"http://{layer['host']}:{layer['port']}/plone"
        figures = measure(base, ids, sessions())
        for key, value in figures.items():
            label, channel, user = key
            report(f"read: {channel} GET of the {label}, {user}", value * 1000, "ms")
        for channel in ("REST", "HTML"):
            for user in ("anonymous", "member"):
                mine = figures["report", channel, user]
                report(
                    f"read: {channel}, {user}: report / plain record (governance)",
                    mine / figures["plain record", channel, user],
                    "x",
                    goal="<= 1.05",
                )
                report(
                    f"read: {channel}, {user}: report / Document",
                    mine / figures["document", channel, user],
                    "x",
                    goal="<= 1.15",
                )
        report(f"read: rounds x requests per figure ({ROUNDS} x {PER_ROUND})", ROUNDS * PER_ROUND, "requests")
        if os.environ.get("BENCH_PROFILE"):
            profile(app, ids)
        transaction.abort()


if __name__ == "__main__":
    bench()
