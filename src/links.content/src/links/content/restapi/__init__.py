"""plone.restapi adaptations shared by every record type."""
