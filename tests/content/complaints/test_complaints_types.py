"""The Complaint, InformationRequest and OSCReferral types: creation, reference titles, validation."""

from datetime import date
from datetime import timedelta

import pytest
from plone import api
from zope.interface import Invalid

from links.content.complaints.complaint import IComplaint
from links.content.complaints.complaint import not_in_future
from links.content.interfaces import IConfidentialRecord


class TestComplaintType:
    @pytest.fixture(autouse=True)
    def _setup(self, integration, portal, folder, new_complaint):
        self.portal = portal
        self.folder = folder
        self.new = new_complaint

    def test_title_is_a_case_reference_without_names(self):
        complaint = self.new()
        assert complaint.Title() == f"Complaint {complaint.reference}"
        assert complaint.reference.startswith("C-2026-")
        assert "Alice" not in complaint.Title()

    def test_references_are_sequential(self):
        first, second = self.new(), self.new()
        assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1

    def test_is_a_confidential_versioned_record(self):
        complaint = self.new()
        assert IConfidentialRecord.providedBy(complaint)
        assert IComplaint.providedBy(complaint)
        behaviors = api.portal.get_tool("portal_types")["Complaint"].behaviors
        assert "plone.versioning" in behaviors
        assert "links.content.clocks" in behaviors

    def test_received_in_the_future_is_refused(self):
        with pytest.raises(Invalid, match="future"):
            IComplaint["received"].validate(date.today() + timedelta(days=2))

    def test_constraint_accepts_today(self):
        assert not_in_future(date.today()) is True

    def test_late_complaint_needs_a_reason(self):
        data = self.new(event_date=date(2025, 1, 10), received=date(2026, 11, 2))
        with pytest.raises(Invalid, match="time limit"):
            IComplaint.validateInvariants(data)
        data.late_reason = "The complainant was in hospital."
        IComplaint.validateInvariants(data)

    def test_awareness_date_extends_the_time_limit(self):
        data = self.new(event_date=date(2025, 1, 10), aware_date=date(2026, 3, 1), received=date(2026, 11, 2))
        IComplaint.validateInvariants(data)  # within 12 months of becoming aware

    def test_participant_complained_about_is_named_only_for_such_complaints(self):
        data = self.new(about="network", participant_concerned="participant")
        with pytest.raises(Invalid, match="participant's conduct"):
            IComplaint.validateInvariants(data)
        data.about = "participant"
        IComplaint.validateInvariants(data)

    def test_participant_complained_about_cannot_investigate(self):
        data = self.new(
            about="participant", participant_concerned="officer2", investigating_officer="officer2"
        )
        with pytest.raises(Invalid, match="cannot investigate"):
            IComplaint.validateInvariants(data)

    def test_participant_complained_about_is_personal_data(self):
        from links.content.complaints.complaint import PERSONAL_FIELDS

        assert "participant_concerned" in PERSONAL_FIELDS

    def test_appeal_after_window_is_invalid(self):
        data = self.new()
        data.response_sent_on = date(2026, 10, 1)
        data.appeal_requested_on = date(2026, 11, 20)
        with pytest.raises(Invalid, match="after the deadline"):
            IComplaint.validateInvariants(data)


@pytest.mark.parametrize(
    "portal_type,data",
    [
        (
            "InformationRequest",
            {
                "title": "Waiting times",
                "addressee": "Northbridge ICB",
                "addressee_kind": "commissioner",
                "questions": "How long?",
            },
        ),
        ("OSCReferral", {"title": "Discharge delays", "committee": "Health OSC", "matter": "Delays."}),
    ],
)
def test_request_types_are_versioned_records_with_clocks(integration, portal, folder, portal_type, data):
    with api.env.adopt_user(username="staff"):
        obj = api.content.create(container=portal["requests"], type=portal_type, **data)
    assert obj.Title() == data["title"]
    behaviors = api.portal.get_tool("portal_types")[portal_type].behaviors
    assert {"plone.versioning", "links.content.clocks"} <= set(behaviors)
    assert api.content.get_state(obj) == "draft"
