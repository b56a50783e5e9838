"""Which kinds of job exist, who may start and watch each, and the function that does it.

Apps register their kinds when they load (their AppConfig.ready imports their jobs module),
so that this app knows nothing of planning or linkage.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

# report(stage, fraction done in that stage or overall, from 0 to 1)
Report = Callable[[str, float], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    permission: str
    # run(job, report) -> the result to keep (JSON); raises JobFailed with a message for people.
    run: Callable[[Any, Report], dict]


class JobFailed(Exception):
    """The work could not be done, for a reason the person who started it can act on."""


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    KINDS[kind.name] = kind


def kind_of(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind {name!r} (known: {', '.join(sorted(KINDS))})") from None
