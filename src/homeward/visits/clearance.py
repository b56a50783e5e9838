"""Clearance of travellers by the authorities of the area of return, and appeals against it.

An authority sees a provider's convoys only under a visit-clearance agreement that both data
protection officers approved and that is in force today, and inside them only the travellers
whose consent to clearance is in force. Both are checked in the query on every read, so an
ended agreement or a withdrawn consent takes effect at once. What it sees is the manifest
minimum (given and family name, birth year, destination, convoy), whatever the agreement lists,
and nothing else from the registry: no patronymic, phone, shelter, address, vulnerabilities or
household. Every read is logged as "sharing.read", in the
shape a person's access-request export reads, so that they learn the authority saw them.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override as language_override

from homeward.access.caller import Caller
from homeward.access.models import Consent, Organisation, SharingAgreement
from homeward.access.models import Purpose as SharingPurpose
from homeward.access.roles import Permission
from homeward.audit.services import record_event
from homeward.messaging.models import Message
from homeward.messaging.services import queue_message
from homeward.people.validation import FieldProblem
from homeward.places.models import Settlement
from homeward.visits.models import Convoy, Traveller, VisitRequest

PURPOSE = SharingPurpose.VISIT_CLEARANCE


class RefusalReason(models.TextChoices):
    IDENTITY_NOT_VERIFIED = "identity_not_verified", gettext_lazy("Identity not verified")
    DOCUMENTS_MISSING = "documents_missing", gettext_lazy("Documents missing")
    DESTINATION_CLOSED = "destination_closed", gettext_lazy("Destination closed")
    SECURITY_OBJECTION = "security_objection", gettext_lazy("Security objection")
    OTHER = "other", gettext_lazy("Other (see the note)")


class Decision(models.TextChoices):
    CLEAR = "clear", gettext_lazy("Clear")
    REFUSE = "refuse", gettext_lazy("Refuse")


def refusal_label(code: str) -> str:
    try:
        return str(RefusalReason(code).label)
    except ValueError:
        return code


def is_final(traveller: Traveller) -> bool:
    """A decision taken on appeal, or a clearance, is not decided again."""
    return traveller.clearance == Traveller.Clearance.CLEARED or (
        traveller.clearance == Traveller.Clearance.REFUSED and traveller.appealed_at is not None
    )


# --- what the authority sees ---------------------------------------------------------------


@dataclass(frozen=True)
class ManifestEntry:
    """One traveller as the authority sees them: the manifest minimum and the clearance."""

    traveller_id: int
    given_name: str
    family_name: str
    birth_year: int | None
    destination: Settlement
    clearance: str
    refusal_reason: str
    clearance_note: str
    appeal_grounds: str
    final: bool

    @property
    def clearance_label(self) -> str:
        return str(Traveller.Clearance(self.clearance).label)

    @property
    def refusal_label(self) -> str:
        return refusal_label(self.refusal_reason) if self.refusal_reason else ""


@dataclass
class ClearanceManifest:
    convoy: Convoy
    provider: Organisation
    entries: list[ManifestEntry] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return sum(
            e.clearance in (Traveller.Clearance.PENDING, Traveller.Clearance.APPEALED)
            for e in self.entries
        )


def agreements_for_clearance(
    caller: Caller, *, today: datetime.date | None = None
) -> QuerySet[SharingAgreement]:
    """Agreements in force under which a provider shares its manifests with the caller."""
    if not caller.may(Permission.CLEAR_VISITS):
        return SharingAgreement.objects.none()
    today = today or timezone.localdate()
    return SharingAgreement.objects.filter(
        recipient=caller.organisation,
        purpose=PURPOSE,
        starts_on__lte=today,
        ends_on__gte=today,
        provider_approved_at__isnull=False,
        recipient_approved_at__isnull=False,
    )


def travellers_for_clearance(caller: Caller) -> QuerySet[Traveller]:
    """Travellers the caller's authority may see: agreement in force, consent in force, on a
    convoy still to leave."""
    providers = agreements_for_clearance(caller).values("provider_id")
    consenting = Consent.objects.filter(
        person=OuterRef("person_id"), purpose=PURPOSE, given=True, withdrawn_at__isnull=True
    )
    return Traveller.objects.filter(
        Exists(consenting),
        request__organisation_id__in=providers,
        request__status=VisitRequest.Status.PLANNED,
        request__convoy__organisation_id__in=providers,
        request__convoy__status=Convoy.Status.PLANNED,
    )


def convoys_for_clearance(caller: Caller) -> QuerySet[Convoy]:
    providers = agreements_for_clearance(caller).values("provider_id")
    return Convoy.objects.filter(organisation_id__in=providers, status=Convoy.Status.PLANNED)


def _entry(traveller: Traveller) -> ManifestEntry:
    person = traveller.person
    return ManifestEntry(
        traveller_id=traveller.pk,
        given_name=person.given_name,
        family_name=person.family_name,
        birth_year=person.birth_year,
        destination=traveller.request.destination,
        clearance=traveller.clearance,
        refusal_reason=traveller.refusal_reason,
        clearance_note=traveller.clearance_note,
        appeal_grounds=traveller.appeal_grounds,
        final=is_final(traveller),
    )


def _manifests(caller: Caller, convoys: QuerySet[Convoy]) -> list[ClearanceManifest]:
    manifests = {
        convoy.pk: ClearanceManifest(convoy=convoy, provider=convoy.organisation)
        for convoy in convoys.select_related("organisation", "route").order_by(
            "date", "organisation__name", "number"
        )
    }
    travellers = (
        travellers_for_clearance(caller)
        .filter(request__convoy_id__in=list(manifests))
        # Only what the manifest shows is loaded: the household and its phone never are.
        .select_related("person", "request__destination")
        .only(
            "id",
            "clearance",
            "refusal_reason",
            "clearance_note",
            "appeal_grounds",
            "appealed_at",
            "person__id",
            "person__given_name",
            "person__family_name",
            "person__birth_year",
            "request__id",
            "request__convoy_id",
            "request__organisation_id",
            "request__destination",
        )
        .order_by("request__convoy_id", "person__family_name", "person__given_name", "id")
    )
    seen: dict[str, list[int]] = {}
    for traveller in travellers:
        manifest = manifests[traveller.request.convoy_id]
        manifest.entries.append(_entry(traveller))
        seen.setdefault(manifest.provider.slug, []).append(traveller.person_id)
    if seen:
        # Who received whom, for what, in the shape of access/sharing.py's read: a person's
        # access-request export lists the authority from this row.
        with transaction.atomic():
            record_event(
                actor=caller.user,
                organisation=caller.organisation,
                action="sharing.read",
                details={"purpose": PURPOSE.value, "persons_by_provider": seen},
            )
    return list(manifests.values())


def clearance_manifests(caller: Caller) -> list[ClearanceManifest]:
    """Every convoy shared with the caller's authority for clearance, with its travellers."""
    caller.require(Permission.CLEAR_VISITS)
    return _manifests(caller, convoys_for_clearance(caller))


