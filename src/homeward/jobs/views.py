import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from homeward.jobs import selectors, services

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """For a load balancer or a monitor: no sign-in, and nothing about anyone.

    200 when the database answers and a worker beat within HOMEWARD_WORKER_STALE_SECONDS;
    503 otherwise, naming the part that fails.
    """
    checks: dict[str, str | int | None] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("healthz: the database does not answer")
        checks["database"] = "unreachable"
        checks["worker"] = "unknown"
    else:
        beat = selectors.last_worker_beat()
        age = None if beat is None else max(0, round((timezone.now() - beat).total_seconds()))
        checks["worker_heartbeat_age_seconds"] = age
        if age is None:
            checks["worker"] = "none"  # no worker has run since the last ones stopped
        elif age > services.stale_seconds():
            checks["worker"] = "stale"
        else:
            checks["worker"] = "ok"
    healthy = checks["database"] == "ok" and checks["worker"] == "ok"
    return JsonResponse(checks, status=200 if healthy else 503)
