"""Refusals of the public forms (each becomes a specific 4xx answer with the message shown)."""


class FrontDoorError(Exception):
    """A submission was refused; the message says why in words the sender understands."""

    status = 400


class TooManySubmissions(FrontDoorError):
    """The same address sent more forms in the last hour than the site accepts."""

    status = 429


class LooksAutomated(FrontDoorError):
    """The honeypot field, invisible to people, was filled in."""


class Unavailable(FrontDoorError):
    """The message could not be passed on (the mail server refused it)."""

    status = 503
