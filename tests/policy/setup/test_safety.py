"""A production instance refuses to start while the Zope admin has the demo password."""

import pytest
from AccessControl.userfolder import UserFolder

from links.policy.safety import DemoCredentialsError
from links.policy.safety import check_production_credentials

PRODUCTION = {"LINKS_PRODUCTION": "1"}


class Root:
    """Stands in for the Zope root: a buildout's root user folder is AccessControl's UserFolder."""

    def __init__(self, user_folder):
        self.acl_users = user_folder


def root_with_admin(password):
    user_folder = UserFolder()
    user_folder._doAddUser("admin", password, ["Manager"], [])
    return Root(user_folder)


def test_production_refuses_demo_password():
    with pytest.raises(DemoCredentialsError, match="demo password"):
        check_production_credentials(root_with_admin("admin"), PRODUCTION)


def test_development_allows_demo_password():
    check_production_credentials(root_with_admin("admin"), {})


def test_production_accepts_a_real_password():
    check_production_credentials(root_with_admin("correct horse battery staple"), PRODUCTION)


def test_pluggable_user_folder_is_checked_too(portal):
    """Deployments with a PluggableAuthService root are asked through its authentication plugins."""

    portal.acl_users.source_users.doAddUser("admin", "admin")
    with pytest.raises(DemoCredentialsError):
        check_production_credentials(Root(portal.acl_users), PRODUCTION)
