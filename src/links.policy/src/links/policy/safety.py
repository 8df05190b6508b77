"""Refuse to start a production instance that is not safe to serve.

A production buildout sets ``LINKS_PRODUCTION=1``. Before the server listens on any port, one gate
(``production_problems``) lists everything that would make serving unsafe, and the process stops with a
message naming each problem:

- the root user folder still accepts the development ``admin``/``admin``;
- any user of any site still logs in with the demo password published in the README (``links-demo``);
  the demo profile's accounts must never survive into production (issue #12);
- the keys folder (``LINKS_KEYS_DIR``, a folder shared by every instance) is missing, or a site's seal key or
  PDF certificate is not in it: an instance serving without them would fail every signature, and one that
  made new keys would call every existing seal invalid.

The initial administrator of a production deployment comes from the environment, never from an
interactive prompt (``initial_admin_password``): ``LINKS_ADMIN_PASSWORD`` or a file named by
``LINKS_ADMIN_PASSWORD_FILE`` that only its owner can read.
"""

import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger("links.policy")

DEMO_ADMIN = ("admin", "admin")
#: The password the demo profile gives its users (links.policy.demo.users), published in the README.
DEMO_PASSWORD = "links-demo"
#: The files every site needs in its keys folder (links.content.keys.api).
REQUIRED_KEYS = ("seal-ed25519.pem", "pdf-signing-key.pem", "pdf-signing-cert.pem")
MIN_ADMIN_PASSWORD = 12


class DemoCredentialsError(RuntimeError):
    """The instance is configured for production but is not safe to serve."""


def is_production(environ=os.environ) -> bool:
    return environ.get("LINKS_PRODUCTION", "").strip().lower() in ("1", "true", "yes", "on")


def _authenticates(user_folder, login: str, password: str) -> bool:
    plugins = getattr(user_folder, "plugins", None)
    if plugins is None:
        return user_folder.authenticate(login, password, None) is not None
    from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin

    credentials = {"login": login, "password": password}
    return any(
        plugin.authenticateCredentials(credentials)
        for _id, plugin in plugins.listPlugins(IAuthenticationPlugin)
    )


def accepts_demo_admin(app):
    """Return True when the root user folder authenticates the demo admin credentials.

    A buildout's root is a plain Zope user folder; a PluggableAuthService root (tests, some
    deployments) is asked through its authentication plugins.
    """
    login, password = DEMO_ADMIN
    return _authenticates(app.acl_users, login, password)


def plone_sites(app):
    from Products.CMFPlone.Portal import PloneSite

    return [obj for obj in app.objectValues() if isinstance(obj, PloneSite)]


def demo_password_users(site) -> list[str]:
    """Logins of the site's users that the demo password still opens."""
    source = getattr(site.acl_users, "source_users", None)
    if source is None:
        return []
    logins = [source.getLoginForUserId(user_id) for user_id in source.listUserIds()]
    return sorted(
        login
        for login in logins
        if source.authenticateCredentials({"login": login, "password": DEMO_PASSWORD})
    )


def missing_keys(site_id: str, environ=os.environ) -> list[str]:
    """Key files the site lacks in ``$LINKS_KEYS_DIR/<site id>/`` (all of them without that folder)."""
    base = environ.get("LINKS_KEYS_DIR", "")
    folder = Path(base) / site_id
    return [str(folder / name) for name in REQUIRED_KEYS if not base or not (folder / name).is_file()]