def clearance_manifest(caller: Caller, convoy_id: int) -> ClearanceManifest:
    """One convoy; Convoy.DoesNotExist when it is missing or not shared with the caller."""
    caller.require(Permission.CLEAR_VISITS)
    convoys = convoys_for_clearance(caller).filter(pk=convoy_id)
    if not convoys.exists():
        raise Convoy.DoesNotExist
    return _manifests(caller, convoys)[0]


def get_traveller_for_clearance(caller: Caller, traveller_id: int) -> Traveller:
    caller.require(Permission.CLEAR_VISITS)
    return travellers_for_clearance(caller).get(pk=traveller_id)


def manifest_entry(caller: Caller, traveller: Traveller) -> ManifestEntry:
    """The traveller as the authority sees them, after a decision (the read is not logged
    again: the decision's audit row names the traveller)."""
    return _entry(traveller)


def shared_for_clearance(
    caller: Caller, *, today: datetime.date | None = None
) -> tuple[list[dict], dict[str, list[int]]]:
    """The sharing read for the clearance purpose (access/sharing.py's `shared_with`): the
    manifest minimum of each consenting traveller, from the convoy's planning until it has
    returned, whatever fields the agreement lists; and who was shown, by provider, for the
    audit row."""
    providers = agreements_for_clearance(caller, today=today).values("provider_id")
    consenting = Consent.objects.filter(
        person=OuterRef("person_id"), purpose=PURPOSE, given=True, withdrawn_at__isnull=True
    )
    travellers = (
        Traveller.objects.filter(
            Exists(consenting),
            request__organisation_id__in=providers,
            request__status__in=[VisitRequest.Status.PLANNED, VisitRequest.Status.TRAVELLED],
            request__convoy__organisation_id__in=providers,
            request__convoy__status__in=[Convoy.Status.PLANNED, Convoy.Status.DEPARTED],
        )
        # Only the minimum is loaded: the household and its phone never are.
        .select_related(
            "person", "request__destination", "request__convoy", "request__organisation"
        )
        .only(
            "id",
            "person__id",
            "person__given_name",
            "person__family_name",
            "person__birth_year",
            "request__id",
            "request__destination__slug",
            "request__convoy__date",
            "request__convoy__number",
            "request__organisation__slug",
        )
        .order_by(
            "request__convoy__date",
            "request__convoy__number",
            "request__organisation__slug",
            "person__family_name",
            "person__given_name",
            "id",
        )
    )
    rows: list[dict] = []
    shown: dict[str, list[int]] = {}
    for traveller in travellers:
        provider = traveller.request.organisation.slug
        rows.append(
            {
                "provider": provider,
                "given_name": traveller.person.given_name,
                "family_name": traveller.person.family_name,
                "birth_year": traveller.person.birth_year,
                "destination": traveller.request.destination.slug,
                "convoy": traveller.request.convoy.code,
            }
        )
        shown.setdefault(provider, []).append(traveller.person_id)
    return rows, shown


