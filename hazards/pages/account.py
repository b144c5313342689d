"""Account pages: the lockout answer after too many wrong passwords, and the password reset by email.

Django's auth views do the work (login, password change and reset); the portal adds its templates, the
lockout page that django-axes shows (AXES_LOCKOUT_CALLABLE), links in the reset email to PORTAL_URL, a limit
on reset emails, and the end of a lockout once the password is reset.
"""

import hashlib

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext

from hazards.lib.client_ip import client_ip

RESET_WINDOW_SECONDS = 3600


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
