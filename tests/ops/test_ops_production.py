"""`bin/buildout -c profiles/production.cfg` runs unattended, and the built deployment starts (#19, #12).

The build runs with no terminal (stdin closed: the recipe's "Username:" prompt would fail it) into a
folder of its own, sharing this checkout's eggs. The deployment then starts with the initial administrator
from an owner-only file, gets no demo users, and refuses to serve once its keys are gone.
"""

import base64
import os
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from .deployment import REPO
from .deployment import free_port

pytestmark = pytest.mark.ops

PASSWORD = "a long production passphrase"


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    root = tmp_path_factory.mktemp("production")
    port = free_port()
    (root / "buildout.cfg").write_text(
        f"""[buildout]
extends = {REPO}/profiles/production.cfg
directory = {root}
develop =
    {REPO}/src/links.content
    {REPO}/src/links.policy
eggs-directory = {REPO}/eggs
parts =
    zeoserver
    instance

[settings]
http-address = 127.0.0.1:{port}
keys-dir = {root}/shared/keys
"""
    )
    build = subprocess.run(
        [str(REPO / ".venv/bin/buildout"), "-N", "-c", str(root / "buildout.cfg")],
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    secret = root / "admin-password"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    env = {"LINKS_BIN": str(root / "bin"), "LINKS_ADMIN_PASSWORD_FILE": str(secret), "START_TIMEOUT": "150"}
    production = {"root": root, "port": port, "env": env, "build": build}
    try:
        production["start"] = site("start", env)
        yield production
    finally:
        site("stop", env, check=False)


def site(command, env, check=True):
    result = subprocess.run(
        [str(REPO / "scripts/site.sh"), command],
        cwd=REPO,
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert result.returncode == 0 or not check, result.stdout + result.stderr
    return result


def status(url, auth=None):
    request = urllib.request.Request(url)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_build_asks_nothing_and_writes_no_initial_user(production):
    assert "Username" not in production["build"].stdout + production["build"].stderr
    assert not (production["root"] / "parts/instance/inituser").exists()
    assert "LINKS_PRODUCTION 1" in (production["root"] / "parts/instance/etc/zope.conf").read_text()


def test_it_starts_with_the_administrator_from_the_file_and_no_demo_users(production):
    url = f"http://localhost:{production['port']}"
    assert f"Serving {url}/links" in production["start"].stdout
    assert status(f"{url}/links") == 200
    assert status(f"{url}/manage_main", f"admin:{PASSWORD}") == 200
    assert status(f"{url}/manage_main", "admin:admin") == 401
    assert status(f"{url}/links/++api++/@users/complaints", f"admin:{PASSWORD}") == 404  # no demo user
    assert status(f"{url}/links/++api++/@users", f"admin:{PASSWORD}") == 200
    keys = production["root"] / "shared/keys/links"
    assert (keys / "seal-ed25519.pem").is_file()  # the site's keys went to the shared folder


def test_without_its_keys_the_instance_refuses_to_start(production):
    site("stop", production["env"])
    keys = production["root"] / "shared/keys"
    shutil.move(keys, production["root"] / "keys-elsewhere")
    zeoserver = str(production["root"] / "bin/zeoserver")
    subprocess.run([zeoserver, "start"], check=True, capture_output=True, timeout=60)
    try:
        refused = subprocess.run(
            [str(production["root"] / "bin/instance"), "fg"], capture_output=True, text=True, timeout=240
        )
    finally:
        subprocess.run([zeoserver, "stop"], capture_output=True, timeout=60)
        shutil.move(production["root"] / "keys-elsewhere", keys)
    assert refused.returncode != 0
    assert "Refusing to start: this is a production instance" in refused.stdout + refused.stderr
    assert "keys folder LINKS_KEYS_DIR" in refused.stdout + refused.stderr