def production_problems(app, environ=os.environ) -> list[str]:
    """Everything that makes this production instance unsafe to serve (empty: safe, or not production)."""
    if not is_production(environ):
        return []
    problems = []
    if accepts_demo_admin(app):
        problems.append(
            "the Zope user 'admin' still has the demo password 'admin': set a real one with "
            "`bin/instance adduser admin '<a long passphrase>'`"
        )
    keys_base = environ.get("LINKS_KEYS_DIR", "")
    if not keys_base or not Path(keys_base).is_dir():
        problems.append(
            f"the keys folder LINKS_KEYS_DIR ({keys_base or 'not set'}) does not exist: mount the shared "
            "keys folder there (profiles/production.cfg [settings] keys-dir)"
        )
    for site in plone_sites(app):
        users = demo_password_users(site)
        if users:
            problems.append(
                f"site '{site.getId()}': these users still log in with the published demo password "
                f"'{DEMO_PASSWORD}': {', '.join(users)} (remove them or set their passwords)"
            )
        if keys_base and Path(keys_base).is_dir():
            missing = missing_keys(site.getId(), environ)
            if missing:
                problems.append(f"site '{site.getId()}': key files missing: {', '.join(missing)}")
    return problems


def check_production_credentials(app, environ=os.environ):
    """Raise DemoCredentialsError naming every problem of a production instance.

    :param app: the Zope application root
    :param environ: the process environment (a mapping; injectable for tests)
    :raises DemoCredentialsError: production mode and something is unsafe
    """
    problems = production_problems(app, environ)
    if problems:
        raise DemoCredentialsError(
            "Refusing to start: this is a production instance (LINKS_PRODUCTION=1) and "
            + "; ".join(problems)
            + "."
        )


def refuse_demo_credentials_in_production(event):
    """IProcessStarting subscriber: stop the process instead of serving unsafely."""
    if not is_production():
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


def initial_admin_password(environ=os.environ) -> str | None:
    """The initial administrator's password from ``LINKS_ADMIN_PASSWORD`` or ``LINKS_ADMIN_PASSWORD_FILE``.

    The file must be a regular file owned by this process's user and readable by nobody else (mode 0600
    or 0400), so that the secret never sits in a world-readable place.

    :returns: the password, or None when neither is set
    :raises DemoCredentialsError: the file is unsafe or unreadable, or the password is a demo one or short
    """
    password = environ.get("LINKS_ADMIN_PASSWORD")
    path = environ.get("LINKS_ADMIN_PASSWORD_FILE")
    if not password and path:
        try:
            info = os.stat(path)
        except OSError as error:
            raise DemoCredentialsError(f"LINKS_ADMIN_PASSWORD_FILE {path}: {error.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise DemoCredentialsError(f"LINKS_ADMIN_PASSWORD_FILE {path} is not a regular file")
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise DemoCredentialsError(
                f"LINKS_ADMIN_PASSWORD_FILE {path} must belong to this user and be readable by it only "
                f"(chmod 600); it has mode {stat.filemode(info.st_mode)}"
            )
        password = Path(path).read_text(encoding="utf-8").strip()
    if not password:
        return None
    if password in (DEMO_ADMIN[1], DEMO_PASSWORD) or len(password) < MIN_ADMIN_PASSWORD:
        raise DemoCredentialsError(
            f"the initial administrator's password must not be a demo password and needs at least "
            f"{MIN_ADMIN_PASSWORD} characters"
        )
    return password


def ensure_initial_admin(app, environ=os.environ) -> bool:
    """Production: add the Zope root administrator from the environment when the root has no user.

    :returns: True when the administrator was added
    :raises DemoCredentialsError: production, no root user and no usable password given
    """
    if not is_production(environ):
        return False
    user_folder = app.acl_users
    if user_folder.getUserNames():
        return False
    password = initial_admin_password(environ)
    if password is None:
        raise DemoCredentialsError(
            "this production deployment has no administrator yet: give the initial one's password in "
            "LINKS_ADMIN_PASSWORD or in a file (mode 600) named by LINKS_ADMIN_PASSWORD_FILE"
        )
    name = environ.get("LINKS_ADMIN_USER") or DEMO_ADMIN[0]
    user_folder._doAddUser(name, password, ["Manager"], [])
    logger.info("Added the initial Zope administrator %r from the environment", name)
    return True
