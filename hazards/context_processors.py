from django.http import HttpRequest

from hazards.models import DeliveryState, Notice


def notices(request: HttpRequest) -> dict:
    """The unread count in the header: notices delivered in the portal and not yet read."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = Notice.objects.for_recipient(user).unread().filter(
        deliveries__channel="in_app", deliveries__state=DeliveryState.SENT
    )
    return {"unread_notices": unread.count()}
