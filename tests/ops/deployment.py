"""A throw-away deployment built from this checkout's buildout, for tests that start real processes.

The built control scripts (``bin/zeoserver``, ``bin/instance``) and their configuration files name this
checkout's ``var/`` and port 8080. A deployment copies them with every ``var/`` path moved into a temporary
folder and a free port, so a test runs ``scripts/site.sh`` and the make targets' scripts against its own
database, keys and audit folders while a developer's site may be running.
"""

import os
import socket
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Deployment:
    """One ZEO server and one Zope client, configured into ``root``."""

    #: Built files a deployment copies: (source in this checkout, name in the deployment).
    FILES = (
        ("parts/zeoserver/etc/zeo.conf", "etc/zeo.conf"),
        ("parts/instance/etc/zope.conf", "etc/zope.conf"),
        ("parts/instance/etc/wsgi.ini", "etc/wsgi.ini"),
        ("bin/zeoserver", "bin/zeoserver"),
        # zdaemon runs the server as parts/zeoserver/bin/runzeo, which names the configuration file too.
        ("parts/zeoserver/bin/runzeo", "bin/runzeo"),
        ("bin/instance", "bin/instance"),
        ("bin/repozo", "bin/repozo"),
    )

    def __init__(self, root: Path, port: int | None = None):
        self.root = Path(root)
        self.var = self.root / "var"
        self.bin = self.root / "bin"
        self.port = port or free_port()
        for name in ("instance", "cache", "filestorage", "blobstorage", "log"):
            (self.var / name).mkdir(parents=True, exist_ok=True)
        (self.root / "etc").mkdir(exist_ok=True)
        self.bin.mkdir(exist_ok=True)
        replacements = {str(REPO / source): str(self.root / target) for source, target in self.FILES}
        replacements[str(REPO / "var")] = str(self.var)
        replacements["$INSTANCE/bin/runzeo"] = str(self.bin / "runzeo")
        replacements["127.0.0.1:8080"] = f"127.0.0.1:{self.port}"
        for source, target in self.FILES:
            text = (REPO / source).read_text()
            for old, new in replacements.items():
                text = text.replace(old, new)
            (self.root / target).write_text(text)
            (self.root / target).chmod(0o755 if target.startswith("bin/") else 0o644)
        self.zeo_conf = self.root / "etc/zeo.conf"
        self.zope_conf = self.root / "etc/zope.conf"

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def env(self, **extra) -> dict:
        env = dict(os.environ, LINKS_BIN=str(self.bin), START_TIMEOUT="150")
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def site(self, *args, timeout=400, check=True, **extra) -> subprocess.CompletedProcess:
        """Run ``scripts/site.sh ARGS`` against this deployment."""
        result = subprocess.run(
            [str(REPO / "scripts/site.sh"), *args],
            cwd=REPO,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            command = " ".join(args)
            raise AssertionError(f"site.sh {command}: {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    def run(self, script: str, *args, **kwargs) -> subprocess.CompletedProcess:
        """A job as a further ZEO client: ``scripts/site.sh run scripts/SCRIPT ARGS``."""
        return self.site("run", f"scripts/{script}", *args, **kwargs)

    def stop(self):
        self.site("stop", check=False, timeout=120)
