"""REST: ``GET /@register-of-interests`` — the public register as JSON (sensitive details never leave)."""

from plone.restapi.services import Service
from zope.i18n import translate

from links.content.declarations import api as declarations_api


class RegisterGet(Service):
    """The same entries as the @@register-of-interests page, with ISO dates."""

    def reply(self):
        items = []
        for entry in declarations_api.register_entries():
            item = {}
            for key, value in entry.items():
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                elif key == "statement":
                    value = translate(value, context=self.request)
                elif key == "categories":
                    value = [{**c, "title": translate(c["title"], context=self.request)} for c in value]
                elif key == "nhs_groupings":
                    value = [translate(title, context=self.request) for title in value]
                item[key] = value
            items.append(item)
        return {
            "@id": f"{self.context.absolute_url()}/@register-of-interests",
            "items": items,
            "items_total": len(items),
        }
