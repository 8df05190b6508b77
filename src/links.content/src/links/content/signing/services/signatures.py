"""GET <record>/@signatures — every signature with its verification status, the quorum status and
the URL of the signed PDF (served by the ``@@signed-pdf`` browser view: a JSON service cannot
answer with PDF bytes)."""

from plone import api
from plone.restapi.services import Service

from links.content.integrity import key_fingerprint
from links.content.keys.api import public_key
from links.content.keys.api import public_key_pem
from links.content.keys.exceptions import KeyMissing
from links.content.signing import api as signing


class SignaturesGet(Service):
    """List the context's signatures."""

    def reply(self):
        url = self.context.absolute_url()
        signoff = signing.latest_signoff(self.context)
        try:
            items = signing.signatures(self.context)
            key_pem, fingerprint = public_key_pem().decode("ascii"), key_fingerprint(public_key())
        except KeyMissing as error:
            self.request.response.setStatus(503)
            return {"type": "KeyMissing", "message": str(error)}
        return {
            "@id": f"{url}/@signatures",
            "items": items,
            "recusals": signing.recusals(
                self.context, details=api.user.has_permission("links.content: Sign records", obj=self.context)
            ),
            "status": signing.status(self.context),
            "signed_pdf": f"{url}/@@signed-pdf" if signoff else None,
            "public_key": key_pem,
            "key_fingerprint": fingerprint,
        }
