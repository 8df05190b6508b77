"""GET <period report>/@figures: the figures stored on the report and, for each row, the counted records
the current user may see.

Answers ``{"figures": {...} | null, "records": {section: {row: [{"@id", "title"}]}}}``. ``figures`` is null
until the report is first submitted; ``records`` leaves out every record the user may not View, so its
title is never shown to them (the numbers count it all the same).
"""

from plone.restapi.services import Service

from links.content.periodreport.api import counted_records
from links.content.periodreport.api import visible_records
from links.content.periodreport.document import snapshot_of


class FiguresGet(Service):
    def reply(self):
        links = visible_records(self.context)
        records = {}
        for section, rows in counted_records(self.context).items():
            shown = {
                row: [{"@id": url, "title": title} for title, url in links(section, row)] for row in rows
            }
            shown = {row: found for row, found in shown.items() if found}
            if shown:
                records[section] = shown
        return {"figures": snapshot_of(self.context), "records": records}
