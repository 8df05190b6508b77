"""Install and uninstall hooks of the site policy."""

import logging
import os

from plone import api
from plone.base.interfaces import INonInstallable
from zope.interface import implementer

from links.content.roles import GROUP_ROLES

logger = logging.getLogger("links.policy")

#: Group id -> title shown in the users and groups control panel.
GROUP_TITLES = {
    "governing-body": "Governing body",
    "complaints-officers": "Complaints officers",
    "independent-reviewers": "Independent reviewers",
    "council-auditors": "Council auditors",
    "authorised-representatives": "Authorised representatives",
    "host-staff": "Host staff",
    "participants": "Participants",
}

#: Environment variable -> (registry record, converter). Read at install so a deployment
#: configures mail without editing the profile; re-run `make create-site` or reinstall to apply changes.
MAIL_ENVIRONMENT = {
    "LINKS_SMTP_HOST": ("plone.smtp_host", str),
    "LINKS_SMTP_PORT": ("plone.smtp_port", int),
    "LINKS_SMTP_USER": ("plone.smtp_userid", str),
    "LINKS_SMTP_PASSWORD": ("plone.smtp_pass", str),
    "LINKS_MAIL_FROM_ADDRESS": ("plone.email_from_address", str),
    "LINKS_MAIL_FROM_NAME": ("plone.email_from_name", str),
}
#: The RFC 3161 timestamp authority every signed PDF gets its timestamp from (links.content.timestamps).
TIMESTAMP_ENVIRONMENT = {
    "LINKS_TSA_URL": ("links.content.timestamps.url", str),
    "LINKS_TSA_USERNAME": ("links.content.timestamps.username", str),
    "LINKS_TSA_PASSWORD": ("links.content.timestamps.password", str),
}


@implementer(INonInstallable)
class HiddenProfiles:
    """Keep the uninstall and demo profiles out of the add-ons control panel."""

    def getNonInstallableProfiles(self):
        return ["links.policy:uninstall"]

    def getNonInstallableProducts(self):
        return ["links.policy.upgrades"]


def create_groups():
    """Create the network's groups, each holding its site role; safe to run again."""
    for group_id, role in GROUP_ROLES.items():
        group = api.group.get(groupname=group_id)
        if group is None:
            api.group.create(groupname=group_id, title=GROUP_TITLES[group_id], roles=[role])
        else:
            api.group.grant_roles(groupname=group_id, roles=[role])


def apply_site_settings(environ=os.environ):
    """Title from LINKS_SITE_TITLE, mail settings from LINKS_SMTP_* / LINKS_MAIL_FROM_*, the timestamp
    authority from LINKS_TSA_*."""
    title = environ.get("LINKS_SITE_TITLE")
    if title:
        api.portal.set_registry_record("plone.site_title", title)
        api.portal.get().title = title
    for variable, (record, convert) in (MAIL_ENVIRONMENT | TIMESTAMP_ENVIRONMENT).items():
        value = environ.get(variable)
        if value:
            api.portal.set_registry_record(record, convert(value))


def post_install(context):
    """Groups and environment-driven settings that XML cannot express."""
    create_groups()
    apply_site_settings()


def uninstall(context):
    """Remove the groups this policy created (their members keep their accounts)."""
    for group_id in GROUP_ROLES:
        if api.group.get(groupname=group_id) is not None:
            api.group.delete(groupname=group_id)
