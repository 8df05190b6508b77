"""Re-authentication resists guessing: each wrong password is audited (who, record, when, address) and
counted; 5 in 15 minutes lock signing for 15 minutes, whatever password is then given; lock and unlock are
audited and the member is e-mailed. Over HTTP (429, Retry-After, Basic auth): test_signing_rest.py."""

from datetime import timedelta

import pytest
from plone import api

from links.content.signing import api as signing
from links.content.signing import lockout
from links.content.signing.exceptions import SigningLocked
from links.content.signing.exceptions import WrongPassword
from links.content.signing.storage import get_store
from links.content.words import utcnow


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(lockout, "utcnow", clock)
    return clock


def _wrong(record, userid="gbm1"):
    signing.sign(record, userid, "not-my-password", "approve", request=record.REQUEST)


def _fail(record, times, userid="gbm1"):
    for _attempt in range(times):
        with pytest.raises(WrongPassword):
            _wrong(record, userid)


def test_the_fifth_failure_locks_and_the_right_password_is_then_refused(
    record, signer, clock, read_events, mailhost
):
    _fail(record, 4)
    with pytest.raises(SigningLocked) as locked:
        _wrong(record)
    assert "locked for your account until" in str(locked.value)
    assert locked.value.until == clock.now + timedelta(minutes=15)
    with pytest.raises(SigningLocked):
        signer(record, "gbm1")  # the right password, during the lock
    assert get_store(record) is None
    failures = [e for e in read_events if e["action"] == "signing.password_failed"]
    assert len(failures) == 5
    assert {e["actor"] for e in failures} == {"gbm1"}
    assert {e["uid"] for e in failures} == {record.UID()}
    assert all("client" in e["details"] and e["timestamp"] for e in failures)
    [lock] = [e for e in read_events if e["action"] == "signing.locked"]
    assert lock["details"]["failures"] == 5 and lock["details"]["window_minutes"] == 15
    assert [e["action"] for e in read_events].count("signing.refused_locked") == 1
    [(to, subject, body)] = mailhost.parsed()
    assert to == "gbm1@example.org" and "locked" in subject and "change it now" in body


def test_guesses_during_a_lock_write_nothing_more(record, clock):
    _fail(record, 4)
    with pytest.raises(SigningLocked):
        _wrong(record)
    before = lockout._own_transaction(lambda site: lockout._state(site, "gbm1"))
    for _guess in range(3):
        lockout.record_failure("gbm1", "basic-auth")
    assert lockout._own_transaction(lambda site: lockout._state(site, "gbm1")) == before


def test_failures_outside_the_window_do_not_count(record, clock):
    _fail(record, 4)
    clock.advance(minutes=16)
    _fail(record, 4)  # 4 within the window again: still not locked
    clock.advance(minutes=1)
    with pytest.raises(SigningLocked):
        _wrong(record)


def test_the_lock_ends_by_itself_and_the_end_is_audited(record, signer, clock, read_events):
    _fail(record, 4)
    with pytest.raises(SigningLocked):
        _wrong(record)
    clock.advance(minutes=14)
    with pytest.raises(SigningLocked):
        signer(record, "gbm1")
    clock.advance(minutes=2)
    signature = signer(record, "gbm1")
    assert signature["signer"] == "gbm1"
    [unlock] = [e for e in read_events if e["action"] == "signing.unlocked"]
    assert unlock["details"]["member"] == "gbm1" and unlock["details"]["early"] is False


def test_one_members_lock_does_not_touch_another(record, signer, clock):
    _fail(record, 4)
    with pytest.raises(SigningLocked):
        _wrong(record)
    assert signer(record, "gbm2")["signer"] == "gbm2"


def test_the_limits_come_from_the_registry(record, clock):
    api.portal.set_registry_record(lockout.ATTEMPTS_RECORD, 2)
    api.portal.set_registry_record(lockout.MINUTES_RECORD, 60)
    _fail(record, 1)
    with pytest.raises(SigningLocked) as locked:
        _wrong(record)
    assert locked.value.until == clock.now + timedelta(minutes=60)


def test_an_administrator_lifts_a_lock_early(record, signer, clock, read_events, mailhost):
    _fail(record, 4)
    with pytest.raises(SigningLocked):
        _wrong(record)
    mailhost.reset()
    assert lockout.unlock("gbm1", actor="admin") is True
    assert lockout.unlock("gbm1", actor="admin") is False  # nothing left to lift
    assert signer(record, "gbm1")["signer"] == "gbm1"
    [unlock] = [e for e in read_events if e["action"] == "signing.unlocked"]
    assert unlock["actor"] == "admin" and unlock["details"]["early"] is True
    assert len(mailhost.messages) == 1


def test_the_counters_outlive_the_failed_request(portal, record, clock):
    """The request that failed is doomed (nothing it did is kept), yet its failure counts."""
    import transaction

    _fail(record, 3)
    transaction.doom()
    transaction.abort()
    assert lockout.record_failure("gbm1", "sign") == (1, None)
