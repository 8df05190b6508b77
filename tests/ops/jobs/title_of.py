"""Run by the restore drill (bin/instance run): print a record's title."""

import sys

print(app.unrestrictedTraverse(sys.argv[-1]).title)  # noqa: F821 (bin/instance run provides `app`)
