"""complaints: the host's complaints procedure, information requests and OSC referrals."""

# Workflow guard-expressions import the guards module from restricted code; its security
# declaration must be registered before the first guard runs, so import it with the package.
from links.content.complaints import guards  # noqa: F401
