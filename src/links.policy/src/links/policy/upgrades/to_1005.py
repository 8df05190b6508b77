"""links.policy:demo 1000 -> 1005: an existing demo site gets the annual report of its last complete
financial year, with that year's records (``links.policy.demo.annual``; idempotent)."""

from plone import api

from links.policy.demo import annual


def add_annual_report(context) -> None:
    annual.create(api.portal.get())
