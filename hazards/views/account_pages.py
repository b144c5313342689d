"""Account pages: the lockout answer after too many wrong passwords, and the password reset by email.

Django's auth views do the work (login, password change and reset); the portal adds its templates, the
lockout page that django-axes shows (AXES_LOCKOUT_CALLABLE), links in the reset email to PORTAL_URL, a limit
on reset emails, and the end of a lockout once the password is reset.
"""

import hashlib

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

from safety_portal.client_ip import client_ip

RESET_WINDOW_SECONDS = 3600

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


def _reset_requests_exceeded(request: HttpRequest, email: str) -> bool:
    """Count a reset request against the client's address and against the email address, for an hour; True
    when either has asked PASSWORD_RESET_LIMIT times already. Counted alike for known and unknown addresses,
    so the answer tells nothing about which accounts exist."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    exceeded = False
    for key in (f"password-reset:address:{client_ip(request)}", f"password-reset:email:{digest}"):
        cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
        exceeded |= cache.incr(key) > settings.PASSWORD_RESET_LIMIT
    return exceeded


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, with the link in the email pointing to the portal's own address, and at most
    PASSWORD_RESET_LIMIT requests an hour from one address or for one email address (429 beyond)."""

    subject_template_name = "emails/account/password_reset_subject.txt"
    email_template_name = "emails/account/password_reset.txt"
    html_email_template_name = "emails/account/password_reset.html"

    @property
    def extra_email_context(self) -> dict:
        return {"portal_url": settings.PORTAL_URL}

    def form_valid(self, form):
        if _reset_requests_exceeded(self.request, form.cleaned_data["email"]):
            form.add_error(None, gettext("Too many password reset requests. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new password from the emailed link; a lockout of the account ends with it."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
