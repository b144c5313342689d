"""The content security policy: every response carries it, and no page needs what it refuses.

The policy allows scripts and styles only from the portal's own files, so a page with an inline script, an
inline event handler (onclick=...), a style attribute or a <style> element would break under it. The pages
are found by following the links of each demo user's pages, so a new page is checked without being listed.
"""

import io
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from hazards.models import User

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Emails are read in a mail client, not served under the policy.
UNSERVED_TEMPLATES = {"emails"}
# Links not followed: they change something, download a file or leave the pages.
NOT_FOLLOWED = re.compile(r"^/(accounts/logout|i18n/)|\.(csv|xlsx)$|/evidence/\d+/$|/download/$")
PAGES_PER_ROLE = 60
PAGES_PER_SHAPE = 2  # /hazards/1/ and /hazards/2/ have one shape: two of each are enough


class InlineCode(HTMLParser):
    """Collects what a strict policy refuses: inline scripts, event handler attributes, inline styles."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=...> at line {self.getpos()[0]}")
            if name == "style":
                self.found.append(f"<{tag} style=...> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...> at line {self.getpos()[0]}")
        if tag == "a" and names.get("href"):
            self.links.append(names["href"])


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser


def assert_strict_policy(response, url: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    directives = {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }
    assert directives.get("script-src") == ["'self'"], f"{url}: {policy!r}"
    assert directives.get("default-src") == ["'self'"], f"{url}: {policy!r}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{url}: {policy!r}"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, f"{url}: {policy!r}"


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client, start: str = "/") -> dict[str, list[str]]:
    """Follow the links of the pages from `start`; returns the inline code found on each page visited."""
    seen_paths: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque([start])
    visited: dict[str, list[str]] = {}
    while queue and len(visited) < PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert "Content-Security-Policy" in response, f"{url} ({response.status_code}) has no policy"
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        assert_strict_policy(response, url)
        page = inline_code(response.content.decode())
        visited[url] = page.found
        for href in page.links:
            parts = urlsplit(href)
            if (
                parts.scheme
                or parts.netloc
                or not parts.path.startswith("/")
                or NOT_FOLLOWED.search(parts.path)
            ):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            key = shape(parts.path) + ("?" if parts.query else "")
            if link in seen_paths or shapes.get(key, 0) >= PAGES_PER_SHAPE:
                continue
            seen_paths.add(link)
            shapes[key] = shapes.get(key, 0) + 1
            queue.append(link)
    return visited


@pytest.fixture
def demo(db, evidence_root) -> None:
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.parametrize("username", ["inspector", "supervisor", "enterprise", "admin"])
def test_no_page_of_a_role_has_inline_script_handlers_or_styles(client, demo, username):
    client.force_login(User.objects.get(username=username))
    visited = crawl(client)
    offending = {url: found for url, found in visited.items() if found}
    assert offending == {}
    # The crawl reached the role's pages, not only its home page.
    assert len(visited) >= 10, sorted(visited)


def test_the_pages_of_a_hazard_and_its_forms_are_reached_by_the_crawl(client, demo):
    client.force_login(User.objects.get(username="inspector"))
    visited = crawl(client)
    assert {"/", "/hazards/", "/hazards/new/", "/dashboard/", "/rankings/", "/notices/"} <= set(visited)
    assert any(re.fullmatch(r"/hazards/\d+/", url) for url in visited)
    assert any(re.fullmatch(r"/hazards/\d+/order/", url) for url in visited)
    assert any(re.fullmatch(r"/inspections/\d+/", url) for url in visited)


def test_the_login_page_and_swagger_ui_carry_the_policy_and_no_inline_code(client, db):
    for url in (reverse("login"), reverse("api_docs")):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict_policy(response, url)
        assert inline_code(response.content.decode()).found == [], url
    # Swagger UI's own start-up script is a file the portal serves (the split view), not inline.
    script = client.get(reverse("api_docs") + "?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize("path", ["/api/v1/hazards/", "/api/schema/", "/no-such-page/", "/admin/login/"])
def test_other_responses_carry_the_policy_too(client, db, path):
    response = client.get(path)
    assert_strict_policy(response, path)


def test_an_evidence_file_keeps_its_own_stricter_policy(client, demo):
    from hazards.models import Evidence, Hazard

    user = User.objects.get(username="supervisor")
    evidence = Evidence.objects.filter(hazard__in=Hazard.objects.visible_to(user)).first()
    client.force_login(user)
    response = client.get(reverse("evidence_download", args=[evidence.hazard_id, evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_inline_code_finder_finds_what_the_policy_refuses():
    found = inline_code(
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/a.js"></script>'
        '<button onclick="x()">b</button><div style="width: 1%"></div><style>p {}</style>'
        '<a href="javascript:void(0)">x</a><div hx-on:click="x()"></div>'
    ).found
    assert len(found) == 6, found


@pytest.mark.parametrize(
    "template",
    sorted(
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).parts[0] not in UNSERVED_TEMPLATES
    ),
)
def test_no_template_writes_inline_code(template):
    source = re.sub(r"{#.*?#}", "", (TEMPLATES / template).read_text())
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), "an inline <script>"
    assert not re.search(r"<style\b", source), "a <style> element"
    assert not re.search(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", source), "an inline event handler"
    assert not re.search(r"\sstyle\s*=", source), "a style attribute"
