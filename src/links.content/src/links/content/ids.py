"""Ids of records that the product itself creates (decision statements, redactions...).

Giving plone.api a free id up front matters: without one (or with ``safe_id=True``), it adds the object
under a temporary UUID id and renames it, and the catalog then logs an error for the temporary path it
never indexed ("uncatalogObject unsuccessfully attempted").
"""

from plone.i18n.normalizer.interfaces import IURLNormalizer
from zope.component import getUtility


def free_id(container, title: str, default: str = "item") -> str:
    """A readable id for ``title`` not yet used in ``container``: "report-signed-off", then "-2", "-3"...

    :param container: the folder the object will be added to
    :param title: the object's title
    :param default: the id's stem when the title gives none
    :returns: an id free in ``container``
    """
    base = getUtility(IURLNormalizer).normalize(title or "", max_length=60) or default
    name, number = base, 1
    while container.get(name) is not None:
        number += 1
        name = f"{base}-{number}"
    return name
