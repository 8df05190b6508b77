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

from harness import add_governing_body  # noqa: E402
from harness import add_user  # noqa: E402
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


def plain_schema(iface, name):
    """A copy of `iface`'s fields in an interface of its own: none of the record's adapters apply."""
    import copy

    from plone.supermodel import model
    from zope.interface.interface import InterfaceClass
    from zope.schema import getFieldsInOrder

    fields = {field_name: copy.copy(field) for field_name, field in getFieldsInOrder(iface)}
    return InterfaceClass(name, (model.Schema,), fields, __module__="bench_read")


def _schemas():
    from links.content.complaints.complaint import IComplaint
    from links.content.records.report import IEnterAndViewReport

    return plain_schema(IEnterAndViewReport, "IPlainRecord"), plain_schema(IComplaint, "IPlainComplaint")


IPlainRecord, IPlainComplaint = _schemas()


def add_plain_type(portal, type_id, schema):
    """`schema` in a type with Plone's standard behaviours only, on the Document's workflow."""
    from plone.dexterity.fti import DexterityFTI

    fti = DexterityFTI(
        type_id,
        title=type_id,
        klass="plone.dexterity.content.Item",
        behaviors=(
            "plone.basic",
            "plone.namefromtitle",
            "plone.shortname",
            "plone.ownership",
            "plone.versioning",
            "plone.locking",
        ),
        schema=f"bench_read.{schema}",
        global_allow=True,
    )
    portal.portal_types._setObject(type_id, fti)
    workflow = portal.portal_workflow
    workflow.setChainForPortalTypes([type_id], workflow.getChainForPortalType("Document"))


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

    from links.content.signing import api as signing

    setRequest(portal.REQUEST)
    rich = {
        name: RichTextValue(_html(title, count), "text/html", "text/x-html-safe")
        for name, title, count in TEXTS
    }
    add_user("rep1", PASSWORD, "Rosa Ellison")
    add_user(READER, PASSWORD, "A Reader")
    add_governing_body(MEMBERS, PASSWORD)
    with api.env.adopt_roles(["Manager"]):
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

        add_plain_type(portal, PLAIN_TYPE, "IPlainRecord")
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


OFFICER = "bench-officer"
PLAIN_COMPLAINT = "BenchPlainComplaint"
DETAILS = " ".join([PARAGRAPH] * 6)


def build_complaints(portal):
    """A complaint opened and acknowledged by a complaints officer, its plain copy and a Document."""
    from plone import api
    from plone.app.textfield.value import RichTextValue

    from links.content.complaints import api as complaints_api
    from links.content.roles import COMPLAINTS_OFFICER

    with api.env.adopt_roles(["Manager"]):
        api.user.create(
            email="officer@example.org",
            username=OFFICER,
            password=PASSWORD,
            roles=("Member", COMPLAINTS_OFFICER),
            properties={"fullname": "Casey Officer"},
        )
        add_plain_type(portal, PLAIN_COMPLAINT, "IPlainComplaint")
    transaction.commit()
    values = {
        "how_received": "letter",
        "about": "network",
        "complainant_name": "Frank Adeyemi",
        "details": DETAILS,
    }
    with api.env.adopt_user(username=OFFICER):
        complaint = complaints_api.create_complaint(portal, received=date.today(), **values)
        api.content.transition(complaint, "acknowledge")
    with api.env.adopt_roles(["Manager"]):  # the officer may not add plain pages; they read them
        plain = api.content.create(
            container=portal, type=PLAIN_COMPLAINT, title="Plain complaint", received=date.today(), **values
        )
        document = api.content.create(
            container=portal,
            type="Document",
            title="Complaint as a plain page",
            text=RichTextValue(f"<p>{DETAILS}</p>", "text/html", "text/x-html-safe"),
        )
    transaction.commit()
    return {
        "complaint": complaint.getId(),
        "complaint document": document.getId(),
        "plain complaint": plain.getId(),
    }


def sessions():
    import requests

    anonymous, member, officer = requests.Session(), requests.Session(), requests.Session()
    member.auth = (READER, PASSWORD)
    officer.auth = (OFFICER, PASSWORD)
    return {"anonymous": anonymous, "member": member, "officer": officer}


#: CPU seconds of each request in the server's worker thread (ZPublisher start to end of publishing).
SERVER_CPU = []


#: BENCH_PROFILE=<page label>: cProfile that page's requests in the server thread; printed at the end.
PROFILING = {"key": None, "stats": {}}


def _pub_start(event):
    event.request._bench_cpu = time.thread_time()
    if PROFILING["key"] is not None:
        import cProfile

        event.request._bench_profiler = profiler = cProfile.Profile()
        profiler.enable()


