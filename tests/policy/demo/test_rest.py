"""The demo site over HTTP through plone.restapi: who sees what."""

from links.policy.demo.users import DEMO_PASSWORD


def test_site_root_for_anonymous(request_factory):
    response = request_factory().get("/")
    assert response.status_code == 200
    assert response.json()["title"] == "Northbridge Local Involvement Network"


def test_chair_can_log_in_and_read_own_user(request_factory):
    session = request_factory(basic_auth=("chair", DEMO_PASSWORD))
    response = session.get("/@users/chair")
    assert response.status_code == 200
    body = response.json()
    assert body["fullname"] == "Margaret Okafor"
    assert "Governing Body Member" in body["roles"]


def test_wrong_password_is_refused(request_factory):
    session = request_factory(basic_auth=("chair", "not-the-password"))
    response = session.get("/@users/chair")
    assert response.status_code == 401


def test_anonymous_cannot_list_users(request_factory):
    response = request_factory().get("/@users")
    assert response.status_code == 401
