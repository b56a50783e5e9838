"""How long each kind of record is kept, why, and what happens when the period ends.

Defined once, here. `docs/data-protection.md` shows this list (rendered by
`homeward render-permissions`; a test fails when the document is out of date), and
`homeward anonymise-expired` applies every rule that has an `expired` query.

To add a rule (for example the visits app, for visit and crossing records), append a
`RetentionRule` to `RULES` from the app's `AppConfig.ready()` with `register(rule)`. A rule with
`holds` keeps people's registry records both from expiry and from erasure on request, for as
long as it says: `holds(persons, now)` returns those of `persons` it keeps.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from homeward.access.models import ApiToken, Consent, SignedInSession
from homeward.people.models import Household, Person

YEAR = datetime.timedelta(days=365)


@dataclass(frozen=True)
class RetentionRule:
    key: str
    record: Promise | str
    kept: Promise | str  # for how long, in words
    then: Promise | str  # what happens at the end
    reason: Promise | str
    period: datetime.timedelta | None = None
    # The records whose period has ended at `now`, for `anonymise-expired`.
    expired: Callable[[datetime.datetime], QuerySet] | None = None
    # Ends them (anonymises or deletes) and returns what the audit row should say.
    end: Callable[[QuerySet, datetime.datetime], dict] | None = None
    # Persons this rule keeps, from expiry and from erasure on request.
    holds: Callable[[QuerySet[Person], datetime.datetime], QuerySet[Person]] | None = None
    # A DPO may name it to keep a person's data when answering an erasure request.
    named_on_request: bool = False


RULES: list[RetentionRule] = []


def register(rule: RetentionRule) -> None:
    if any(existing.key == rule.key for existing in RULES):
        raise ValueError(f"retention rule {rule.key!r} is already registered")
    RULES.append(rule)


def rule_named(key: str) -> RetentionRule | None:
    return next((rule for rule in RULES if rule.key == key), None)


def rules_holding(person: Person, now: datetime.datetime) -> list[RetentionRule]:
    one = Person.objects.filter(pk=person.pk)
    return [rule for rule in RULES if rule.holds is not None and rule.holds(one, now).exists()]


def rules_to_keep(person: Person, now: datetime.datetime) -> list[RetentionRule]:
    """The rules a DPO may name to keep this person's data on an erasure request."""
    holding = rules_holding(person, now)
    return holding + [r for r in RULES if r.named_on_request and r not in holding]


def _held_households(now: datetime.datetime) -> Q:
    held = Q(pk__in=[])
    for rule in RULES:
        if rule.holds is not None:
            held |= Q(pk__in=rule.holds(Person.objects.all(), now).values("household_id"))
    return held


# --- the registry -----------------------------------------------------------------------------

REGISTRY_INACTIVE = "registry.inactive"
REGISTRY_PERIOD = 5 * YEAR


def _inactive_households(now: datetime.datetime) -> QuerySet[Household]:
    from homeward.rights.models import Anonymisation, CorrectionRequest, ErasureRequest

    since = now - REGISTRY_PERIOD
    changed = Person.objects.filter(household=OuterRef("pk"), updated_at__gte=since)
    answered = Consent.objects.filter(person__household=OuterRef("pk")).filter(
        Q(recorded_at__gte=since) | Q(withdrawn_at__gte=since)
    )
    asked = [
        model.objects.filter(person__household=OuterRef("pk")).filter(
            Q(recorded_at__gte=since) | Q(decided_at__isnull=True)
        )
        for model in (CorrectionRequest, ErasureRequest)
    ]
    done = Anonymisation.objects.filter(household=OuterRef("pk"), person__isnull=True)
    return (
        Household.objects.filter(updated_at__lt=since)
        .exclude(Exists(changed))
        .exclude(Exists(answered))
        .exclude(Exists(asked[0]))
        .exclude(Exists(asked[1]))
        .exclude(Exists(done))
        .exclude(_held_households(now))
    )


