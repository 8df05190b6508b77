"""A network of N records made the way the site makes them, for benchmarks (and for a bigger demo).

`generate(portal, count)` runs on a site with the demo profile (links.policy:demo: its users, groups,
folders, providers and local roles) and adds `count` records through the site's own APIs, as the role that
would make each, with events on: clocks are started by the site's subscribers, records are catalogued and
audited normally, decision statements follow from the reports' transitions. The texts and procedures are
the demo's (links.policy.demo); ages are spread so that clocks are open, due, overdue, met and missed.

Mix (per 100 records): 40 complaints in every state of the procedure (appeals with an assigned independent
reviewer), 20 information requests and 5 referrals to overview and scrutiny, 15 FOI requests (one in five
answered with a redaction and a disclosure bundle), 12 enter-and-view reports in every state (one in
`signed_every` walked through real sealed signatures and a signed PDF, the rest of the signed states too),
5 declarations of interests by the governing body's members (each superseding the member's previous
one), 3 service providers. With `versions`, each record
gets that many versions in CMFEditions in all (edits saved through portal_repository, as the edit form
does).
"""

from __future__ import annotations

import collections
import random
from datetime import date
from datetime import timedelta

import transaction

#: (share of 100, kind): the mix, in creation order within each block of 100.
MIX = (
    (3, "provider"),
    (40, "complaint"),
    (20, "information_request"),
    (5, "referral"),
    (15, "foi"),
    (12, "report"),
    (5, "declaration"),
)
REPORT_TARGETS = ("draft", "pending_signoff", "signed_off", "sent_to_provider", "published", "withdrawn")


def plan(count: int) -> list[str]:
    """The kinds of `count` records in creation order: the MIX repeated, cut at `count`."""
    block = [kind for share, kind in MIX for _ in range(share)]
    rng = random.Random(20261129)
    rng.shuffle(block)
    return [block[n % len(block)] for n in range(count)]


