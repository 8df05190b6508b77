"""1011 -> 1012: complaints open on the lean record view (#20).

The default "view" renders every one of a complaint's forty fields through a z3c.form display widget; the
record view (links.content.records.views.FieldsView) prints them as text with dates in words, keeps each
field's read permission, and takes about four fifths of the server time, as much as a plain page
(benchmarks/bench_read.py). Only the type information changes: complaints given a layout of their own keep
it.
"""

from plone import api

VIEW = "record-view"


def complaint_record_view(context=None):
    fti = api.portal.get_tool("portal_types").getTypeInfo("Complaint")
    if fti is None:
        return
    methods = tuple(fti.view_methods or ())
    if VIEW not in methods:
        fti.view_methods = (VIEW, *methods)
    fti.default_view = VIEW
