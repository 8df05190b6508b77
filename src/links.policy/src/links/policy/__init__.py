"""Site assembly for a Local Involvement Network built on links.content."""

from zope.i18nmessageid import MessageFactory

_ = MessageFactory("links.policy")
