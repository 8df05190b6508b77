"""Re-authentication that resists guessing: failed passwords are audited and too many lock signing.

Signing asks for the member's password again, so a stolen session (or anyone able to try Basic-auth
logins) could otherwise use ``@sign`` to guess it without limit. Every failure — a wrong password at
``@sign`` or on the sign form, or a failed HTTP Basic login — is written to the read-event store (who,
which record, when, from which address; ``links.content.audit.api.record_read``) and counted. After
``lockout_attempts`` failures within ``lockout_window`` minutes, signing is refused for ``lockout_minutes``
minutes whatever password is given (registry ``links.content.signing.*``; 5, 15 and 15 by default). The
lock and its end are audited, and the member is e-mailed when signing is locked (with the time it ends)
and when an administrator lifts it early.

The counters must survive the failed request, whose transaction is doomed so that nothing else it did
is kept, and must be shared by every Zope process of the site: they are written to the site's
annotations through a connection and transaction of their own, committed at once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import transaction
from plone import api
from ZODB.POSException import ConflictError
from ZODB.utils import z64
from zope.component.hooks import getSite

from links.content.annotations import annotated_tree
from links.content.signing.exceptions import SigningLocked
from links.content.words import as_datetime
from links.content.words import format_datetime
from links.content.words import fullname
from links.content.words import plural
from links.content.words import utcnow

logger = logging.getLogger(__name__)

KEY = "links.content.signing.lockout"
ATTEMPTS_RECORD = "links.content.signing.lockout_attempts"
WINDOW_RECORD = "links.content.signing.lockout_window"
MINUTES_RECORD = "links.content.signing.lockout_minutes"
#: Failures kept per user (only the ones inside the window count; the rest are dropped).
MAX_KEPT = 50


def settings() -> tuple[int, int, int]:
    """(failures that lock, window in minutes, lock in minutes), from the registry, bounded to sane values."""

    def number(name, default, low, high):
        try:
            value = int(api.portal.get_registry_record(name, default=default) or default)
        except (TypeError, ValueError):
            value = default
        return max(low, min(value, high))

    return (
        number(ATTEMPTS_RECORD, 5, 1, MAX_KEPT),
        number(WINDOW_RECORD, 15, 1, 24 * 60),
        number(MINUTES_RECORD, 15, 1, 7 * 24 * 60),
    )


# -- a transaction of our own ----------------------------------------------------------------------------
def _own_transaction(func):
    """Run ``func(site)`` against the site as committed, in a connection of its own, and commit at once.

    The request's transaction may be doomed or aborted (it failed); what this writes stays. Retried on a
    conflict with another process counting the same user.
    """
    site = api.portal.get()
    jar = getattr(site, "_p_jar", None)
    if jar is None or getattr(site, "_p_serial", z64) == z64:
        # A site still being created (never committed): nothing outside this transaction sees it anyway.
        return func(site)
    manager = transaction.TransactionManager()
    connection = jar.db().open(transaction_manager=manager)
    try:
        for attempt in range(5):
            manager.begin()
            try:
                result = func(connection.get(site._p_oid))
                manager.commit()
                return result
            except ConflictError:
                manager.abort()
                if attempt == 4:
                    raise
    finally:
        manager.abort()
        connection.close()


def _tree(site, create: bool = False):
    return annotated_tree(site, KEY, create)


def _state(site, userid: str) -> dict:
    tree = _tree(site)
    return dict(tree.get(userid) or {}) if tree is not None else {}


# -- auditing and mail -----------------------------------------------------------------------------------
def _client(request) -> str:
    try:
        return request.getClientAddr() or ""
    except Exception:  # no request (scripts, tests)
        return ""


def _audit(action: str, userid: str | None, obj=None, **details) -> None:
    from links.content.audit.api import record_read

    try:
        record_read(action, obj, details, actor=userid or "Anonymous User")
    except Exception:  # the lock itself must hold even when the audit folder is unwritable
        logger.exception("Could not record %s for %s", action, userid)


def _mail(userid: str, subject: str, body: str) -> None:
    """E-mail the member now (the lock is already committed in its own transaction)."""
    user = api.user.get(userid=userid)
    address = user.getProperty("email") if user is not None else None
    if not address:
        logger.warning("No e-mail address to tell %s: %s", userid, subject)
        return
    try:
        api.portal.send_email(recipient=address, subject=subject, body=body, immediate=True)
    except Exception:
        logger.exception("Could not e-mail %s: %s", userid, subject)


# -- the rules ------------------------------------------------------------------------------------------
def locked_until(userid: str):
    """When the member's signing lock ends (an aware datetime), or None when signing is not locked.

    A lock found to have ended is recorded as lifted (audited) on the way.
    """
    state = _own_transaction(lambda site: _state(site, userid))
    until = as_datetime(state.get("locked_until"))
    if until is None:
        return None
    if until > utcnow():
        return until
    _lift(userid, by=None)
    return None


def refusal(until) -> SigningLocked:
    """The error a locked member gets, saying until when."""
    until = as_datetime(until)
    return SigningLocked(
        f"Signing is locked for your account until {format_datetime(until, zone=True)}, because the password "
        "was entered wrongly too many times. Try again after that time; if it was not you, change your "
        "password and tell the network's administrator.",
        until=until,
    )


def ensure_not_locked(userid: str, obj=None, request=None) -> None:
    """Refuse while the member's signing is locked.

    :raises SigningLocked: with the time the lock ends (the attempt is audited)
    """
    until = locked_until(userid)
    if until is None:
        return
    _audit("signing.refused_locked", userid, obj, until=until.isoformat(), client=_client(request))
    raise refusal(until)


def record_failure(userid: str, kind: str, obj=None, request=None) -> tuple[int, str | None]:
    """Audit and count one failed password of ``userid``; lock signing when there are too many.

    :param userid: whose password was wrong
    :param kind: ``"sign"`` (re-entry at ``@sign`` or the sign form) or ``"basic-auth"``
    :param obj: the record being signed, if any
    :returns: ``(left, until)``: how many more failures the member has before signing is locked, and
        when the lock this failure started ends (ISO; None when it started none)
    """
    attempts, window, minutes = settings()
    now = utcnow()

    def count(site) -> tuple[int, str | None]:
        tree = _tree(site, create=True)
        state = dict(tree.get(userid) or {})
        until = as_datetime(state.get("locked_until"))
        if until is not None and until > now:
            return attempts, None  # already locked: nothing more to count (and no write per guess)
        since = now - timedelta(minutes=window)
        failures = [t for t in state.get("failures", ()) if as_datetime(t) > since][-(MAX_KEPT - 1) :]
        failures.append(now.isoformat())
        state["failures"] = failures
        newly_locked = None
        if len(failures) >= attempts:
            newly_locked = (now + timedelta(minutes=minutes)).isoformat()
            state.update(locked_until=newly_locked, locked_at=now.isoformat(), failures=[])
        tree[userid] = state
        return len(failures), newly_locked

    failures, newly_locked = _own_transaction(count)
    client = _client(request)
    if kind == "sign":
        _audit("signing.password_failed", userid, obj, client=client, failures_in_window=failures)
    if newly_locked:
        _audit(
            "signing.locked",
            userid,
            obj,
            until=newly_locked,
            failures=attempts,
            window_minutes=window,
            client=client,
        )
        _mail(
            userid,
            "Signing is locked on your account",
            f"Your password was entered wrongly {plural(attempts, 'time')} within {plural(window, 'minute')} "
            f"(the last time from {client or 'an unknown address'}), so signing records is locked on your "
            f"account until {format_datetime(newly_locked, zone=True)}.\n\n"
            "If this was you, wait until then and sign again. If it was not, someone may be trying to guess "
            "your password: change it now and tell the network's administrator.\n",
        )
        return 0, newly_locked
    return max(0, attempts - failures), None


def _lift(userid: str, by: str | None) -> bool:
    def lift(site) -> str | None:
        tree = _tree(site)
        state = dict(tree.get(userid) or {}) if tree is not None else {}
        until = state.pop("locked_until", None)
        if until is None:
            return None
        state.pop("locked_at", None)
        state["failures"] = []
        tree[userid] = state
        return until

    until = _own_transaction(lift)
    if until is None:
        return False
    ended = as_datetime(until) <= utcnow()
    _audit("signing.unlocked", by or userid, None, member=userid, locked_until=until, early=not ended)
    if not ended:
        _mail(
            userid,
            "Signing is unlocked on your account",
            f"{fullname(by) or 'An administrator'} has lifted the lock on signing records on your account. "
            "You can sign again now.\n",
        )
    return True


def unlock(userid: str, actor: str) -> bool:
    """Lift a member's signing lock before it ends (an administrator's decision; audited, member e-mailed).

    :returns: False when signing was not locked
    """
    return _lift(userid, by=actor)


def reset(userid: str | None = None) -> None:
    """Forget the failures and locks of one member (or of everyone): for tests and site maintenance."""

    def clear(site):
        tree = _tree(site)
        if tree is None:
            return
        for key in [userid] if userid else list(tree.keys()):
            tree.pop(key, None)

    _own_transaction(clear)


# -- failed HTTP Basic logins ---------------------------------------------------------------------------
def basic_auth_failed(event) -> None:
    """End of every request: a Basic ``Authorization`` header that did not log anyone in is a failed login.

    Audited like a failed form login, and counted against the member whose login name it gave.
    """
    if getattr(event, "retry", False):
        return  # a conflict retry: the same request comes again
    request = event.request
    try:
        credentials = request._authUserPW()
        if not credentials:
            return
        login = str(credentials[0] or "")[:200]
        user = request.get("AUTHENTICATED_USER")
        if user is not None and login and login in (user.getUserName(), user.getId()):
            return
        site = getSite()
        if site is None or getattr(site, "portal_type", None) != "Plone Site":
            return
        _audit(
            "login.failed",
            None,
            None,
            login=login,
            client=_client(request),
            via="basic-auth",
            url=str(request.get("ACTUAL_URL", ""))[:500],
        )
        member = api.user.get(username=login) if login else None
        if member is not None:
            record_failure(member.getId(), "basic-auth", request=request)
    except Exception:  # auditing must never break the response
        logger.exception("Could not record a failed Basic-auth login")
