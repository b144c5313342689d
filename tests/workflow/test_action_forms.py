"""A refused or interrupted action form: its message where the eye is, and what was typed kept."""

from django.urls import reverse

from tests.factories import PASSWORD
from tests.hazards.helpers import EN, snapshot


def refusal_at_top(text: str) -> str:
    """The refusal shown above the page's content (before the hazard's facts and the action forms)."""
    start = text.index('data-testid="action-refusal"')
    assert start < text.index('data-testid="actions"')
    return text[start : text.index("</div>", start)]


def test_a_refused_submission_says_why_at_the_top_and_at_its_form_and_keeps_the_comment(
    client, make_hazard, cast
):
    hazard = make_hazard()
    before = snapshot(hazard)
    client.force_login(cast.heping_staff)
    response = client.post(reverse("hazard_submit", args=[hazard.pk]), {"comment": "换了新的灭火器"}, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    why = "Upload at least one photo or document of the rectification first."
    top = refusal_at_top(text)
    assert why in top and 'href="#action-submit"' in top
    panel = text[text.index('id="action-submit"') :]
    panel = panel[: panel.index("</details>")]
    assert "data-refused" in panel and why in panel and "换了新的灭火器" in panel
    assert text.count("data-refused") == 1
    assert snapshot(hazard) == before


def test_a_form_error_of_an_action_is_named_at_the_top(client, make_hazard, cast):
    hazard = make_hazard(submitted=True)
    client.force_login(cast.heping_inspector)
    response = client.post(reverse("hazard_send_back", args=[hazard.pk]), {"reasons": ""}, **EN)
    assert response.status_code == 400
    assert "Say why the rectification is sent back." in refusal_at_top(response.content.decode())


def test_the_hazard_page_has_no_refusal_when_nothing_was_refused(client, make_hazard, cast):
    hazard = make_hazard()
    client.force_login(cast.heping_staff)
    text = client.get(reverse("hazard_detail", args=[hazard.pk]), **EN).content.decode()
    assert 'data-testid="action-refusal"' not in text and "data-refused" not in text


def test_after_the_session_ended_the_login_says_so_and_returns_to_the_hazard_with_the_text_kept(
    client, make_hazard, cast
):
    hazard = make_hazard(submitted=True)
    inspector = cast.heping_inspector
    before = snapshot(hazard)
    page = reverse("hazard_detail", args=[hazard.pk])
    response = client.post(reverse("hazard_send_back", args=[hazard.pk]), {"reasons": "照片看不清"}, **EN)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={page}"
    login = client.get(response.url, **EN).content.decode()
    assert "Your session ended. Log in again to go on where you were." in login
    assert f'name="next" value="{page}"' in login
    response = client.post(
        reverse("login"), {"username": inspector.username, "password": PASSWORD, "next": page}, **EN
    )
    assert response.status_code == 302 and response.url == page
    text = client.get(page, **EN).content.decode()
    panel = text[text.index('id="action-send_back"') :]
    panel = panel[: panel.index("</details>")]
    assert "照片看不清" in panel
    assert snapshot(hazard) == before
    # Kept once: the page opened again shows the empty form.
    assert "照片看不清" not in client.get(page, **EN).content.decode()


def test_a_text_kept_after_the_session_ended_is_not_shown_on_another_hazards_page(client, make_hazard, cast):
    hazard, other = make_hazard(submitted=True), make_hazard(submitted=True)
    client.post(reverse("hazard_send_back", args=[hazard.pk]), {"reasons": "照片看不清"})
    client.force_login(cast.heping_inspector)
    assert "照片看不清" not in client.get(reverse("hazard_detail", args=[other.pk])).content.decode()
    assert "照片看不清" in client.get(reverse("hazard_detail", args=[hazard.pk])).content.decode()
