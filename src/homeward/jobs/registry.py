"""Which kinds of job exist, who may start and watch each, and the function that does it.

Apps register their kinds when they load (their AppConfig.ready imports their jobs module),
so that this app knows nothing of planning or linkage.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise

# report(stage, fraction done in that stage or overall, from 0 to 1)
Report = Callable[[str, float], None]


class WhileRunning(StrEnum):
    """What starting a job does while one of its kind is queued or running for the organisation."""

    QUEUE = "queue"  # it queues beside it
    REFUSE = "refuse"  # it is refused: start_job raises JobAlreadyRunning
    JOIN = "join"  # start_job answers the job already under way


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    permission: str
    # run(job, report) -> the result to keep (JSON); raises JobFailed with a message for people.
    # A job whose worker died is run once more from the start: run must cope with finding
    # its own earlier attempt's committed work (each attempt's writes are one transaction).
    run: Callable[[Any, Report], dict]
    while_running: WhileRunning = WhileRunning.QUEUE


class JobFailed(Exception):
    """The work could not be done, for a reason the person who started it can act on."""


class JobAlreadyRunning(Exception):
    """A job of a kind that runs one at a time is already queued or running."""

    def __init__(self, job: Any):
        super().__init__(f"{job.kind} #{job.pk} is {job.status}")
        self.job = job


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    KINDS[kind.name] = kind


def kind_of(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind {name!r} (known: {', '.join(sorted(KINDS))})") from None
