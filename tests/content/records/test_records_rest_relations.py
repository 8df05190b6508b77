"""Relations in REST output: the same summary plone.restapi gives, read without cloning the request
(links.content.restapi.relations)."""

import transaction
from plone import api
from plone.restapi.serializer.relationfield import relationvalue_converter


def test_provider_summary_is_plone_restapis(site, request_factory, helpers):
    portal, provider = site["portal"], site["provider"]
    with api.env.adopt_roles(["Manager"]):
        report = helpers.make_report(portal, provider, representatives=["rep1"], id="related-visit")
    transaction.commit()
    session = request_factory(basic_auth=("manager", helpers.PASSWORD))

    response = session.get("/related-visit")
    assert response.status_code == 200, response.text
    summary = response.json()["provider"]
    from zope.globalrequest import setRequest

    setRequest(portal.REQUEST)
    with api.env.adopt_roles(["Manager"]):
        expected = relationvalue_converter(report.provider)  # what plone.restapi itself gives
    assert summary == expected
    assert set(summary) == {"@id", "@type", "description", "review_state", "title", "type_title", "UID"}
    assert summary["UID"] == provider.UID() and summary["title"] == "Elm Lodge Care Home"
    assert summary["@id"].endswith("/elm-lodge-care-home")


def test_summary_follows_a_renamed_provider(site, request_factory, helpers):
    """Nothing is cached: a change of the provider shows in the report's next GET."""
    portal, provider = site["portal"], site["provider"]
    with api.env.adopt_roles(["Manager"]):
        helpers.make_report(portal, provider, representatives=["rep1"], id="renamed-visit")
    transaction.commit()
    session = request_factory(basic_auth=("manager", helpers.PASSWORD))
    assert session.get("/renamed-visit").json()["provider"]["title"] == "Elm Lodge Care Home"

    provider.title = "Elm Lodge Nursing Home"
    provider.reindexObject()
    transaction.commit()
    assert session.get("/renamed-visit").json()["provider"]["title"] == "Elm Lodge Nursing Home"


def test_deleted_provider_serializes_as_null(site, request_factory, helpers):
    portal, provider = site["portal"], site["provider"]
    with api.env.adopt_roles(["Manager"]):
        report = helpers.make_report(portal, provider, representatives=["rep1"], id="orphan-visit")
        # Broken the way a deleted target leaves it: its intid no longer resolves.
        report.provider.to_id = 987654321
    transaction.commit()
    session = request_factory(basic_auth=("manager", helpers.PASSWORD))

    response = session.get("/orphan-visit")
    assert response.status_code == 200, response.text
    assert response.json()["provider"] is None
