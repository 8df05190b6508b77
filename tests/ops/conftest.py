"""tests/ops/: real processes. One demo deployment for the session (its site is created once), started by
the module that needs it first; a module may stop it, and the next one starts it again."""

import pytest

from .deployment import Deployment
from .smtp_sink import SMTPSink


@pytest.fixture(scope="session")
def smtp():
    sink = SMTPSink()
    yield sink
    sink.shutdown()


@pytest.fixture(scope="session")
def demo_deployment(tmp_path_factory, smtp):
    deployment = Deployment(tmp_path_factory.mktemp("zeo"))
    deployment.smtp = smtp
    try:
        yield deployment
    finally:
        deployment.stop()


@pytest.fixture(scope="module")
def deployment(demo_deployment):
    """The demo deployment, running."""
    demo_deployment.started = demo_deployment.site("start", LINKS_SMTP_PORT=demo_deployment.smtp.port)
    return demo_deployment
