"""`make start` runs a ZEO server and a Zope client, so command-line jobs work while the site is up (#19).

One real deployment for the module (the demo site is created once): started as `make start` starts it,
then every job the README lists runs beside it as a further ZEO client, then `make stop` stops both.
"""

import re
import subprocess
import urllib.request

import pytest

pytestmark = pytest.mark.ops


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.read().decode()


def test_start_serves_the_themed_site_and_says_where(deployment):
    printed = deployment.started.stdout
    assert f"Serving http://localhost:{deployment.port}/links " in printed
    status, html = get(f"{deployment.url}/links")
    assert status == 200
    assert "++theme++" in html  # localhost is themed (Plone leaves 127.0.0.1 unthemed)
    assert "ZEO server: running" in deployment.site("status").stdout
    assert "Zope client: running" in deployment.site("status").stdout


def test_jobs_run_while_the_site_is_up(deployment, tmp_path):
    smtp = deployment.smtp
    # Each would stop with "Couldn't lock Data.fs.lock" against a FileStorage held by the server.
    assert "already there" in deployment.run("create_site.py", SITE_ID="links").stdout
    reminders = deployment.run("send_reminders.py", "links")
    sent = int(re.search(r"(\d+) reminder\(s\) sent", reminders.stdout).group(1))
    assert sent > 0 and len(smtp.messages) >= 1  # the demo has overdue clocks; mail left on commit
    assert deployment.run("send_reminders.py", "links").stdout.strip().endswith("0 reminder(s) sent.")
    verified = deployment.run("verify_audit.py", "links", "--chain-only").stdout  # exit status 0: verified
    assert "ZODB chain: OK" in verified
    archive = tmp_path / "handover.zip"
    deployment.run("handover_export.py", SITE_ID="links", ARCHIVE=archive)
    assert archive.stat().st_size > 10_000
    # The jobs' commits are visible to the serving client at once (ZEO invalidations).
    status, _html = get(f"{deployment.url}/links")
    assert status == 200


def test_a_failing_job_says_so_with_its_exit_status(deployment):
    result = deployment.run("send_reminders.py", "no-such-site", check=False)
    assert result.returncode == 1
    assert "No site called 'no-such-site'" in result.stderr


def test_stop_stops_everything_start_started(deployment):
    deployment.site("stop")
    status = deployment.site("status").stdout
    assert "ZEO server: stopped" in status and "Zope client: stopped" in status
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{deployment.url}/links", timeout=5)
    leftover = subprocess.run(["pgrep", "-f", str(deployment.root)], capture_output=True, text=True).stdout
    assert leftover.strip() == ""
    # With nothing serving, a job starts the ZEO server for itself and stops it again afterwards.
    assert "already there" in deployment.run("create_site.py", SITE_ID="links").stdout
    assert "ZEO server: stopped" in deployment.site("status").stdout
