from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from homeward.access.caller import caller_for


def staff_view(permission: str):
    """A view for signed-in staff whose role grants `permission`; passes the caller on."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            caller = caller_for(request.user)
            if caller is None or not caller.may(permission):
                raise PermissionDenied
            request._homeward_caller = caller
            return view(request, caller, *args, **kwargs)

        return wrapper

    return decorate
