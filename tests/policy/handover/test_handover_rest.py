"""The handover over REST: Manager only; export answers with the archive's path and fingerprint."""

from pathlib import Path

from links.policy.demo.users import DEMO_PASSWORD


def test_export_is_for_managers_only(request_factory):
    assert request_factory().post("/@handover-export", json={}).status_code == 401
    chair = request_factory(basic_auth=("chair", DEMO_PASSWORD))
    assert chair.post("/@handover-export", json={}).status_code in (401, 403)
    assert chair.get("/@handover-status").status_code in (401, 403)


def test_export_then_status(request_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_HANDOVER_DIR", str(tmp_path))
    manager = request_factory(role="Manager")
    response = manager.post("/@handover-export", json={"include_report": False})
    assert response.status_code == 200, response.text
    body = response.json()
    assert Path(body["path"]).is_file()
    assert Path(body["path"]).parent == tmp_path
    assert Path(body["path"]).stat().st_mode & 0o777 == 0o600  # everyone's personal data: owner only
    assert tmp_path.stat().st_mode & 0o777 == 0o700
    assert len(body["fingerprint"]) == 64
    status = manager.get("/@handover-status").json()
    assert status["operation"] == "export"
    assert status["state"] == "finished"
    assert status["done"] == status["total"] == body["totals"]["items"]


def test_import_with_bad_input_says_what_to_fix(request_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_HANDOVER_IMPORT_DIR", str(tmp_path / "incoming"))
    monkeypatch.setenv("LINKS_HANDOVER_WORK_DIR", str(tmp_path / "work"))
    (tmp_path / "incoming").mkdir()
    manager = request_factory(role="Manager")
    response = manager.post("/@handover-import", json={})
    assert response.status_code == 400
    assert "path" in response.json()["message"]
    outside = tmp_path / "outside.zip"
    outside.write_bytes(b"PK")
    for path in (str(outside), "../outside.zip", "/etc/passwd"):
        response = manager.post("/@handover-import", json={"path": path, "expected_fingerprint": "0" * 64})
        assert response.status_code == 400, path
        assert "inside the server's handover import folder" in response.json()["message"]
    damaged = tmp_path / "incoming" / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    response = manager.post("/@handover-import", json={"path": "damaged.zip"})
    assert response.status_code == 400
    assert "fingerprint" in response.json()["message"]
    response = manager.post(
        "/@handover-import", json={"path": "damaged.zip", "expected_fingerprint": "0" * 64}
    )
    assert response.status_code == 400
    assert "truncated or is not a ZIP" in response.json()["message"]
    upload = manager.post(
        "/@handover-import?expected_fingerprint=" + "0" * 64,
        data=b"PK\x05\x06" + b"\xff" * 18,
        headers={"Content-Type": "application/zip"},
    )
    assert upload.status_code == 400 and upload.json()["type"] == "ArchiveRefused"
    form = manager.post("/@handover-import", data={"path": "damaged.zip"})
    assert form.status_code == 400  # a cross-site form's content type is refused before anything runs
