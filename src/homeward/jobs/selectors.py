from django.db.models import QuerySet

from homeward.access.caller import Caller
from homeward.jobs.models import Job
from homeward.jobs.registry import KINDS


def jobs_visible_to(caller: Caller) -> QuerySet[Job]:
    """The organisation's jobs of the kinds the caller's role may run."""
    kinds = [name for name, kind in KINDS.items() if caller.may(kind.permission)]
    return Job.objects.filter(organisation=caller.organisation, kind__in=kinds)


def get_job(caller: Caller, job_id: int) -> Job:
    return jobs_visible_to(caller).get(pk=job_id)