# --- what the provider's caseworkers see ----------------------------------------------------


def refusals_of(caller: Caller) -> QuerySet[Traveller]:
    """The caller's organisation's travellers refused or under appeal, newest decision first."""
    if not caller.may(Permission.REQUEST_VISITS):
        return Traveller.objects.none()
    return (
        Traveller.objects.filter(
            request__organisation=caller.organisation,
            clearance__in=[Traveller.Clearance.REFUSED, Traveller.Clearance.APPEALED],
        )
        .select_related("person", "request__convoy", "request__destination")
        .order_by("-clearance_decided_at", "-id")
    )


def get_refusal(caller: Caller, traveller_id: int) -> Traveller:
    caller.require(Permission.REQUEST_VISITS)
    return (
        Traveller.objects.filter(request__organisation=caller.organisation)
        .select_related("person", "request__convoy", "request__destination", "request__household")
        .get(pk=traveller_id)
    )


# --- decisions and appeals ------------------------------------------------------------------


TOPIC = "visits.clearance"


def _tell_household(traveller: Traveller, decision: str, *, after_appeal: bool) -> Message:
    visit = traveller.request
    person = traveller.person
    convoy = visit.convoy
    with language_override(visit.language):
        values = {
            "name": f"{person.given_name} {person.family_name}",
            "convoy": convoy.number if convoy else "—",
            "date": formats.date_format(convoy.date, "j E Y") if convoy else "—",
            "reference": visit.reference,
            "reason": refusal_label(traveller.refusal_reason),
        }
        if decision == Decision.CLEAR:
            body = (
                _(
                    "Homeward: on appeal, %(name)s is cleared to travel on convoy %(convoy)s "
                    "on %(date)s. Request %(reference)s."
                )
                % values
            )
        elif after_appeal:
            body = (
                _(
                    "Homeward: the appeal for %(name)s was refused (%(reason)s). This decision "
                    "is final. Request %(reference)s."
                )
                % values
            )
        else:
            body = (
                _(
                    "Homeward: %(name)s was not cleared to travel on convoy %(convoy)s on "
                    "%(date)s (%(reason)s). Your caseworker can appeal. Request %(reference)s."
                )
                % values
            )
    # Written to the outbox in the decision's transaction; it leaves once the decision commits.
    return queue_message(
        organisation=visit.organisation,
        household=visit.household,
        text=body,
        language=visit.language,
        topic=TOPIC,
        about=visit,
    )


