"""Who is asking: the user, the organisation they act for and their role."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from homeward.access.models import Membership, Organisation
from homeward.access.roles import may


@dataclass(frozen=True)
class Caller:
    # None for an operator at the command line; the audit row then names "system".
    user: AbstractBaseUser | None
    organisation: Organisation
    role: str

    @property
    def role_label(self) -> str:
        from homeward.access.roles import Role

        return str(Role(self.role).label)

    def may(self, permission: str) -> bool:
        return may(self.role, permission)

    def require(self, permission: str) -> None:
        if not self.may(permission):
            raise PermissionDenied(permission)


def caller_for(user: AbstractBaseUser | AnonymousUser | None) -> Caller | None:
    """The caller for a signed-in, active user with a membership; None for anyone else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        membership = Membership.objects.select_related("organisation").get(user=user)
    except Membership.DoesNotExist:
        return None
    return Caller(user=user, organisation=membership.organisation, role=membership.role)


def command_line_caller(organisation_slug: str, username: str = "") -> Caller:
    """The caller for a command run by an operator on the server.

    With a username, the account's own organisation and role apply (and must match the
    organisation named); without one, the operator acts with a caseworker's rights for the
    organisation named, and the audit log records "system".
    """
    from homeward.access.roles import Role

    try:
        organisation = Organisation.objects.get(slug=organisation_slug)
    except Organisation.DoesNotExist:
        known = ", ".join(Organisation.objects.values_list("slug", flat=True)) or "none yet"
        raise LookupError(f"no organisation {organisation_slug!r} (known: {known})") from None
    if not username:
        # The operator acts as a caseworker would: only where the kind may hold one, so that
        # no command registers people at, say, the authority of the area of return.
        from homeward.access.roles import forbidden_role_message, may_hold

        if not may_hold(organisation.kind, Role.CASEWORKER):
            raise LookupError(
                f"{organisation_slug}: {forbidden_role_message(organisation.kind, Role.CASEWORKER)}"
            )
        return Caller(user=None, organisation=organisation, role=Role.CASEWORKER)
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(user__username=username, user__is_active=True)
        .first()
    )
    if membership is None or membership.organisation_id != organisation.pk:
        raise LookupError(f"no active account {username!r} in {organisation_slug!r}")
    return Caller(user=membership.user, organisation=organisation, role=membership.role)
