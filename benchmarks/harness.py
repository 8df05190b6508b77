"""Shared harness for benchmarks: a real Plone site in-process, sizes, and one way to print figures.

Benchmarks run with `bin/zopepy benchmarks/<name>.py` (scripts/bench.sh runs them all). They set up the
same plone.testing layers as the tests, outside any test runner, so the figures come from a real ZODB and
a real publisher, without timing anything inside a unit test.

Honest by construction:
- sizes come from `size()`: the README's size, or the small one under `BENCH_QUICK=1`; every printed line
  says which (`[quick]`), and benchmarks print the size they actually ran at, never an extrapolation;
- memory has one source, /proc/self/status: `current_rss_mb()` (VmRSS) and `peak_rss_mb()` (VmHWM, the
  kernel's high-water mark of the same resident set);
- every line ends with the machine's 1-minute load average, since the figures are wall times on a shared
  machine.
"""

import contextlib
import os
import re
import resource
import statistics
import sys
import time

import transaction

#: BENCH_QUICK=1: small sizes for development; said on every printed line.
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")


#: Objects per ZODB connection cache, as bin/instance runs (buildout's zodb-cache-size).
ZODB_CACHE_SIZE = 30000


def add_test_eggs_to_path():
    """bin/zopepy lacks the test eggs (plone.app.testing, requests); borrow bin/pytest's path if so."""
    try:
        import plone.app.testing  # noqa: F401
        import requests  # noqa: F401
    except ImportError:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bin", "pytest")
        with open(script) as handle:
            paths = re.findall(r"^\s+'([^']+)',$", handle.read(), re.MULTILINE)
        sys.path[0:0] = [path for path in paths if path not in sys.path]


def size(variable, full, quick):
    """The size to run at: $variable if set, else `quick` under BENCH_QUICK=1, else `full` (README's)."""
    value = os.environ.get(variable)
    if value:
        return int(value)
    return quick if QUICK else full


def _status_mb(field):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return None


def current_rss_mb():
    """Resident set size of this process now, in MB (/proc/self/status VmRSS)."""
    return _status_mb("VmRSS") or 0.0


def peak_rss_mb():
    """Peak resident set size of this process so far, in MB.

    From the same file and counters as current_rss_mb (VmHWM beside VmRSS), so a peak is never printed
    below a current figure (getrusage's ru_maxrss is updated lazily and may lag VmRSS).
    """
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def add_user(userid, password, fullname=None, roles=("Member",)):
    """A site user with a full name and site roles, created as a Manager would (plone.api)."""
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        return api.user.create(
            email=f"{userid}@example.org",
            username=userid,
            password=password,
            roles=roles,
            properties={"fullname": fullname or userid},
        )


def add_governing_body(userids, password):
    """Governing body members (the role that signs records off), one user each."""
    from links.content.roles import GOVERNING_BODY_MEMBER

    for number, userid in enumerate(userids, start=1):
        add_user(
            userid, password, f"Member {number} of the governing body", ("Member", GOVERNING_BODY_MEMBER)
        )


def _layer_chain(layer):
    """Bases first, each layer once (the order zope.testrunner sets them up)."""
    seen, order = set(), []

    def visit(current):
        for base in current.__bases__:
            visit(base)
        if current not in seen:
            seen.add(current)
            order.append(current)

    visit(layer)
    return order


@contextlib.contextmanager
def plone_site(layer=None):
    """Set up `layer` (default: the demo site) and yield (app, portal) logged in as the site owner."""
    from plone.app.testing import SITE_OWNER_NAME
    from plone.testing.zope import login
    from zope.component.hooks import setSite

    if layer is None:
        from links.policy.testing import LINKS_DEMO_FUNCTIONAL_TESTING as layer
    chain = _layer_chain(layer)
    for each in chain:
        each.setUp()
    try:
        layer.testSetUp() if hasattr(layer, "testSetUp") else None
        app, portal = layer["app"], layer["portal"]
        # The test database keeps ZODB's default of 400 objects per connection; a Plone page touches more,
        # so every request would reload from storage. Use the instance's size (parts/instance/etc/zope.conf).
        app._p_jar.db().setCacheSize(ZODB_CACHE_SIZE)
        setSite(portal)
        login(app["acl_users"], SITE_OWNER_NAME)
        transaction.commit()
        yield app, portal
    finally:
        transaction.abort()
        if hasattr(layer, "testTearDown"):
            layer.testTearDown()
        for each in reversed(chain):
            each.tearDown()


def timed(func, repeat=1):
    """Run func `repeat` times; return the list of durations in seconds."""
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        durations.append(time.perf_counter() - start)
    return durations


def report(name, value, unit, goal=None):
    """Print one figure on one line: name, value, unit, the goal, `[quick]` and the load average."""
    goal_text = f"  (goal: {goal})" if goal else ""
    quick = "  [quick]" if QUICK else ""
    load = f"  [load {os.getloadavg()[0]:.1f}]"
    print(f"{name:<64} {value:>12.3f} {unit}{goal_text}{quick}{load}", flush=True)


def median_ms(durations):
    return statistics.median(durations) * 1000
