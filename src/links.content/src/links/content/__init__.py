"""Records of a Local Involvement Network: what a record is and how it is governed."""

from zope.i18nmessageid import MessageFactory

_ = MessageFactory("links.content")
