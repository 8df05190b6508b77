"""A production instance refuses to start while it is unsafe to serve (#12, #19), and its initial
administrator comes from the environment, never from a prompt."""

import os

import pytest
from AccessControl.userfolder import UserFolder

from links.policy.safety import REQUIRED_KEYS
from links.policy.safety import DemoCredentialsError
from links.policy.safety import check_production_credentials
from links.policy.safety import ensure_initial_admin
from links.policy.safety import initial_admin_password
from links.policy.safety import production_problems

GOOD = "correct horse battery staple"


@pytest.fixture
def production(tmp_path):
    """A production environment whose shared keys folder exists (no site in it yet)."""
    keys = tmp_path / "keys"
    keys.mkdir()
    return {"LINKS_PRODUCTION": "1", "LINKS_KEYS_DIR": str(keys)}


class Root:
    """Stands in for the Zope root: a buildout's root user folder is AccessControl's UserFolder."""

    def __init__(self, user_folder, sites=()):
        self.acl_users = user_folder
        self._sites = list(sites)

    def objectValues(self):
        return self._sites


def root_with_admin(password):
    user_folder = UserFolder()
    user_folder._doAddUser("admin", password, ["Manager"], [])
    return Root(user_folder)


def test_production_refuses_demo_password(production):
    with pytest.raises(DemoCredentialsError, match="demo password"):
        check_production_credentials(root_with_admin("admin"), production)


def test_development_allows_demo_password():
    check_production_credentials(root_with_admin("admin"), {})


def test_production_accepts_a_real_password(production):
    check_production_credentials(root_with_admin(GOOD), production)


def test_pluggable_user_folder_is_checked_too(portal, production):
    """Deployments with a PluggableAuthService root are asked through its authentication plugins."""

    portal.acl_users.source_users.doAddUser("admin", "admin")
    with pytest.raises(DemoCredentialsError):
        check_production_credentials(Root(portal.acl_users), production)


def test_production_names_the_users_with_the_published_demo_password(portal, production):
    for login in ("complaints", "chair"):
        portal.acl_users.source_users.doAddUser(login, "links-demo")
    portal.acl_users.source_users.doAddUser("treasurer", GOOD)
    keys = os.path.join(production["LINKS_KEYS_DIR"], portal.getId())
    os.mkdir(keys)
    for name in REQUIRED_KEYS:
        open(os.path.join(keys, name), "w").close()
    root = Root(root_with_admin(GOOD).acl_users, sites=[portal])
    with pytest.raises(DemoCredentialsError, match=r"'links-demo': chair, complaints \(") as refused:
        check_production_credentials(root, production)
    assert "treasurer" not in str(refused.value)
    assert check_production_credentials(root, {}) is None  # development: demo users are the point


def test_production_refuses_without_the_shared_keys(portal, production):
    root = Root(root_with_admin(GOOD).acl_users, sites=[portal])
    problems = production_problems(root, production)
    assert len(problems) == 1 and "site 'plone': key files missing" in problems[0]
    assert all(name in problems[0] for name in REQUIRED_KEYS)
    unset = production_problems(root, {"LINKS_PRODUCTION": "1"})
    assert any("LINKS_KEYS_DIR (not set) does not exist" in problem for problem in unset)
    gone = production_problems(root, dict(production, LINKS_KEYS_DIR="/nonexistent/keys"))
    assert any("/nonexistent/keys" in problem for problem in gone)


def test_initial_admin_password_from_the_environment_or_an_owner_only_file(tmp_path):
    assert initial_admin_password({}) is None
    assert initial_admin_password({"LINKS_ADMIN_PASSWORD": GOOD}) == GOOD
    secret = tmp_path / "admin-password"
    secret.write_text(GOOD + "\n")
    secret.chmod(0o644)
    with pytest.raises(DemoCredentialsError, match="readable by it only"):
        initial_admin_password({"LINKS_ADMIN_PASSWORD_FILE": str(secret)})
    secret.chmod(0o600)
    assert initial_admin_password({"LINKS_ADMIN_PASSWORD_FILE": str(secret)}) == GOOD
    with pytest.raises(DemoCredentialsError, match="No such file"):
        initial_admin_password({"LINKS_ADMIN_PASSWORD_FILE": str(tmp_path / "missing")})
    with pytest.raises(DemoCredentialsError, match="not a regular file"):
        initial_admin_password({"LINKS_ADMIN_PASSWORD_FILE": str(tmp_path)})
    for weak in ("admin", "links-demo", "short"):
        with pytest.raises(DemoCredentialsError, match="at least 12"):
            initial_admin_password({"LINKS_ADMIN_PASSWORD": weak})


def test_initial_admin_is_added_once_and_only_in_production(production):
    empty = Root(UserFolder())
    assert ensure_initial_admin(empty, {}) is False
    with pytest.raises(DemoCredentialsError, match="no administrator yet"):
        ensure_initial_admin(empty, production)
    assert ensure_initial_admin(empty, dict(production, LINKS_ADMIN_PASSWORD=GOOD)) is True
    assert empty.acl_users.authenticate("admin", GOOD, None) is not None
    assert "Manager" in empty.acl_users.getUser("admin").getRoles()
    # An existing administrator is never replaced from the environment.
    assert (
        ensure_initial_admin(empty, dict(production, LINKS_ADMIN_PASSWORD="another long passphrase")) is False
    )


def test_the_demo_profile_is_refused_in_production(monkeypatch):
    from links.policy.demo import install

    monkeypatch.setenv("LINKS_PRODUCTION", "1")
    with pytest.raises(DemoCredentialsError, match="demo profile"):
        install(None)
