"""A refused move on the checklist page says why at the top and at its form; an interrupted one comes back."""

from django.urls import reverse

from inspections.models import InspectionStatus
from tests.inspections.conftest import items_of
from tests.inspections.helpers import EN, answer_url


def test_a_refused_completion_says_why_at_the_top_and_at_the_complete_form(client, start, cast):
    inspection = start()
    client.force_login(cast.heping_inspector)
    response = client.post(reverse("inspection_complete", args=[inspection.pk]), **EN)
    assert response.status_code == 400
    text = response.content.decode()
    why = "Answer every item first; unanswered: 1, 2, 3."
    top = text[text.index('data-testid="action-refusal"') :]
    assert top.index(why) < top.index('href="#complete"') < top.index('id="item-')
    complete = text[text.index('id="complete"') :]
    assert "data-refused" in complete[: complete.index("</form>")] and why in complete
    assert text.count("data-refused") == 1


def test_a_refused_answer_says_why_at_the_top_and_at_its_item(client, start, cast):
    inspection = start()
    first = items_of(inspection)[0]
    client.force_login(cast.heping_inspector)
    response = client.post(answer_url(inspection, first), {"answer": "maybe"}, **EN)
    assert response.status_code == 400
    text = response.content.decode()
    top = text[text.index('data-testid="action-refusal"') :]
    assert top.index("Answer pass, fail or not applicable.") < top.index(f'href="#item-{first.pk}"')
    row = text[text.index(f'id="item-{first.pk}"') :]
    assert "data-refused" in row[: row.index("</li>")]


def test_a_completion_after_the_session_ended_returns_to_the_inspection_after_the_login(client, start, cast):
    inspection = start()
    page = reverse("inspection_detail", args=[inspection.pk])
    response = client.post(reverse("inspection_complete", args=[inspection.pk]), **EN)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={page}"
    assert "Your session ended." in client.get(response.url, **EN).content.decode()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS
