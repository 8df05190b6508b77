"""Catalog index ``period_dates`` (profiles/default/catalog.xml): the days a record counts on in a period
report, so a period's records are one query (see ``figures``)."""

from plone.dexterity.interfaces import IDexterityContent
from plone.indexer import indexer

from links.content.periodreport.figures import record_dates


@indexer(IDexterityContent)
def period_dates(obj):
    """ISO dates of the record's activities; types that are never counted are left out of the index."""
    dates = record_dates(obj)
    if not dates:
        raise AttributeError("period_dates")
    return dates