def _anonymise_inactive(households: QuerySet[Household], now: datetime.datetime) -> dict:
    from homeward.rights.anonymisation import anonymise_households, anonymise_persons

    households = Household.objects.filter(pk__in=list(households.values_list("pk", flat=True)))
    persons = anonymise_persons(
        Person.objects.filter(household__in=households), at=now, retention_rule=REGISTRY_INACTIVE
    )
    references = anonymise_households(households, at=now, retention_rule=REGISTRY_INACTIVE)
    return {"households": references, "persons": len(persons)}


register(
    RetentionRule(
        key=REGISTRY_INACTIVE,
        record=_("Households and their persons (the registry)"),
        kept=_(
            "5 years after the last activity: a change to the household or one of its persons, "
            "a consent answer, or a correction or erasure request"
        ),
        then=_(
            "anonymised: names replaced by a marker; search keys, patronymic, birth day and "
            "month, vulnerabilities, phone, addresses, origin as written, shelter and host "
            "community cleared. The organisation, settlement of origin, registration date, sex, "
            "birth year and relation stay, for aggregate figures"
        ),
        reason=_(
            "Return takes years, and a family may come back to its registration at any point of "
            "it; a household nobody has touched for five years is no longer being helped, and "
            "keeping where its members are would only add risk."
        ),
        period=REGISTRY_PERIOD,
        expired=_inactive_households,
        end=_anonymise_inactive,
    )
)
register(
    RetentionRule(
        key="registry.legal_claim",
        record=_("A person's record needed for a legal claim or a procedure under way"),
        kept=_("while the claim or procedure lasts; the DPO reviews it at least once a year"),
        then=_("the erasure request is decided again"),
        reason=_(
            "Data needed to establish, exercise or defend a legal claim (a property claim, a "
            "complaint, a court case) may be kept despite an erasure request."
        ),
        named_on_request=True,
    )
)


# --- people's requests ------------------------------------------------------------------------

REQUEST_TEXT_PERIOD = YEAR
REQUEST_PERIOD = 6 * YEAR


def _requests_with_text(now: datetime.datetime) -> QuerySet:
    from homeward.rights.models import CorrectionRequest, ErasureRequest

    before = now - REQUEST_TEXT_PERIOD
    return _Both(
        [
            model.objects.filter(decided_at__lt=before, text_cleared_at__isnull=True)
            for model in (CorrectionRequest, ErasureRequest)
        ]
    )


def _clear_request_text(requests: "_Both", now: datetime.datetime) -> dict:
    from homeward.rights.models import CorrectionRequest

    counts = {}
    for queryset in requests.querysets:
        fields = {"statement": "", "text_cleared_at": now}
        if queryset.model is CorrectionRequest:
            fields["value_asked"] = ""
        counts[queryset.model._meta.model_name] = queryset.update(**fields)
    return counts


def _old_requests(now: datetime.datetime) -> "_Both":
    from homeward.rights.models import CorrectionRequest, ErasureRequest

    before = now - REQUEST_PERIOD
    return _Both(
        [
            model.objects.filter(decided_at__lt=before)
            for model in (CorrectionRequest, ErasureRequest)
        ]
    )


def delete_records(records: "QuerySet | _Both", now: datetime.datetime) -> dict:
    counts = {}
    for queryset in records.querysets if isinstance(records, _Both) else [records]:
        counts[queryset.model._meta.model_name] = queryset.count()
        queryset.delete()
    return counts


register(
    RetentionRule(
        key="rights.request_text",
        record=_(
            "What a person said in a correction or erasure request, and the value they asked for"
        ),
        kept=_("1 year after the decision (cleared at once if the person's data are erased)"),
        then=_("cleared; the request and its decision stay"),
        reason=_(
            "Long enough to answer a complaint about the decision; after it, the decision and "
            "its reason are what must be shown."
        ),
        period=REQUEST_TEXT_PERIOD,
        expired=_requests_with_text,
        end=_clear_request_text,
    )
)
register(
    RetentionRule(
        key="rights.requests",
        record=_(
            "Correction and erasure requests: who asked and when, how, which field, the "
            "decision, who took it and why"
        ),
        kept=_("6 years after the decision"),
        then=_("deleted; the audit log still shows that a request was recorded and decided"),
        reason=_(
            "The proof that each request was answered, for the data protection authority, for "
            "the usual period within which a complaint or claim can be brought."
        ),
        period=REQUEST_PERIOD,
        expired=_old_requests,
        end=delete_records,
    )
)


