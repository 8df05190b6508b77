"""links.policy:default 1000 -> 1001: Plone's date formats write the day without a leading zero
("1 August 2026, 10:00"), as ``links.content.words`` does. Only the two format records are set, so the
site's other registry settings (mail, security) are left as the operator made them."""

from plone import api

FORMATS = {
    "Products.CMFPlone.i18nl10n.override_dateformat.date_format_long": "%-d %B %Y, %H:%M",
    "Products.CMFPlone.i18nl10n.override_dateformat.date_format_short": "%-d %B %Y",
}


def dates_without_leading_zero(context) -> None:
    for name, value in FORMATS.items():
        api.portal.set_registry_record(name, value)
