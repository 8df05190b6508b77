"""Workflow states in words: what pages, PDFs and reports show instead of state ids."""

from plone import api


def state_title(obj, state: str | None = None) -> str | None:
    """The title ("Awaiting sign-off") of ``state`` in ``obj``'s workflow; None when no workflow has it.

    :param obj: a record (its workflow chain is looked up)
    :param state: a state id; default: the record's current state
    """
    if state is None:
        state = api.content.get_state(obj, default=None)
    workflow = api.portal.get_tool("portal_workflow")
    for chain_id in workflow.getChainFor(obj):
        definition = workflow[chain_id].states.get(state)
        if definition is not None:
            return definition.title
    return None