# --- sharing and access -----------------------------------------------------------------------

CONSENT_PERIOD = 3 * YEAR


def _closed_consents(now: datetime.datetime) -> QuerySet[Consent]:
    return Consent.objects.filter(withdrawn_at__lt=now - CONSENT_PERIOD)


def _revoked_tokens(now: datetime.datetime) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(revoked_at__lt=now - YEAR)


def _ended_sessions(now: datetime.datetime) -> "_Both":
    return _Both(
        [
            Session.objects.filter(expire_date__lt=now),
            SignedInSession.objects.filter(created_at__lt=now - settings.SESSION_ABSOLUTE_LIFETIME),
        ]
    )


SIGN_IN_PERIOD = datetime.timedelta(days=90)


def _old_sign_in_attempts(now: datetime.datetime) -> "_Both":
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    before = now - SIGN_IN_PERIOD
    return _Both(
        [
            model.objects.filter(attempt_time__lt=before)
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        ]
    )


register(
    RetentionRule(
        key="sharing.closed_consent",
        record=_("Consent answers that were withdrawn or replaced by a new answer"),
        kept=_("3 years after they were closed (the answer in force stays with the record)"),
        then=_("deleted"),
        reason=_(
            "They show what sharing a person had allowed at a given time, for as long as a "
            "question about a past sharing can reasonably come."
        ),
        period=CONSENT_PERIOD,
        expired=_closed_consents,
        end=delete_records,
    )
)
register(
    RetentionRule(
        key="access.revoked_tokens",
        record=_("API tokens that were revoked (only a digest is ever stored)"),
        kept=_("1 year after revocation"),
        then=_("deleted; the audit log keeps when each was issued and to whom"),
        reason=_("A revoked token opens nothing; a year leaves time to investigate an incident."),
        period=YEAR,
        expired=_revoked_tokens,
        end=delete_records,
    )
)
register(
    RetentionRule(
        key="access.sessions",
        record=_("Sign-in sessions and the record of whose each is"),
        kept=_("until they end: 30 idle minutes, at most 12 hours after sign-in"),
        then=_("deleted"),
        reason=_("A session is needed only while it is in use."),
        period=settings.SESSION_ABSOLUTE_LIFETIME,
        expired=_ended_sessions,
        end=delete_records,
    )
)
register(
    RetentionRule(
        key="access.sign_in_attempts",
        record=_("Sign-in attempts and failures: username, address, browser, time"),
        kept=_("90 days"),
        then=_("deleted"),
        reason=_(
            "Long enough to see and investigate an attack on accounts; the lock-out itself "
            "lasts 30 minutes."
        ),
        period=SIGN_IN_PERIOD,
        expired=_old_sign_in_attempts,
        end=delete_records,
    )
)
register(
    RetentionRule(
        key="people.import_runs",
        record=_("Import runs: file name and SHA-256, counts, who imported it and when"),
        kept=_("as long as Homeward is in use"),
        then="—",
        reason=_(
            "They trace every record to its source file; they hold no displaced person's data."
        ),
    )
)
register(
    RetentionRule(
        key="audit.log",
        record=_("The audit log"),
        kept=_("as long as Homeward is in use; never changed or deleted"),
        then="—",
        reason=_(
            "Accountability. The log is hash-chained, so removing a row would break the proof "
            "that no other row was changed. It holds field names, household references and "
            "record numbers, not names or values, but reasons typed by staff are kept as typed."
        ),
    )
)


class _Both:
    """Several querysets ended by one rule (e.g. the two kinds of request)."""

    def __init__(self, querysets: list[QuerySet]):
        self.querysets = querysets

    def count(self) -> int:
        return sum(qs.count() for qs in self.querysets)


def retention_table() -> str:
    """The rules as the Markdown table in docs/data-protection.md."""
    lines = ["| record | kept | then | why |", "|---|---|---|---|"]
    for rule in RULES:
        cells = [f"{rule.record} (`{rule.key}`)", str(rule.kept), str(rule.then), str(rule.reason)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
