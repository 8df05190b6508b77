"""Daily reminders: due soon and overdue, each sent once, queued through Plone's MailHost."""

import email
import email.policy
import importlib.util
from datetime import date
from pathlib import Path

import pytest
import transaction
from plone import api
from Products.CMFPlone.tests.utils import MockMailHost
from zope.interface import alsoProvides

from links.content import testing as links_testing
from links.content.clocks import api as clocks
from links.content.clocks.reminders import send_reminders
from links.content.interfaces import IConfidentialRecord
from links.content.roles import COMPLAINTS_OFFICER

from .conftest import add_user
from .conftest import enable_clocks_on_documents

SCRIPT = Path(__file__).parents[3] / "scripts" / "send_reminders.py"


class RecordingMailHost(MockMailHost):
    """Collects messages and whether each was asked to leave immediately (it must not)."""

    def reset(self):
        super().reset()
        self.immediate = []

    def send(self, messageText, mto=None, mfrom=None, subject=None, encode=None, immediate=False, **kw):
        self.immediate.append(immediate)
        return super().send(messageText, mto, mfrom, subject, encode, immediate, **kw)


def install_mailhost(portal):
    return links_testing.install_mailhost(portal, RecordingMailHost("MailHost"))


def make_record(portal, record_id, clock, started, responsible="officer"):
    with api.env.adopt_roles(["Manager"]):
        doc = api.content.create(container=portal, type="Document", id=record_id, title=f"Record {record_id}")
        doc.responsible = responsible
        clocks.start(doc, clock, started=started, actor="officer")
    return doc


@pytest.fixture
def mailhost(portal):
    enable_clocks_on_documents(portal)
    with api.env.adopt_roles(["Manager"]):
        add_user("officer", [COMPLAINTS_OFFICER], email="officer@example.org")
    return install_mailhost(portal)


def parsed(mailhost):
    return [email.message_from_bytes(raw, policy=email.policy.default) for raw in mailhost.messages]


def recipients(mailhost):
    return [str(message["To"]) for message in parsed(mailhost)]


def test_due_soon_then_overdue_each_once(portal, mailhost):
    # foi-response received Monday 3 June 2024 is due Monday 1 July 2024; reminder window 3 days.
    doc = make_record(portal, "foi", "foi-response", date(2024, 6, 3))
    assert send_reminders(portal, today=date(2024, 6, 27)) == []  # due in 4 days: not yet
    sent = send_reminders(portal, today=date(2024, 6, 28))
    assert sent == [("/plone/foi", "foi-response", "due_soon")]
    assert recipients(mailhost) == ["officer@example.org"]
    message = parsed(mailhost)[0]
    assert str(message["Subject"]) == "Due 1 July 2024: Answer the freedom of information request"
    body = message.get_content()
    assert "is due on 1 July 2024 (in 3 days)" in body and "Record foi" in body
    assert "How the date was worked out: Received Monday 3 June 2024." in body
    assert mailhost.immediate == [False]  # queued: leaves with the transaction's commit

    assert send_reminders(portal, today=date(2024, 6, 28)) == []  # never twice for the same event
    assert send_reminders(portal, today=date(2024, 6, 30)) == []
    assert send_reminders(portal, today=date(2024, 7, 2)) == [("/plone/foi", "foi-response", "overdue")]
    assert str(parsed(mailhost)[-1]["Subject"]) == "Overdue: Answer the freedom of information request"
    assert send_reminders(portal, today=date(2024, 7, 3)) == []
    assert len(mailhost.messages) == 2
    assert clocks.get(doc, "foi-response").reminders_sent == {
        ("due_soon", date(2024, 7, 1)),
        ("overdue", date(2024, 7, 1)),
    }


def test_a_moved_due_date_is_a_new_event(portal, mailhost, manager):
    doc = make_record(portal, "foi", "foi-response", date(2024, 6, 3))
    send_reminders(portal, today=date(2024, 7, 2))
    clocks.extend(
        doc,
        "foi-response",
        until=date(2024, 7, 10),
        reason="Public interest test",
        actor="officer",
        on=date(2024, 7, 1),  # decided on the due date (recorded late, by a Manager)
    )
    assert send_reminders(portal, today=date(2024, 7, 4)) == []
    assert send_reminders(portal, today=date(2024, 7, 8)) == [("/plone/foi", "foi-response", "due_soon")]
    assert len(mailhost.messages) == 2


def test_met_paused_and_later_clocks_are_not_reminded(portal, mailhost, manager):
    met = make_record(portal, "met", "foi-response", date(2024, 6, 3))
    clocks.stop(met, "foi-response", on=date(2024, 6, 20))
    paused = make_record(portal, "paused", "foi-response", date(2024, 6, 3))
    clocks.pause(
        paused, "foi-response", reason="Fee notice sent", actor="officer", on=date(2024, 6, 5), kind="fee"
    )
    make_record(portal, "later", "declaration-review", date(2024, 6, 3))
    assert send_reminders(portal, today=date(2024, 7, 2)) == []
    assert mailhost.messages == []


def test_no_address_means_nothing_sent_and_nothing_remembered(portal, mailhost):
    doc = make_record(portal, "foi", "foi-response", date(2024, 6, 3), responsible="nobody-known")
    assert send_reminders(portal, today=date(2024, 7, 2)) == []
    assert clocks.get(doc, "foi-response").reminders_sent == frozenset()


def test_confidential_record_title_stays_out_of_the_mail(portal, mailhost):
    doc = make_record(portal, "case", "foi-response", date(2024, 6, 3))
    doc.title = "Complaint by Jane Example"
    alsoProvides(doc, IConfidentialRecord)
    send_reminders(portal, today=date(2024, 7, 2))
    body = parsed(mailhost)[0].get_content()
    assert "Jane Example" not in body and "a confidential record" in body


def load_script():
    spec = importlib.util.spec_from_file_location("send_reminders_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_sends_and_commits(functional, capsys):
    app, portal = functional["app"], functional["portal"]
    enable_clocks_on_documents(portal)
    with api.env.adopt_roles(["Manager"]):
        add_user("officer", [COMPLAINTS_OFFICER], email="officer@example.org")
    mailhost = install_mailhost(portal)
    make_record(portal, "foi", "foi-response", date(2024, 6, 3))  # long overdue
    transaction.commit()
    script = load_script()
    assert script.site_id_from(["send_reminders.py", "plone"]) == "plone"
    assert script.main(app, ["send_reminders.py", "plone"]) == 0
    assert "1 reminder(s) sent." in capsys.readouterr().out
    assert recipients(mailhost) == ["officer@example.org"]
    assert script.main(app, ["send_reminders.py", "plone"]) == 0  # the next run remembers
    assert "0 reminder(s) sent." in capsys.readouterr().out
    assert script.main(app, ["send_reminders.py", "no-such-site"]) == 1
