"""Delete a Plone site by id. Run with: bin/instance run scripts/delete_site.py <site-id>"""

import sys

import transaction

site_id = sys.argv[-1]
if site_id in app.objectIds():  # noqa: F821 (bin/instance run provides `app`)
    app.manage_delObjects([site_id])  # noqa: F821
    transaction.commit()
    print(f"Deleted site '{site_id}'.")
