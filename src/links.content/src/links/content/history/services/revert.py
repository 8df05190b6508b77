"""POST <record>/@revert {"version": N}: revert, saving the result as a new version."""

from plone import api as ploneapi
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides

from links.content.history import api
from links.content.history.exceptions import NoSuchVersion
from links.content.restapi.body import json_object


class RevertPost(Service):
    """Revert to an earlier version; history stays append-only."""

    def reply(self):
        # plone.protect off for API calls: a cookie-authenticated one was checked by restapi/csrf.py.
        alsoProvides(self.request, IDisableCSRFProtection)
        body = json_object(self.request, '{"version": <version id>}')
        version = body.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise BadRequest(
                'Send {"version": <version id>} with the whole-number id of the version to go back to.'
            )
        try:
            new_id = api.revert(self.context, version, actor=ploneapi.user.get_current().getId())
        except NoSuchVersion as error:
            raise BadRequest(str(error)) from None
        return {
            "reverted_to": version,
            "version": new_id,
            "versions": [api.to_json(v) for v in api.versions(self.context)],
        }
