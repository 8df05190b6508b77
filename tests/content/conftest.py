"""tests/content/: pytest-plone's fixtures on links.content's layers."""

# Each fixture asks for its layer's session fixture as well, so the layer is set up once for the
# session: module-level test functions would otherwise set it up and tear it down around every test.

from datetime import UTC
from datetime import datetime

import pytest


@pytest.fixture
def integration(content_integration_session, content_integration):
    return content_integration


@pytest.fixture
def functional(content_functional_session, content_functional):
    return content_functional


class FakeClock:
    """Replaces ``time`` in CMFEditions' repository tool: versions get the timestamps we set."""

    def __init__(self):
        self.now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC).timestamp()

    def time(self):
        return self.now

    def set(self, *args):
        self.now = datetime(*args, tzinfo=UTC).timestamp()


@pytest.fixture
def version_clock(monkeypatch):
    import Products.CMFEditions.CopyModifyMergeRepositoryTool as tool

    clock = FakeClock()
    monkeypatch.setattr(tool, "time", clock)
    return clock
