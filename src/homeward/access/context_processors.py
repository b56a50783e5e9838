from homeward.access.caller import caller_for
from homeward.access.roles import Permission


def membership(request):
    caller = getattr(request, "_homeward_caller", None)
    if caller is None and hasattr(request, "user"):
        caller = caller_for(request.user)
        request._homeward_caller = caller
    return {
        "caller": caller,
        "can": {p.name.lower(): bool(caller and caller.may(p.value)) for p in Permission},
    }
