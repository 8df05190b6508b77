"""Published records carry the date they were published, not 31 December 1969 (#17)."""

from plone import api

from links.content.workflows.publication import first_public_time
from links.content.workflows.publication import is_public
from links.policy.upgrades.to_1006 import date_publications


def _public(portal):
    catalog = api.portal.get_tool("portal_catalog")
    everything = catalog.unrestrictedSearchResults(path="/".join(portal.getPhysicalPath()))
    return [obj for obj in (b._unrestrictedGetObject() for b in everything) if is_public(obj)]


def test_every_public_demo_item_has_its_publication_date(portal):
    public = _public(portal)
    assert len(public) > 10
    for obj in public:
        assert obj.effective_date is not None, obj.absolute_url()
        assert obj.effective().year() >= 2000


def test_a_record_is_dated_when_it_is_published(portal):
    report = next(obj for obj in _public(portal) if obj.portal_type == "EnterAndViewReport")
    published = first_public_time(report)
    assert published is not None
    # Set within the transition's request: the same minute as the workflow history's entry.
    assert abs(report.effective() - published) < 1 / (24 * 60)


def test_demo_upgrade_dates_what_was_published_without_a_date(portal):
    report = next(obj for obj in _public(portal) if obj.portal_type == "EnterAndViewReport")
    report.effective_date = None
    assert date_publications(None) == 1
    assert report.effective() == first_public_time(report)


def test_reports_are_listed_with_their_states(portal):
    """A member sees in the list which report waits for signatures (#17)."""
    from zope.interface import alsoProvides

    from links.content.interfaces import ILinksContentLayer

    alsoProvides(portal.REQUEST, ILinksContentLayer)
    folder = portal["reports"]
    assert folder.getLayout() == "records-listing"
    with api.env.adopt_user(username="chair"):
        html = folder.restrictedTraverse("@@records-listing")()
    assert "Awaiting sign-off" in html
    assert "Published" in html
