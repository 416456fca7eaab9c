from .notices import unread


def unread_notices(request):
    """The count beside the bell in the header: one query per page, for logged-in people."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": unread(user).count()}