class Generator:
    def __init__(self, portal, seed: int = 20261129, versions: int = 1, signed_every: int = 25):
        self.portal = portal
        self.rng = random.Random(seed)
        self.versions = versions
        self.signed_every = signed_every
        self.counts = collections.Counter()
        self.serial = 0

    # -- helpers ----------------------------------------------------------------------------------------
    def _id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-g{self.serial:06d}"

    def _providers(self):
        return list(self.portal["providers"].objectValues())

    def _versions(self, obj, field: str):
        """Bring `obj` to self.versions versions: small edits of `field`, each saved as a version."""
        from plone import api

        repository = api.portal.get_tool("portal_repository")
        history = repository.getHistoryMetadata(obj)
        have = history.getLength(countPurged=False) if history else 0
        for n in range(have, self.versions):
            value = getattr(obj, field, None)
            if isinstance(value, str):
                setattr(obj, field, f"{value} (revised {n})")
            repository.save(obj, comment=f"Revision {n}")

    # -- record kinds -----------------------------------------------------------------------------------
    def provider(self):
        from plone import api

        from links.policy.demo.records import PROVIDERS

        template = self.rng.choice(list(PROVIDERS.values()))
        title, service_type, address, registration, commissioner = template
        with api.env.adopt_user(username="staff"), api.env.adopt_roles(["Manager"]):
            obj = api.content.create(
                container=self.portal["providers"],
                type="ServiceProvider",
                id=self._id("provider"),
                title=f"{title} ({self.serial})",
                service_type=service_type,
                address=address,
                registration_id=f"1-{self.serial:09d}",
                commissioner=commissioner,
            )
        return obj, "address"

    def complaint(self):
        from links.policy.demo import complaints as demo

        key, (target, age, appealed, values) = self.rng.choice(list(demo.COMPLAINTS.items()))
        age += self.rng.randint(0, 45)
        obj = demo._complaint(
            self.portal["complaints"], f"{key}-{self.serial}", target, age, appealed, dict(values)
        )
        self.serial += 1
        return obj, "details"

    def information_request(self):
        from plone import api

        from links.content.complaints.rules import today
        from links.policy.demo.complaints import INFORMATION_REQUESTS

        state, values, age = self.rng.choice(list(INFORMATION_REQUESTS.values()))
        age += self.rng.randint(0, 30)
        with api.env.adopt_user(username="staff"):
            obj = api.content.create(
                container=self.portal["information-requests"],
                type="InformationRequest",
                id=self._id("ir"),
                **values,
            )
            if state != "draft":
                obj.sent_on = today() - timedelta(days=age)
                api.content.transition(obj=obj, transition="send")
            if state == "answered":
                obj.response_received_on = today() - timedelta(days=max(age - 12, 0))
                api.content.transition(obj=obj, transition="record_answer")
        return obj, "questions"

    def referral(self):
        from plone import api

        from links.content.complaints.rules import today
        from links.policy.demo.complaints import REFERRALS

        state, values, age = self.rng.choice(list(REFERRALS.values()))
        age += self.rng.randint(0, 30)
        with api.env.adopt_user(username="chair"):
            obj = api.content.create(
                container=self.portal["referrals"],
                type="OSCReferral",
                id=self._id("referral"),
                referred_on=today() - timedelta(days=age),
                **values,
            )
            api.content.transition(obj=obj, transition="refer")
        if state == "acknowledged":
            with api.env.adopt_user(username="staff"):
                obj.acknowledged_on = today() - timedelta(days=max(age - 10, 0))
                api.content.transition(obj=obj, transition="acknowledge")
        return obj, "matter"

    def foi(self):
        from links.policy.demo import foi as demo

        items = list(demo.REQUESTS.items())
        # One in five answered (redaction and bundle), the others received or awaiting clarification.
        answered = [item for item in items if item[1][0] not in ("received", "awaiting_clarification")]
        key, (target, age, values) = (
            self.rng.choice(answered) if answered and self.rng.random() < 0.2 else self.rng.choice(items)
        )
        age += self.rng.randint(0, 15)
        folder = self.portal["foi"]
        before = set(folder.objectIds())
        demo._request(self.portal, folder, f"{key}-{self.serial}", target, age, dict(values))
        self.serial += 1
        (new_id,) = set(folder.objectIds()) - before
        return folder[new_id], "request_text"

    def report(self):
        from datetime import time

        from plone import api
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        from links.content.clocks import api as clocks_api
        from links.policy.demo.records import SIGNERS
        from links.policy.demo.records import _html
        from links.policy.demo.records import _relation
        from links.policy.demo.records import _sign_off

        self.counts["report-serial"] += 1
        number = self.counts["report-serial"]
        target = REPORT_TARGETS[number % len(REPORT_TARGETS)]
        signed = number % self.signed_every == 0
        if target in ("signed_off", "sent_to_provider", "published") and not signed:
            target = (
                "pending_signoff"  # real signatures are slow: only one report in `signed_every` gets them
            )
        provider = self.rng.choice(self._providers())
        visited = date.today() - timedelta(days=self.rng.randint(35, 200))
        with api.env.adopt_roles(["Manager"]):
            obj = api.content.create(
                container=self.portal["reports"],
                type="EnterAndViewReport",
                id=self._id("report"),
                title=f"Visit to {provider.title}",
                description=f"Announced visit by two authorised representatives on {visited:%d %B %Y}.",
                provider=_relation(provider),
                premises="Communal areas and dining room",
                visit_date=visited,
                start_time=time(10, 0),
                end_time=time(12, 30),
                announcement="announced",
                representatives=["rep1", "rep2"],
                lead="rep1",
                purpose=_html(
                    "<p>To hear the views of people using the service, their families and staff.</p>"
                ),
                methodology=_html("<p>We spoke with people using the service, relatives and staff.</p>"),
                findings=_html("<p>People told us staff were kind and knew them well.</p>"),
                recommendations=_html(
                    "<ol><li>Keep the garden door open in daytime when it is safe.</li></ol>"
                ),
            )
            if target != "draft":
                api.content.transition(obj, transition="submit")
            if target == "withdrawn":
                api.content.transition(
                    obj, transition="withdraw", comment="The visit overran the agreed window."
                )
            if signed and target not in ("draft", "withdrawn"):
                _sign_off(obj, SIGNERS)
                if target in ("sent_to_provider", "published"):
                    api.content.transition(obj, transition="send_to_provider", comment="Signed off.")
                    clocks_api.start(obj, "provider-response", started=visited + timedelta(days=3))
                if target == "published":
                    obj.provider_response = _html("<p>Thank you for the visit.</p>")
                    obj.provider_response_date = visited + timedelta(days=30)
                    notify(ObjectModifiedEvent(obj))
                    api.content.transition(obj, transition="publish")
        return obj, "premises"

    def declaration(self):
        """A governing body member's new declaration; declaring it supersedes their previous one."""
        from plone import api

        from links.policy.demo.records import DECLARATIONS
        from links.policy.demo.records import SIGNERS

        userid = self.rng.choice(SIGNERS)
        values = dict(self.rng.choice([v for v in DECLARATIONS.values() if "providers" not in v]))
        with api.env.adopt_roles(["Manager"]):
            obj = api.content.create(
                container=self.portal["declarations"],
                type="DeclarationOfInterest",
                id=self._id(f"declaration-{userid}"),
                title=f"Declaration of interests: {api.user.get(userid=userid).getProperty('fullname')}",
                member=userid,
                nolan_wording="revised-2013",
                date_of_change=date.today() - timedelta(days=self.rng.randint(1, 300)),
                **values,
            )
            api.content.transition(obj, transition="declare")
        return obj, "memberships"

    # -- the run ----------------------------------------------------------------------------------------
    def make(self, kind: str):
        obj, field = getattr(self, kind)()
        if self.versions > 1:
            from plone import api

            with api.env.adopt_roles(["Manager"]):
                self._versions(obj, field)
        self.counts[kind] += 1
        return obj


def generate(portal, count: int, versions: int = 1, signed_every: int = 25, batch: int = 100, progress=None):
    """Add `count` records (see the module's docstring); commits every `batch`. Returns counts by kind."""
    generator = Generator(portal, versions=versions, signed_every=signed_every)
    for number, kind in enumerate(plan(count), start=1):
        generator.make(kind)
        if number % batch == 0:
            transaction.commit()
            portal._p_jar.cacheGC()
            if progress:
                progress(number)
    transaction.commit()
    counts = dict(generator.counts)
    counts.pop("report-serial", None)
    return counts
