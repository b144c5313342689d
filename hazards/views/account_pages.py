"""Account pages: the lockout answer after too many wrong passwords, and the password reset by email.

Django's auth views do the work (login, password change and reset); the portal adds its templates, the
lockout page that django-axes shows (AXES_LOCKOUT_CALLABLE), and links in the reset email to PORTAL_URL.
"""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

USERNAME_RECORD_LENGTH = AccessAttempt._meta.get_field("username").max_length


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username a login attempt is recorded under (AXES_USERNAME_CALLABLE), cut to what the record holds.

    Django's login form checks a username's length only in the browser, so a longer one reaches the lockout.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return str(username)[:USERNAME_RECORD_LENGTH] if username is not None else None


def cool_off_minutes(request: HttpRequest) -> int:
    """How long a lockout lasts, in whole minutes (LOGIN_COOLOFF_MINUTES)."""
    return int(get_cool_off(request).total_seconds() // 60)


def locked_out_message(request: HttpRequest) -> str:
    minutes = cool_off_minutes(request)
    return ngettext(
        "Too many wrong passwords for this account from your address. "
        "Try again in %(minutes)d minute, or reset your password.",
        "Too many wrong passwords for this account from your address. "
        "Try again in %(minutes)d minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login: 429, as a page, or in the API's error shape under /api/."""
    retry_after = str(int(get_cool_off(request).total_seconds()))
    if request.path.startswith("/api/"):
        body = {"detail": locked_out_message(request), "code": "locked_out", "fields": {}}
        response = JsonResponse(body, status=429)
    else:
        context = {"message": locked_out_message(request), "minutes": cool_off_minutes(request)}
        response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = retry_after
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, with the link in the email pointing to the portal's own address."""

    subject_template_name = "emails/account/password_reset_subject.txt"
    email_template_name = "emails/account/password_reset.txt"
    html_email_template_name = "emails/account/password_reset.html"

    @property
    def extra_email_context(self) -> dict:
        return {"portal_url": settings.PORTAL_URL}
