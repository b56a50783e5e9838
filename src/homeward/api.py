"""The JSON API under /api/v1: one NinjaAPI, one error shape, token or session sign-in."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from homeward.access.caller import Caller, caller_for
from homeward.access.services import user_for_api_token
from homeward.people.validation import FieldProblem


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_api_token(token)
        if user is None:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="Homeward API",
    version="1",
    description="Registry and gazetteer for the organisations that help displaced people return home. "
    "Authenticate with `Authorization: Bearer <token>` (see `homeward create-api-token`).",
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
)


def caller_of(request: HttpRequest, permission: str) -> Caller:
    """The caller, once their role is known to allow this endpoint at all.

    The role is checked before any record is looked up, so that a refusal never depends on
    whether a record exists or whose it is.
    """
    caller = caller_for(request.auth if request.auth is not None else request.user)
    if caller is None:
        raise PermissionDenied("no organisation membership")
    caller.require(permission)
    return caller


@api.exception_handler(ObjectDoesNotExist)
def not_found(request, exc):
    # "Not found" and "not yours" answer alike.
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "Your role does not allow this"}, status=403)


@api.exception_handler(FieldProblem)
def invalid(request, exc: FieldProblem):
    return api.create_response(
        request, {"detail": [{"field": exc.field, "message": exc.message}]}, status=422
    )


def _register_routers() -> None:
    from homeward.access.api import router as sharing_router
    from homeward.people.api import router as people_router
    from homeward.places.api import router as places_router
    from homeward.rights.api import router as rights_router

    api.add_router("/", people_router)
    api.add_router("/places", places_router)
    api.add_router("/sharing", sharing_router)
    from homeward.visits.api import router as visits_router
    from homeward.visits.clearance_api import router as clearance_router
    from homeward.visits.crossing_api import router as crossing_router

    api.add_router("/visits", visits_router)
    api.add_router("/visits", clearance_router)
    api.add_router("/visits", crossing_router)
    api.add_router("/rights", rights_router)
    from homeward.duplicates.api import router as duplicates_router

    api.add_router("/duplicates", duplicates_router)


_register_routers()
