"""Records of a Local Involvement Network: what a record is and how it is governed."""


def __getattr__(name: str):
    """``from links.content import _`` (the i18n message factory), made on first use, so the offline
    verifiers that import this package's pure modules load nothing from Zope."""
    if name == "_":
        from zope.i18nmessageid import MessageFactory

        globals()["_"] = factory = MessageFactory("links.content")
        return factory
    raise AttributeError(name)
