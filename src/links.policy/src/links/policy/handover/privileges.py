"""Least privilege on import: what an archive may grant on the successor's site, and what it may not.

An archive signed by the outgoing host still comes from outside. By default the import does not take from
it the site roles Manager and Site Administrator (for users, for groups, as local roles, or through
membership of a group that holds them), password hashes, registry records outside ``REGISTRY_ALLOWED``, or
(without a verified fingerprint) any trusted key. Each needs its own explicit option; whatever is left out
is listed, with the reason, in the import report and the comparison.

The same functions turn the archive's data into "what the site should hold now" for the import and for
the comparison, so leaving something out never shows as a difference and nothing else can hide as one.
"""

import dataclasses

#: Site roles that administer the site itself.
PRIVILEGED_ROLES = ("Manager", "Site Administrator")
#: Registry records imported by default: wording and reminders, which decide nothing about who may do
#: what, how a record is sealed or when a statutory deadline falls. The others (quorum, sign-off
#: transitions, clock rules, statutory periods, audit checkpoints) keep the successor's values unless
#: ``all_registry_records`` is given.
REGISTRY_ALLOWED = (
    "links.content.complaints.escalation_body",
    "links.content.complaints.ombudsman",
    "links.content.foi.ico_right",
    "links.content.foi.review_route",
    "links.content.clocks.reminder_days",
)


@dataclasses.dataclass(frozen=True)
class ImportOptions:
    """What the operator explicitly allowed the import to take from the archive.

    :ivar admin_roles: Manager and Site Administrator, as site roles, local roles and group memberships
    :ivar password_hashes: users' password hashes (else each user sets a new password)
    :ivar all_registry_records: every ``links.*`` registry record, not only ``REGISTRY_ALLOWED``
    :ivar insecure_no_fingerprint: import although nobody checked whose key signed the archive
    """

    admin_roles: bool = False
    password_hashes: bool = False
    all_registry_records: bool = False
    insecure_no_fingerprint: bool = False

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data) -> "ImportOptions":
        data = data if isinstance(data, dict) else {}
        return cls(**{f.name: bool(data.get(f.name, False)) for f in dataclasses.fields(cls)})


def _privileged(roles) -> set:
    return set(roles) & set(PRIVILEGED_ROLES)


def filter_roles(roles: list, kept_privileged, options: ImportOptions) -> list:
    """Roles to hold after the import: the archive's, but privileged ones only with ``admin_roles``;
    privileged roles the site already gives (``kept_privileged``) stay."""
    if options.admin_roles:
        return sorted(set(roles))
    return sorted((set(roles) - set(PRIVILEGED_ROLES)) | _privileged(kept_privileged))


def _with_site_roles(principal: dict, kind: str, site_roles: dict, options: ImportOptions, left_out: list):
    """A copy of a user or group with the site roles it may have after the import (reasons appended)."""
    roles = filter_roles(principal["roles"], site_roles.get(principal["id"], ()), options)
    dropped = _privileged(principal["roles"]) - set(roles)
    if dropped:
        left_out.append(
            f"site role {', '.join(sorted(dropped))} of {kind} {principal['id']}: admin roles not allowed"
        )
    return {**principal, "roles": roles}


def principals_plan(data: dict, site_roles: dict, site_members: dict, options: ImportOptions):
    """What the users and groups should be after the import, and what was left out.

    :param data: the archive's ``principals.json``
    :param site_roles: principal id -> site roles the target holds now
    :param site_members: group id -> members the target has now
    :returns: ``(planned principals_data, [left-out reasons])``
    """
    left_out = []
    users = []
    for user in data["users"]:
        user = _with_site_roles(user, "user", site_roles, options, left_out)
        if user.get("password_hash") and not options.password_hashes:
            left_out.append(f"password hash of user {user['id']}: they set a new password")
        if not options.password_hashes:
            user.pop("password_hash", None)
        users.append(user)
    groups = []
    privileged_groups = set()
    for group in data["groups"]:
        group = _with_site_roles(group, "group", site_roles, options, left_out)
        if _privileged(group["roles"]):
            privileged_groups.add(group["id"])
        groups.append(group)
    for group in groups:
        if group["id"] in privileged_groups and not options.admin_roles:
            # Membership of a group holding an admin role is an admin role: the site keeps its own.
            current = sorted(site_members.get(group["id"], ()))
            for member in sorted(set(group["members"]) - set(current)):
                left_out.append(f"membership of {member} in group {group['id']}: it holds an admin role")
            group["members"] = current
    return {**data, "users": users, "groups": groups, "password_hashes": options.password_hashes}, left_out


def local_roles_plan(local_roles: dict, where: str, options: ImportOptions):
    """Local roles to set on a record (or the site root): privileged ones only with ``admin_roles``.

    :returns: ``(local roles, [left-out reasons])``
    """
    if options.admin_roles:
        return local_roles, []
    kept, left_out = {}, []
    for principal, roles in local_roles.items():
        dropped = _privileged(roles)
        if dropped:
            left_out.append(
                f"local role {', '.join(sorted(dropped))} of {principal} on {where or 'the site'}"
            )
        remaining = sorted(set(roles) - dropped)
        if remaining:
            kept[principal] = remaining
    return kept, left_out


def item_plan(data: dict, options: ImportOptions):
    """A record's archive JSON as it should be restored (its local roles filtered)."""
    local_roles, left_out = local_roles_plan(data.get("local_roles", {}), data.get("path", ""), options)
    if not left_out:
        return data, []
    return {**data, "local_roles": local_roles}, left_out


def registry_plan(data: dict, current: dict, options: ImportOptions):
    """Registry records to set: the allowed ones from the archive; the others keep the site's value.

    :param current: the site's encoded values (``serialize.registry_data()``)
    :returns: ``(records to hold after the import, [left-out reasons])``
    """
    planned, left_out = {}, []
    for name, value in data.items():
        if name not in current:
            left_out.append(f"registry record {name}: this site does not have it")
        elif options.all_registry_records or name in REGISTRY_ALLOWED or value == current[name]:
            planned[name] = value
        else:
            planned[name] = current[name]
            left_out.append(f"registry record {name}: not on the allowlist, the site keeps its own value")
    for name, value in current.items():
        planned.setdefault(name, value)
    return planned, left_out
