"""Keep ``period_dates`` true after workflow transitions.

Transitions set dates in their subscribers (the day a request is sent, a referral made, a declaration
declared), and DCWorkflow reindexes only its own variables afterwards; ``IActionSucceededEvent`` comes once
every subscriber of the transition has run.
"""

from links.content.periodreport.figures import COUNTED_TYPES
from links.content.periodreport.figures import INDEX


def reindex_dates(obj, event):
    """IActionSucceededEvent: refresh the record's activity days."""
    if getattr(obj, "portal_type", None) in COUNTED_TYPES:
        obj.reindexObject(idxs=[INDEX])
