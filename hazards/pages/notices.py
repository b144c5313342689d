"""The user's notices in the portal: the inbox, marking one read, acknowledging one that asks for it."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hazards.models import Notice
from hazards.selectors.notices import delivered_notices
from hazards.services.notices import delivery

PAGE_SIZE = 25
UNREAD, ALL = "unread", "all"
FILTERS = {ALL: gettext_lazy("All"), UNREAD: gettext_lazy("Unread")}


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """The inbox, 25 a page; ?show=unread keeps only the notices not yet read."""
    show = request.GET.get("show")
    show = show if show in FILTERS else ALL
    notices = delivered_notices(request.user)
    if show == UNREAD:
        notices = notices.unread()
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/notice_list.html",
        {"page": page, "show": show, "filters": FILTERS.items(), "next": request.get_full_path()},
    )


def _act(
    request: HttpRequest, notice_id: int, service: Callable[..., Notice], done: str | None = None
) -> HttpResponse:
    """Run a service on one of the user's notices, then show the list again (or, to htmx, the row)."""
    try:
        notice = service(actor=request.user, notice_id=notice_id)
    except Notice.DoesNotExist as error:
        raise Http404 from error
    if request.headers.get("HX-Request"):
        row = delivered_notices(request.user).filter(pk=notice.pk).first()
        next_url = request.POST.get("next", "")
        return render(request, "notices/_notice_row.html", {"notice": row, "next": next_url, "htmx": True})
    if done:
        messages.success(request, done)
    next_url = request.POST.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("notice_list")


@login_required
@require_POST
def notice_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    return _act(request, notice_id, delivery.notice_mark_read)


@login_required
@require_POST
def notice_acknowledge(request: HttpRequest, notice_id: int) -> HttpResponse:
    return _act(request, notice_id, delivery.notice_acknowledge, done=_("The notice is acknowledged."))
