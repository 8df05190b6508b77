"""Catalog indexers of the record types (indexes declared in profiles/default/catalog.xml)."""

from plone.indexer import indexer

from links.content.declarations.api import providers_of
from links.content.declarations.declaration import IDeclarationOfInterest
from links.content.records.authorisation import IRepresentativeAuthorisation
from links.content.records.report import IEnterAndViewReport


@indexer(IDeclarationOfInterest)
def declaration_member(obj):
    """The member whose declaration this is."""
    return obj.member


@indexer(IRepresentativeAuthorisation)
def authorisation_member(obj):
    """The representative an authorisation is for."""
    return obj.representative


@indexer(IDeclarationOfInterest)
def declaration_providers(obj):
    return sorted(providers_of(obj))


@indexer(IEnterAndViewReport)
def report_providers(obj):
    return sorted(providers_of(obj))