@transaction.atomic
def decide_clearance(
    *, caller: Caller, traveller_id: int, decision: str, reason: str = "", note: str = ""
) -> Traveller:
    """Clear or refuse one traveller; a refusal names a reason and is told to the household.

    A first refusal can be appealed once; the decision on the appeal is final.
    """
    caller.require(Permission.CLEAR_VISITS)
    traveller = (
        travellers_for_clearance(caller)
        .select_for_update(of=("self",))
        .select_related("request__household", "request__convoy", "person")
        .get(pk=traveller_id)
    )
    if decision not in Decision.values:
        raise FieldProblem("decision", f"choose {' or '.join(Decision.values)}")
    note = note.strip()
    if decision == Decision.REFUSE:
        if reason not in RefusalReason.values:
            raise FieldProblem("reason", f"choose among {', '.join(RefusalReason.values)}")
        if reason == RefusalReason.OTHER and not note:
            raise FieldProblem("note", "say why, when the reason is 'other'")
    elif reason:
        raise FieldProblem("reason", "a clearance takes no refusal reason")
    if len(note) > 300:
        raise FieldProblem("note", "is longer than 300 characters")
    if traveller.clearance not in (Traveller.Clearance.PENDING, Traveller.Clearance.APPEALED):
        raise FieldProblem("decision", "this traveller's clearance is already decided")
    after_appeal = traveller.clearance == Traveller.Clearance.APPEALED
    previous = traveller.clearance
    traveller.clearance = (
        Traveller.Clearance.CLEARED if decision == Decision.CLEAR else Traveller.Clearance.REFUSED
    )
    traveller.refusal_reason = reason if decision == Decision.REFUSE else ""
    traveller.clearance_note = note
    traveller.clearance_decided_at = timezone.now()
    traveller.save(
        update_fields=["clearance", "refusal_reason", "clearance_note", "clearance_decided_at"]
    )
    message = None
    if decision == Decision.REFUSE or after_appeal:
        message = _tell_household(traveller, decision, after_appeal=after_appeal)
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action=f"visits.clearance.{decision}",
        target=traveller,
        details={
            "request": traveller.request.reference,
            "provider": traveller.request.organisation_id,
            "person": traveller.person_id,
            "from": previous,
            "to": traveller.clearance,
            "refusal_reason": traveller.refusal_reason,
            "on_appeal": after_appeal,
            "household_told": message.status if message else None,
            "note_given": bool(note),
        },
        # The note stays on the traveller, where erasure reaches it: it may name people.
    )
    return traveller


@transaction.atomic
def lodge_appeal(*, caller: Caller, traveller_id: int, grounds: str) -> Traveller:
    """The owning organisation's caseworker appeals a first refusal; the authority decides
    again."""
    caller.require(Permission.REQUEST_VISITS)
    traveller = (
        Traveller.objects.select_for_update()
        .filter(request__organisation=caller.organisation)
        .get(pk=traveller_id)
    )
    grounds = grounds.strip()
    visit = traveller.request
    if visit.status not in (VisitRequest.Status.WAITING, VisitRequest.Status.PLANNED) or (
        visit.convoy_id is not None and visit.convoy.status != Convoy.Status.PLANNED
    ):
        # The authority only sees convoys still to leave: an appeal now would never be heard.
        raise FieldProblem("grounds", "the visit has taken place or was cancelled: request another")
    if traveller.clearance != Traveller.Clearance.REFUSED:
        raise FieldProblem("grounds", "only a refusal can be appealed")
    if traveller.appealed_at is not None:
        raise FieldProblem("grounds", "the decision on the appeal is final")
    if not grounds:
        raise FieldProblem("grounds", "say why the refusal should be reconsidered")
    if len(grounds) > 2000:
        raise FieldProblem("grounds", "is longer than 2000 characters")
    traveller.clearance = Traveller.Clearance.APPEALED
    traveller.appeal_grounds = grounds
    traveller.appealed_at = timezone.now()
    traveller.save(update_fields=["clearance", "appeal_grounds", "appealed_at"])
    # The grounds may speak of the person's circumstances: they stay on the traveller, where
    # erasure reaches them, not in the append-only log.
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.clearance.appeal",
        target=traveller,
        details={
            "request": traveller.request.reference,
            "person": traveller.person_id,
            "refusal_reason": traveller.refusal_reason,
        },
    )
    return traveller
