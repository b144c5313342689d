from django.http import HttpRequest

from hazards.models import Notice


def notices(request: HttpRequest) -> dict:
    """The unread count in the header: notices delivered in the portal and not yet read."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": Notice.objects.for_recipient(user).in_inbox().unread().count()}
