"""Roles, what each may do, and which kinds of organisation may hold each: one place.

Every view, API endpoint and selector asks `may(role, permission)`; nothing else decides.
Every account is created through `may_hold(kind, role)`; nothing else decides that either.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    PLANNER = "planner", _("Planner")
    CLEARANCE_OFFICER = "clearance_officer", _("Clearance officer")
    CHECKPOINT_OFFICER = "checkpoint_officer", _("Checkpoint officer")
    MONITOR = "monitor", _("Monitor")
    PROPERTY_OFFICER = "property_officer", _("Property officer")
    COMMUNITY_REPRESENTATIVE = "community_representative", _("Community representative")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


class OrganisationKind(models.TextChoices):
    # Organisation.Kind; defined here, beside the roles, because KIND_ROLES is keyed by it.
    HOST_GOVERNMENT = "host_government", _("Host-country authority")
    HOME_AUTHORITY = "home_authority", _("Authority of the area of return")
    UN_AGENCY = "un_agency", _("UN agency")
    RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
    NGO = "ngo", _("Non-governmental organisation")
    MONITORING = "monitoring", _("Monitoring mission")
    CLAIMS_BODY = "claims_body", _("Property claims body")
    COMMUNITY = "community", _("Community council")


class Permission(models.TextChoices):
    VIEW_HOUSEHOLDS = "people.view", _("See the households and persons of one's organisation")
    VIEW_SENSITIVE = "people.sensitive", _("See phone numbers and vulnerabilities")
    EDIT_HOUSEHOLDS = "people.edit", _("Register and edit households and persons")
    IMPORT_REGISTRATIONS = "people.import", _("Import registrations from files")
    VIEW_PLACES = "places.view", _("See the gazetteer")
    VIEW_OCCUPANCY = "places.occupancy", _("See shelter occupancy by region")
    VIEW_AUDIT = "audit.view", _("Read the organisation's audit log")
    MANAGE_SHARING = "sharing.manage", _("Propose and approve data-sharing agreements")
    RECORD_CONSENT = "sharing.consent", _("Record and withdraw people's consent to sharing")
    VIEW_SHARED = (
        "sharing.view",
        _("See people shared with the organisation under an agreement, except for clearance"),
    )
    ANSWER_ACCESS_REQUESTS = (
        "rights.access",
        _("Export everything held about a person, for their access request"),
    )
    RECORD_RIGHTS_REQUESTS = (
        "rights.record",
        _("Record people's requests to correct or erase their data, and follow them"),
    )
    # Caseworkers decide corrections: they may edit the record anyway, so routing every
    # misspelt name through the DPO would add delay without adding a safeguard; what the
    # request adds is the record of what the person asked and what was answered.
    DECIDE_CORRECTIONS = "rights.correct", _("Accept or refuse a request to correct a record")
    # Erasure cannot be undone and must weigh the retention rules: the DPO decides it.
    DECIDE_ERASURES = "rights.erase", _("Erase a person's data on request, or keep it under a rule")
    VIEW_VISITS = "visits.view", _("See the organisation's visit requests and convoys")
    REQUEST_VISITS = (
        "visits.request",
        _("Record visit requests, print travel slips, appeal refusals"),
    )
    PLAN_VISITS = (
        "visits.plan",
        _("Set visit capacity, plan convoys, override priorities, notify households"),
    )
    PRINT_MANIFESTS = "visits.manifest", _("Print convoy manifests with travellers' full names")
    CLEAR_VISITS = (
        "visits.clear",
        _("Clear or refuse travellers (name, birth year, destination, convoy only)"),
    )
    CROSS_CHECKPOINT = "visits.crossing", _("Check travellers out and in at the checkpoint")
    VIEW_CROSSING_ALERTS = (
        "visits.alerts",
        _("See and close alerts for travellers not back with their convoy"),
    )
    # One permission for the whole loop (run, review, merge, undo): whoever may edit every
    # record may also say that two of them are one person, and take that back.
    REVIEW_DUPLICATES = (
        "duplicates.review",
        _("Find duplicate records, decide uncertain pairs, merge and undo merges"),
    )
    RECORD_INTENTIONS = (
        "returns.record",
        _("Record households' intentions to return, and import survey submissions"),
    )
    VIEW_PROJECTIONS = (
        "returns.project",
        _("See who would return under which guarantees (aggregates; small counts hidden)"),
    )
    ANSWER_QUESTIONS = (
        "returns.answer",
        _("Answer the questions people asked that were assigned to the organisation"),
    )
    # The framework is the plan's, not one organisation's: those who coordinate the return
    # (planners at the agencies) keep it, and every change is dated and audited.
    MANAGE_GUARANTEES = (
        "returns.guarantees",
        _("Add guarantees to the rights framework and change their status"),
    )


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset(
        {
            Permission.VIEW_HOUSEHOLDS,
            Permission.VIEW_SENSITIVE,
            Permission.EDIT_HOUSEHOLDS,
            Permission.IMPORT_REGISTRATIONS,
            Permission.VIEW_PLACES,
            Permission.VIEW_OCCUPANCY,
            Permission.RECORD_CONSENT,
            Permission.VIEW_SHARED,
            Permission.RECORD_RIGHTS_REQUESTS,
            Permission.DECIDE_CORRECTIONS,
            Permission.REQUEST_VISITS,
            Permission.VIEW_VISITS,
            Permission.REVIEW_DUPLICATES,
            Permission.RECORD_INTENTIONS,
            Permission.VIEW_PROJECTIONS,
        }
    ),
    Role.PLANNER: frozenset(
        {
            Permission.VIEW_HOUSEHOLDS,
            Permission.VIEW_PLACES,
            Permission.VIEW_OCCUPANCY,
            Permission.VIEW_SHARED,
            Permission.PLAN_VISITS,
            Permission.VIEW_VISITS,
            Permission.PRINT_MANIFESTS,
            Permission.VIEW_CROSSING_ALERTS,
            Permission.MANAGE_GUARANTEES,
            Permission.VIEW_PROJECTIONS,
            Permission.ANSWER_QUESTIONS,
        }
    ),
    Role.CLEARANCE_OFFICER: frozenset({Permission.VIEW_PLACES, Permission.CLEAR_VISITS}),
    Role.CHECKPOINT_OFFICER: frozenset(
        {
            Permission.VIEW_PLACES,
            Permission.PRINT_MANIFESTS,
            Permission.CROSS_CHECKPOINT,
            Permission.VIEW_CROSSING_ALERTS,
        }
    ),
    Role.MONITOR: frozenset(
        {
            Permission.VIEW_PLACES,
            Permission.VIEW_CROSSING_ALERTS,
            Permission.VIEW_OCCUPANCY,
            Permission.VIEW_PROJECTIONS,
        }
    ),
    Role.PROPERTY_OFFICER: frozenset({Permission.VIEW_PLACES}),
    Role.COMMUNITY_REPRESENTATIVE: frozenset(
        {Permission.VIEW_PLACES, Permission.VIEW_OCCUPANCY, Permission.VIEW_PROJECTIONS}
    ),
    Role.DATA_PROTECTION_OFFICER: frozenset(
        {
            Permission.VIEW_HOUSEHOLDS,
            Permission.VIEW_SENSITIVE,
            Permission.VIEW_PLACES,
            Permission.VIEW_AUDIT,
            Permission.MANAGE_SHARING,
            Permission.ANSWER_ACCESS_REQUESTS,
            Permission.RECORD_RIGHTS_REQUESTS,
            Permission.DECIDE_ERASURES,
        }
    ),
}


# The organisations that register and serve displaced people run their cases and their visits:
# caseworkers, planners, checkpoint officers, and monitors who watch their own convoys' alerts.
_SERVING = frozenset(
    {
        Role.CASEWORKER,
        Role.PLANNER,
        Role.CHECKPOINT_OFFICER,
        Role.MONITOR,
        Role.DATA_PROTECTION_OFFICER,
    }
)

# Which roles an organisation of each kind may hold. Every kind has its data protection
# officer. The authority of the area of return clears travellers and reads nothing more than
# the clearance minimum: no caseworker, planner or checkpoint officer there could read the
# people it is shown for clearance, or register its own. Bodies with one mandate hold its role.
KIND_ROLES: dict[str, frozenset[str]] = {
    OrganisationKind.HOST_GOVERNMENT: _SERVING,
    OrganisationKind.HOME_AUTHORITY: frozenset(
        {Role.CLEARANCE_OFFICER, Role.DATA_PROTECTION_OFFICER}
    ),
    OrganisationKind.UN_AGENCY: _SERVING,
    OrganisationKind.RED_CROSS: _SERVING,
    OrganisationKind.NGO: _SERVING,
    OrganisationKind.MONITORING: frozenset({Role.MONITOR, Role.DATA_PROTECTION_OFFICER}),
    OrganisationKind.CLAIMS_BODY: frozenset({Role.PROPERTY_OFFICER, Role.DATA_PROTECTION_OFFICER}),
    OrganisationKind.COMMUNITY: frozenset(
        {Role.COMMUNITY_REPRESENTATIVE, Role.DATA_PROTECTION_OFFICER}
    ),
}


def may_hold(kind: str, role: str) -> bool:
    return role in KIND_ROLES.get(kind, frozenset())


def roles_of_kind(kind: str) -> list[Role]:
    """The roles an organisation of this kind may hold, in the order of `Role`."""
    return [role for role in Role if may_hold(kind, role)]


def forbidden_role_message(kind: str, role: str) -> str:
    """Why an organisation of this kind cannot hold the role, naming those it can."""
    return gettext('an organisation of kind "%(kind)s" holds only %(roles)s, not %(role)s') % {
        "kind": OrganisationKind(kind).label,
        "roles": ", ".join(str(r.label) for r in roles_of_kind(kind)),
        "role": Role(role).label,
    }


def may(role: str | None, permission: str) -> bool:
    return role is not None and permission in ROLE_PERMISSIONS.get(role, frozenset())


def permissions_table() -> str:
    """The roles and what each may do, as the Markdown table in docs/data-protection.md."""
    roles = list(Role)
    header = "| permission | " + " | ".join(str(r.label) for r in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    lines = [header, rule]
    for permission in Permission:
        marks = ["yes" if may(role, permission) else "" for role in roles]
        lines.append(f"| {permission.label} (`{permission.value}`) | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def kinds_table() -> str:
    """The roles each kind of organisation may hold, as the table in docs/data-protection.md."""
    lines = ["| organisation kind | roles it may hold |", "|---|---|"]
    for kind in OrganisationKind:
        roles = ", ".join(str(role.label) for role in roles_of_kind(kind))
        lines.append(f"| {kind.label} | {roles} |")
    return "\n".join(lines)
