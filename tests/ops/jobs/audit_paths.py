"""Run by the cluster test: print JSON, the path of every `record.created` entry of the site's chain."""

import json

from zope.component.hooks import setSite

from links.content.audit.api import export_jsonl
from links.content.audit.storage import get_log

site = app.links  # noqa: F821 (bin/instance run provides `app`)
setSite(site)
entries = [json.loads(line) for line in export_jsonl(log=get_log(site))]
print(json.dumps([entry["path"] for entry in entries if entry["action"] == "record.created"]))
