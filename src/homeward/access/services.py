import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from homeward.access.models import ApiToken, Membership, Organisation
from homeward.access.roles import Role, forbidden_role_message, may_hold
from homeward.audit.services import record_event
from homeward.people.validation import FieldProblem

User = get_user_model()


@transaction.atomic
def create_organisation(*, slug: str, name: str, kind: str, actor=None) -> Organisation:
    organisation = Organisation(slug=slug, name=name, kind=kind)
    organisation.full_clean()
    organisation.save()
    record_event(
        actor=actor,
        organisation=organisation,
        action="access.organisation.create",
        target=organisation,
        details={"slug": slug, "kind": kind},
    )
    return organisation


@transaction.atomic
def create_staff_account(
    *,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    email: str = "",
    actor=None,
) -> Membership:
    if role not in Role.values:
        raise FieldProblem("role", f"unknown role {role!r}; one of {', '.join(Role.values)}")
    # Checked before the user exists, so that a refused account leaves nothing behind.
    if not may_hold(organisation.kind, role):
        raise FieldProblem("role", forbidden_role_message(organisation.kind, role))
    user = User.objects.create_user(username=username, password=password, email=email)
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    record_event(
        actor=actor,
        organisation=organisation,
        action="access.account.create",
        target=user,
        details={"username": username, "role": role},
    )
    return membership


@transaction.atomic
def issue_api_token(*, user, name: str, actor=None) -> str:
    """Return a new bearer token; it is shown once and only its digest is kept."""
    token = "hw_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(token))
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    record_event(
        actor=actor or user,
        organisation=membership.organisation if membership else None,
        action="access.token.issue",
        target=user,
        details={"name": name},
    )
    return token


def user_for_api_token(token: str):
    """The active user a bearer token belongs to, or None."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    # Written without an audit row: a use of a token is not a change of data.
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
