"""The JSON API under /api/v1: one NinjaAPI, one error shape, token or session sign-in."""

import functools
import json

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth

from homeward.access.caller import Caller, caller_for
from homeward.access.services import user_for_api_token
from homeward.people.validation import FieldProblem, text_problem


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_api_token(token)
        if user is None:
            return None
        request.user = user
        return user


def _refuse_unstorable(value, where: str) -> None:
    """Every string in a JSON value must be storable text: no NUL, no lone surrogate, no control
    character. Checked once here for every operation, so no view reaches the database with one."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise FieldProblem(where, problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable(key, where)
            _refuse_unstorable(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_unstorable(item, f"{where}.{index}")


class CheckedParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        # A bare null, list or number would otherwise validate as an empty object, and an
        # operation whose fields all have defaults would go ahead with nothing.
        if not isinstance(data, dict):
            raise FieldProblem("body", _("must be a JSON object"))
        _refuse_unstorable(data, "")
        return data

    def parse_querydict(self, data, list_fields, request):
        for name, values in data.lists():
            for value in (name, *values):
                _refuse_unstorable(value, name)
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    title="Homeward API",
    version="1",
    description="Registry and gazetteer for the organisations that help displaced people return home. "
    "Authenticate with `Authorization: Bearer <token>` (see `homeward create-api-token`).",
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
    parser=CheckedParser(),
)


def _path_parameters_checked(run):
    """Path parameters reach no parser: a NUL in /households/%00 is answered here."""

    @functools.wraps(run)
    def checked(request, *args, **kwargs):
        for name, value in kwargs.items():
            problem = isinstance(value, str) and text_problem(value)
            if problem:
                return invalid(request, FieldProblem(name, problem))
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(_path_parameters_checked, mode="view")


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


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja answers 400 for any body its parser refuses; a refusal naming a field is a 422.
    if isinstance(exc.__cause__, FieldProblem):
        return invalid(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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
