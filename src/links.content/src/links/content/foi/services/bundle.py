"""<request>/@disclosure-bundle: GET the sealed manifest, POST {"items": [...]} to build the bundle."""

import transaction
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides

from links.content.foi import api
from links.content.foi.exceptions import InvalidSelection
from links.content.restapi.body import json_object
from links.content.timestamps.exceptions import TimestampError


class BundleGet(Service):
    def reply(self):
        manifest = api.bundle_manifest(self.context)
        if manifest is None:
            self.request.response.setStatus(404)
            return {
                "type": "NotFound",
                "message": "No disclosure bundle has been built for this request yet.",
            }
        return {"manifest": manifest, "pdf": f"{self.context.absolute_url()}/@@disclosure-bundle.pdf"}


class BundlePost(Service):
    def reply(self):
        # plone.protect off for API calls: a cookie-authenticated one was checked by restapi/csrf.py.
        alsoProvides(self.request, IDisableCSRFProtection)
        body = json_object(self.request, '{"items": [{"uid": <record UID>, "version": <optional>}]}')
        items = body.get("items")
        if not isinstance(items, list) or not items:
            raise BadRequest(
                'Send {"items": [{"uid": <record UID>, "version": <version id, optional>}, ...]}.'
            )
        try:
            manifest = api.build_bundle(self.context, items)
        except InvalidSelection as error:
            raise BadRequest(str(error)) from None
        except TimestampError as error:  # the sealed PDF needs a timestamp; nothing was built
            transaction.doom()
            self.request.response.setStatus(503)
            return {"type": "TimestampError", "message": str(error)}
        self.request.response.setStatus(201)
        return {"manifest": manifest, "pdf": f"{self.context.absolute_url()}/@@disclosure-bundle.pdf"}