def _pub_end(event):
    profiler = getattr(event.request, "_bench_profiler", None)
    if profiler is not None:
        profiler.disable()
        import pstats

        key = PROFILING["key"]
        if key in PROFILING["stats"]:
            PROFILING["stats"][key].add(profiler)
        else:
            PROFILING["stats"][key] = pstats.Stats(profiler)
    started = getattr(event.request, "_bench_cpu", None)
    if started is not None:
        SERVER_CPU.append(time.thread_time() - started)


def print_profiles():
    """The profiles BENCH_PROFILE asked for: top functions by cumulative time (BENCH_PROFILE_FILTER)."""
    for (label, channel, user), stats in PROFILING["stats"].items():
        print(f"---- profile (server thread): {channel} {label} as {user}")
        stats.sort_stats("cumulative").print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 50)


def watch_server_cpu():
    from zope.component import provideHandler
    from ZPublisher.interfaces import IPubEnd
    from ZPublisher.interfaces import IPubStart

    provideHandler(_pub_start, (IPubStart,))
    provideHandler(_pub_end, (IPubEnd,))


def measure(base, pages, users):
    """{(label, channel, user): (median wall s, median server CPU s) of single requests}, rounds interleaved.

    :param pages: [(label, id, [users])]
    """
    plan = []
    for label, obj_id, who in pages:
        for user in who:
            plan.append((label, "REST", user, f"{base}/++api++/{obj_id}", {"Accept": "application/json"}))
            plan.append((label, "HTML", user, f"{base}/{obj_id}", {"Accept": "text/html"}))

    def run(url, headers, user, count):
        """Wall and server CPU seconds of each of `count` requests."""
        session, walls, cpus = users[user], [], []
        for _ in range(count):
            del SERVER_CPU[:]
            start = time.perf_counter()
            response = session.get(url, headers=headers)
            walls.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, user, response.status_code, response.text[:300])
            cpus.extend(SERVER_CPU)
        return walls, cpus

    for _label, _channel, user, url, headers in plan:  # warm up: caches, templates, transforms
        run(url, headers, user, 10)
    walls, cpus = {}, {}
    for _ in range(ROUNDS):
        for label, channel, user, url, headers in plan:
            wall, cpu = run(url, headers, user, PER_ROUND)
            if (
                os.environ.get("BENCH_PROFILE") == label
            ):  # profiled apart: the profiler's cost is not measured
                PROFILING["key"] = (label, channel, user)
                run(url, headers, user, PER_ROUND)
                PROFILING["key"] = None
            walls.setdefault((label, channel, user), []).extend(wall)
            cpus.setdefault((label, channel, user), []).extend(cpu)
    # Medians of single requests: a garbage collection or a cold connection cache in one request of the
    # run moves a mean, not the median.
    return {key: (statistics.median(walls[key]), statistics.median(cpus[key])) for key in walls}


#: (page, what it is compared with, goal, users): the ratios printed.
COMPARISONS = (
    ("report", "plain record", "<= 1.05", ("anonymous", "member")),
    ("report", "document", "<= 1.15", ("anonymous", "member")),
    ("complaint", "plain complaint", "<= 1.05", ("officer",)),
    ("complaint", "complaint document", "<= 1.15", ("officer",)),
)


def bench():
    from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING as layer

    with plone_site(layer) as (app, portal):
        ids = build(portal)
        ids.update(build_complaints(portal))
        watch_server_cpu()
        public = ("anonymous", "member")
        pages = [(label, ids[label], public) for label in ("report", "document", "plain record")]
        pages += [
            (label, ids[label], ("officer",))
            for label in ("complaint", "complaint document", "plain complaint")
        ]
        base = f"http://{layer['host']}:{layer['port']}/plone"
        figures = measure(base, pages, sessions())
        for (label, channel, user), (wall, cpu) in figures.items():
            report(f"read: {channel} GET of the {label}, {user}: wall", wall * 1000, "ms")
            report(f"read: {channel} GET of the {label}, {user}: server CPU", cpu * 1000, "ms")
        for mine, other, goal, users in COMPARISONS:
            for channel in ("REST", "HTML"):
                for user in users:
                    wall, cpu = figures[mine, channel, user]
                    other_wall, other_cpu = figures[other, channel, user]
                    name = f"read: {channel}, {user}: {mine} / {other}"
                    report(f"{name} (wall)", wall / other_wall, "x", goal=goal)
                    report(f"{name} (server CPU)", cpu / other_cpu, "x", goal=goal)
        report(f"read: rounds x requests per figure ({ROUNDS} x {PER_ROUND})", ROUNDS * PER_ROUND, "requests")
        print_profiles()
        transaction.abort()


if __name__ == "__main__":
    bench()
