"""Refuse to start a production instance with demo credentials.

The development buildout creates the Zope ``admin`` user with the password ``admin``.
A production buildout sets ``LINKS_PRODUCTION=1``; if the root user folder still accepts
that password, starting the server is refused before it listens on any port.
"""

import logging
import os

logger = logging.getLogger("links.policy")

DEMO_ADMIN = ("admin", "admin")


class DemoCredentialsError(RuntimeError):
    """The instance is configured for production but still has the demo admin password."""


def accepts_demo_admin(app):
    """Return True when the root user folder authenticates the demo admin credentials.

    A buildout's root is a plain Zope user folder; a PluggableAuthService root (tests, some
    deployments) is asked through its authentication plugins.
    """
    user_folder = app.acl_users
    login, password = DEMO_ADMIN
    plugins = getattr(user_folder, "plugins", None)
    if plugins is None:
        return user_folder.authenticate(login, password, None) is not None
    from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin

    credentials = {"login": login, "password": password}
    return any(
        plugin.authenticateCredentials(credentials)
        for _id, plugin in plugins.listPlugins(IAuthenticationPlugin)
    )


def check_production_credentials(app, environ=os.environ):
    """Raise DemoCredentialsError in production when the demo admin password works.

    :param app: the Zope application root
    :param environ: the process environment (a mapping; injectable for tests)
    :raises DemoCredentialsError: production mode and the demo password is accepted
    """
    if environ.get("LINKS_PRODUCTION") not in ("1", "true", "yes"):
        return
    if accepts_demo_admin(app):
        raise DemoCredentialsError(
            "Refusing to start: this is a production instance (LINKS_PRODUCTION=1) and the Zope "
            "user 'admin' still has the demo password 'admin'. Set a real one with "
            "`bin/instance adduser admin '<a long passphrase>'` and start again."
        )


def refuse_demo_credentials_in_production(event):
    """IProcessStarting subscriber: stop the process instead of serving with demo credentials."""
    if os.environ.get("LINKS_PRODUCTION") not in ("1", "true", "yes"):
        return
    import Zope2

    app = Zope2.app()
    try:
        check_production_credentials(app)
    except DemoCredentialsError as error:
        logger.critical(str(error))
        raise SystemExit(str(error)) from error
    finally:
        app._p_jar.close()
