"""The permission matrix: every endpoint of the API × every role × an object inside and outside the scope.

The endpoints come from the URL configuration (every route of the "api" namespace with each method its view
answers); each has one row of MATRIX with the statuses expected, written as data, so an endpoint added
without a row fails `test_every_endpoint_has_a_row`. A row names its target (the kind of object in its
path), the state that object is in (so the role that may act succeeds), and the body a client would send.

Expected statuses are five fields, one per role in ROLES order (anonymous, inspector, supervisor,
enterprise, administrator); on an object, each is "inside/outside". The scopes: the inspector and the
supervisor work in 沈阳市, the enterprise user at 和平区燃气有限公司; "outside" is in 大连市, which only
the administrator sees.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from hazards.models import (
    Channel,
    Clause,
    DeliveryState,
    Enterprise,
    EvidenceStage,
    ExportState,
    HazardLevel,
    HazardStatus,
    LedgerExport,
    Notice,
    NoticeDelivery,
    NoticeKind,
    QuarterlyStatistics,
)
from hazards.services.evidence import evidence_add
from hazards.services.rankings.compute import ranking_compute
from inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion, InspectionKind, ItemAnswer
from inspections.services.findings import finding_log
from inspections.services.inspections import inspection_complete, inspection_start, item_answer
from tests.api.helpers import ROLES, by_role
from tests.factories import PASSWORD, in_status, major_criterion, photo_upload, sector

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
INSIDE, OUTSIDE = "inside", "outside"


@dataclass
class World:
    """The cast of the map, and what a row's builders made for them."""

    liaoning: object
    cast: object
    make_hazard: Callable

    def user(self, role: str):
        return by_role(self.cast, role)


def api_endpoints() -> set[tuple[str, str]]:
    """(URL name, method) of every route under the API's namespace, from the URL configuration."""
    endpoints = set()

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api" and pattern.name:
                for method in view_methods(pattern.callback):
                    endpoints.add((f"api:{pattern.name}", method))

    walk(get_resolver().url_patterns, None)
    return endpoints


def view_methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None)  # a viewset's route: its method -> action map
    if actions is not None:
        return [method.upper() for method in actions if method.upper() in METHODS]
    view_class = callback.view_class
    return [method for method in METHODS if hasattr(view_class, method.lower())]


# --- The objects a row acts on, inside and outside the scope -------------------------------------------


def _hazard(world: World, place: str, **fields):
    if place == OUTSIDE:
        fields.setdefault("of_another_region", True)
        fields.setdefault("found_by", world.cast.dalian_inspector)
    return world.make_hazard(**fields)


def hazard(
    status=HazardStatus.OPEN, level=HazardLevel.GENERAL, *, evidence: str | None = None, extension=False
):
    """A builder of a hazard in a state: with rectification evidence, a pending extension request..."""

    def build(world: World, place: str, role: str) -> dict:
        hazard = _hazard(world, place, **in_status(status), major=level == HazardLevel.MAJOR)
        staff = world.cast.heping_staff if place == INSIDE else world.cast.zhongshan_staff
        if evidence:
            evidence_add(actor=staff, hazard_id=hazard.pk, upload=photo_upload(), stage=evidence)
        if extension:
            hazard.extensions.create(
                current_deadline=hazard.deadline,
                requested_deadline=hazard.deadline.replace(year=hazard.deadline.year + 1),
                reasons="设备到货延迟",
                requested_by=staff,
            )
        return {"pk": hazard.pk}

    return build


def evidence(world: World, place: str, role: str) -> dict:
    found = _hazard(world, place)
    staff = world.cast.heping_staff if place == INSIDE else world.cast.zhongshan_staff
    item = evidence_add(actor=staff, hazard_id=found.pk, upload=photo_upload(), stage=EvidenceStage.RECTIFIED)
    return {"hazard_pk": found.pk, "pk": item.pk}


def evidence_of(build: Callable) -> Callable:
    """The hazard's kwargs named as the evidence routes name them."""

    def of(world: World, place: str, role: str) -> dict:
        return {"hazard_pk": build(world, place, role)["pk"]}

    return of


def notice(world: World, place: str, role: str) -> dict:
    """The requesting user's own notice (the inspector's for anonymous); outside: another user's."""
    recipient = world.user(role) or world.cast.shenyang_inspector
    if place == OUTSIDE:
        recipient = world.cast.zhongshan_staff
    found = world.make_hazard()
    made = Notice.objects.create(
        kind=NoticeKind.OVERDUE, hazard=found, recipient=recipient, step=0, requires_acknowledgement=True
    )
    NoticeDelivery.objects.create(
        notice=made, channel=Channel.IN_APP, state=DeliveryState.SENT, attempts=1, sent_at=timezone.now()
    )
    return {"pk": made.pk}


def ranking(world: World, place: str, role: str) -> dict:
    """A draft ranking of 沈阳市 (inside) or 大连市 (outside) with its entries."""
    scope = world.liaoning.shenyang if place == INSIDE else world.liaoning.dalian
    return {"pk": ranking_compute(year=2025, quarter=3, scope=scope).pk}


def statistics(world: World, place: str, role: str) -> dict:
    """The 2025 Q3 report of 和平区燃气有限公司 (inside) or of 中山区燃气有限公司 (outside), unconfirmed."""
    company = world.liaoning.enterprises["heping" if place == INSIDE else "zhongshan"]
    report = QuarterlyStatistics.objects.create(
        enterprise=company,
        year=2025,
        quarter=3,
        region=company.region,
        sector=company.sector,
        generated_at=timezone.now(),
    )
    return {"pk": report.pk}


def enterprise(world: World, place: str, role: str) -> dict:
    return {"pk": world.liaoning.enterprises["heping" if place == INSIDE else "zhongshan"].pk}


def region(world: World, place: str, role: str) -> dict:
    return {"code": "210102" if place == INSIDE else "210202"}


def export(world: World, place: str, role: str) -> dict:
    """A finished background export (a CSV file) of the requesting user (the inspector's for anonymous);
    outside: another user's."""
    owner = world.user(role) or world.cast.shenyang_inspector
    if place == OUTSIDE:
        owner = world.cast.zhongshan_staff
    now = timezone.now()
    made = LedgerExport(user=owner, format="csv", language="en", state=ExportState.DONE)
    made.path.parent.mkdir(parents=True, exist_ok=True)
    made.path.write_text("\ufeffNumber\r\n", encoding="utf-8")
    made.file, made.finished_at, made.expires_at = made.path.name, now, now + HOUR
    made.save()
    return {"task_id": str(made.uuid)}


FINDING_FIELDS = {
    "level": "general",
    "description": "燃气报警器失效",
    "location": "锅炉房",
    "measures": "更换报警器",
    "responsible_person": "赵六",
}


def matrix_checklist() -> ChecklistTemplate:
    """An urban gas checklist of two items without a criterion: the matrix's own, made once."""
    template, created = ChecklistTemplate.objects.get_or_create(sector=sector("urban-gas"), name="矩阵检查表")
    if created:
        version = ChecklistVersion.objects.create(template=template, number=1)
        for position, text in enumerate(["调压箱是否完好", "钢瓶是否在检验有效期内"]):
            ChecklistItem.objects.create(
                version=version, number=str(position + 1), text=text, position=position
            )
    return template


def inspection(*, answered: bool = False, ordered: bool = False) -> Callable:
    """An inspection in progress, by the 沈阳市 inspector inside, the 大连市 one outside; `answered`: every
    item passed (it may be completed); `ordered`: completed, its first item failed with an open hazard."""

    def build(world: World, place: str, role: str) -> dict:
        actor = world.cast.shenyang_inspector if place == INSIDE else world.cast.dalian_inspector
        company = world.liaoning.enterprises["heping" if place == INSIDE else "zhongshan"]
        made = inspection_start(
            actor=actor,
            enterprise_id=company.pk,
            kind=InspectionKind.ROUTINE,
            checklist_id=matrix_checklist().pk,
        )
        if answered or ordered:
            for index, item in enumerate(made.checklist.items.order_by("position")):
                if ordered and index == 0:
                    finding_log(
                        actor=actor,
                        inspection_id=made.pk,
                        idempotency_key=uuid.uuid4(),
                        item_id=item.pk,
                        **FINDING_FIELDS,
                    )
                else:
                    item_answer(actor=actor, inspection_id=made.pk, item_id=item.pk, answer=ItemAnswer.PASS)
        if ordered:
            inspection_complete(actor=actor, inspection_id=made.pk)
        return {"pk": made.pk}

    return build


def checklist(world: World, place: str, role: str) -> dict:
    return {"pk": matrix_checklist().pk}


def criterion(world: World, place: str, role: str) -> dict:
    return {"pk": Clause.objects.order_by("id").first().pk}


# --- Bodies ----------------------------------------------------------------------------------------------


def hazard_log_body(world: World, role: str, target: dict) -> dict:
    return {
        "enterprise": world.liaoning.enterprises["heping"].pk,
        "level": "general",
        "description": "灭火器过期",
        "location": "仓库",
        "measures": "更换灭火器",
        "responsible_person": "赵六",
    }


def upload_body(world: World, role: str, target: dict) -> dict:
    stage = EvidenceStage.FOUND if role == "inspector" else EvidenceStage.RECTIFIED
    return {"file": photo_upload(), "stage": stage}


def token_body(world: World, role: str, target: dict) -> dict:
    user = world.user(role) or world.cast.shenyang_inspector
    return {"username": user.username, "password": PASSWORD}


NEW_ENTERPRISE = {
    "name": "和平区新能源有限公司",
    "credit_code": "912101028L03000003",
    "region": "210102",
    "sector": "urban-gas",
    "principal_name": "刘安全",
    "principal_phone": "024-23456789",
    "risk_colour": "orange",
}


def enterprise_body(world: World, role: str, target: dict) -> dict:
    """The target enterprise whole, with a new risk colour (a PUT)."""
    company = Enterprise.objects.select_related("region", "sector").get(pk=target["pk"])
    return {
        **NEW_ENTERPRISE,
        "name": company.name,
        "credit_code": company.credit_code,
        "region": company.region.code,
        "sector": company.sector.code,
        "risk_colour": "red",
    }


def start_body(world: World, role: str, target: dict) -> dict:
    return {
        "enterprise": world.liaoning.enterprises["heping"].pk,
        "kind": "routine",
        "checklist": matrix_checklist().pk,
    }


def answer_body(world: World, role: str, target: dict) -> dict:
    first = ChecklistItem.objects.filter(version__inspections=target["pk"]).order_by("position").first()
    return {"item": first.pk, "answer": "pass", "note": "完好"}


def finding_body(world: World, role: str, target: dict) -> dict:
    return {**FINDING_FIELDS, "idempotency_key": str(uuid.uuid4())}


DEDUCTION = {
    "region": "210102",
    "year": 2025,
    "quarter": 3,
    "accidents": 1,
    "deaths": 0,
    "veto": False,
    "reason": "一起燃气泄漏事故",
}


def constant(body: dict) -> Callable:
    return lambda world, role, target: dict(body)


@dataclass(frozen=True)
class Row:
    """One endpoint: its target's builder (None for a collection), the body, the statuses by role."""

    expect: str
    target: Callable[[World, str, str], dict] | None = None
    body: Callable[[World, str, dict], dict] | None = None
    multipart: bool = False
    kwargs: dict = field(default_factory=dict)

    def statuses(self) -> dict[str, tuple[int, ...]]:
        fields = self.expect.split()
        assert len(fields) == len(ROLES), self.expect
        return {
            role: tuple(int(s) for s in value.split("/")) for role, value in zip(ROLES, fields, strict=True)
        }


MOVE = "401/401 {inspector} {supervisor} {enterprise} {administrator}"


def move(*, inspector="403/404", supervisor="403/404", enterprise="403/404", administrator="403/403") -> str:
    return MOVE.format(
        inspector=inspector, supervisor=supervisor, enterprise=enterprise, administrator=administrator
    )


READ = "401/401 200/404 200/404 200/404 200/200"
# Reference data (sectors, checklists, criteria): no scope, every signed-in user reads it.
REFERENCE = "401/401 200/200 200/200 200/200 200/200"
ADMIN_WRITE = "401/401 403/404 403/404 403/404 200/200"
OWN = "401/401 200/404 200/404 200/404 200/404"
RANKING = "401/401 200/404 200/404 403/403 200/200"
DASHBOARD = RANKING  # region users and administrators, in their scope

MATRIX: dict[tuple[str, str], Row] = {
    ("api:token", "POST"): Row("200 200 200 200 200", body=token_body),
    ("api:token", "DELETE"): Row("401 204 204 204 204"),
    ("api:me", "GET"): Row("401 200 200 200 200"),
    # Hazards
    ("api:hazard-list", "GET"): Row("401 200 200 200 200"),
    ("api:hazard-list", "POST"): Row("401 201 403 201 403", body=hazard_log_body),
    ("api:hazard-detail", "GET"): Row(READ, target=hazard()),
    ("api:hazard-export", "GET"): Row("401 200 200 200 200", body=constant({"format": "xlsx"})),
    # Background exports: the user's own, or another's (which no one else sees, the administrator neither)
    ("api:export-detail", "GET"): Row(OWN, target=export),
    ("api:export-download", "GET"): Row(OWN, target=export),
    ("api:hazard-submit", "POST"): Row(
        move(enterprise="200/404"), target=hazard(evidence=EvidenceStage.RECTIFIED), body=constant({})
    ),
    ("api:hazard-send-back", "POST"): Row(
        move(inspector="200/404"),
        target=hazard(HazardStatus.SUBMITTED),
        body=constant({"reasons": "照片不清"}),
    ),
    ("api:hazard-verify", "POST"): Row(
        move(inspector="200/404"), target=hazard(HazardStatus.SUBMITTED), body=constant({})
    ),
    ("api:hazard-void", "POST"): Row(
        move(supervisor="200/404"), target=hazard(), body=constant({"reason": "重复登记"})
    ),
    ("api:hazard-plan", "POST"): Row(
        move(enterprise="200/404"),
        target=hazard(level=HazardLevel.MAJOR),
        body=constant(
            {
                "responsible_person": "王五",
                "measures": "停用并更换",
                "funds_amount": "12000.00",
                "deadline": "2099-01-01",
                "emergency_plan": "疏散预案",
            }
        ),
    ),
    ("api:hazard-extension", "POST"): Row(
        move(enterprise="200/404"),
        target=hazard(),
        body=constant({"requested_deadline": "2099-01-01", "reasons": "设备到货延迟"}),
    ),
    ("api:hazard-extension-decide", "POST"): Row(
        move(inspector="200/404"), target=hazard(extension=True), body=constant({"decision": "approve"})
    ),
    ("api:hazard-suspension", "POST"): Row(
        move(inspector="200/404", supervisor="200/404"),
        target=hazard(level=HazardLevel.MAJOR),
        body=constant({"scope": "三号车间", "starts_on": "2026-01-01"}),
    ),
    ("api:hazard-listing", "POST"): Row(
        move(supervisor="200/404"),
        target=hazard(level=HazardLevel.MAJOR),
        body=constant({"authority": "沈阳市应急管理局"}),
    ),
    ("api:hazard-level", "POST"): Row(
        move(inspector="200/404"),
        target=hazard(),
        body=lambda world, role, target: {
            "level": "major",
            "criterion": major_criterion().pk,
            "reason": "属重大隐患",
        },
    ),
    # Evidence
    ("api:hazard-evidence-list", "GET"): Row(READ, target=evidence_of(hazard())),
    ("api:hazard-evidence-list", "POST"): Row(
        move(inspector="201/404", enterprise="201/404"),
        target=evidence_of(hazard()),
        body=upload_body,
        multipart=True,
    ),
    ("api:hazard-evidence-detail", "GET"): Row(READ, target=evidence),
    ("api:hazard-evidence-download", "GET"): Row(READ, target=evidence),
    ("api:hazard-evidence-thumbnail", "GET"): Row(READ, target=evidence),
    # The register: administrators write the enterprises; sectors are everyone's reference data
    ("api:enterprise-list", "GET"): Row("401 200 200 200 200"),
    ("api:enterprise-list", "POST"): Row("401 403 403 403 201", body=constant(NEW_ENTERPRISE)),
    ("api:enterprise-detail", "GET"): Row(READ, target=enterprise),
    ("api:enterprise-detail", "PUT"): Row(ADMIN_WRITE, target=enterprise, body=enterprise_body),
    ("api:enterprise-detail", "PATCH"): Row(
        ADMIN_WRITE, target=enterprise, body=constant({"risk_colour": "red"})
    ),
    ("api:region-list", "GET"): Row("401 200 200 200 200"),
    ("api:region-detail", "GET"): Row(READ, target=region),
    ("api:sector-list", "GET"): Row("401 200 200 200 200"),
    ("api:sector-detail", "GET"): Row(REFERENCE, target=lambda world, place, role: {"code": "urban-gas"}),
    # Inspections: an inspector works on one of his; an enterprise runs its self-inspections
    ("api:inspection-list", "GET"): Row("401 200 200 200 200"),
    ("api:inspection-list", "POST"): Row("401 201 403 201 403", body=start_body),
    ("api:inspection-detail", "GET"): Row(READ, target=inspection()),
    ("api:inspection-answers", "POST"): Row(move(inspector="201/404"), target=inspection(), body=answer_body),
    ("api:inspection-findings", "POST"): Row(
        move(inspector="201/404"), target=inspection(), body=finding_body
    ),
    ("api:inspection-complete", "POST"): Row(
        move(inspector="200/404"), target=inspection(answered=True), body=constant({})
    ),
    ("api:inspection-cancel", "POST"): Row(
        move(inspector="200/404"), target=inspection(), body=constant({"reason": "开错了企业"})
    ),
    ("api:inspection-order", "GET"): Row(READ, target=inspection(ordered=True)),
    ("api:checklist-list", "GET"): Row("401 200 200 200 200"),
    ("api:checklist-detail", "GET"): Row(REFERENCE, target=checklist),
    ("api:criterion-list", "GET"): Row("401 200 200 200 200"),
    ("api:criterion-detail", "GET"): Row(REFERENCE, target=criterion),
    # Notices: a user's own, or another's (which no one else sees, the administrator neither)
    ("api:notice-list", "GET"): Row("401 200 200 200 200"),
    ("api:notice-detail", "GET"): Row(OWN, target=notice),
    ("api:notice-read", "POST"): Row(OWN, target=notice),
    ("api:notice-acknowledge", "POST"): Row(OWN, target=notice),
    # Rankings: for region users and administrators; a supervisor of the scope publishes
    ("api:ranking-list", "GET"): Row("401 200 200 403 200"),
    ("api:ranking-detail", "GET"): Row(RANKING, target=ranking),
    ("api:ranking-entries", "GET"): Row(RANKING, target=ranking),
    ("api:ranking-publish", "POST"): Row(
        "401/401 403/404 200/404 403/403 403/403", target=ranking, body=constant({})
    ),
    ("api:ranking-export", "GET"): Row(RANKING, target=ranking),
    # Ranking deductions: a supervisor's, for the regions of the scope
    ("api:ranking-deduction-list", "GET"): Row("401 403 200 403 403"),
    ("api:ranking-deduction-list", "POST"): Row("401 403 200 403 403", body=constant(DEDUCTION)),
    # Quarterly statistics: everyone's scope; the enterprise itself confirms its report
    ("api:statistics-list", "GET"): Row("401 200 200 200 200"),
    ("api:statistics-export", "GET"): Row("401 200 200 200 200"),
    ("api:statistics-detail", "GET"): Row(READ, target=statistics),
    ("api:statistics-confirm", "POST"): Row(
        move(enterprise="200/404"), target=statistics, body=constant({"principal_name": "张安全"})
    ),
    # The dashboard: for region users and administrators, of a region in their scope
    ("api:dashboard", "GET"): Row("401 200 200 403 200"),
    ("api:dashboard-region", "GET"): Row(DASHBOARD, target=region),
}


def test_every_endpoint_has_a_row():
    """An endpoint added to the API without its row in the matrix fails here; so does a stale row."""
    endpoints = api_endpoints()
    assert endpoints - set(MATRIX) == set(), "endpoints without a row in MATRIX"
    assert set(MATRIX) - endpoints == set(), "rows of MATRIX for no endpoint"


def cases():
    for (name, method), row in MATRIX.items():
        places = (INSIDE, OUTSIDE) if row.target else (None,)
        for role in ROLES:
            for place in places:
                yield pytest.param(name, method, role, place, id=f"{name}-{method}-{role}-{place or 'list'}")


@pytest.fixture
def world(liaoning, cast, make_hazard, settings, tmp_path):
    """The world of a case; the files of its background exports under tmp_path."""
    settings.VAR_DIR = tmp_path
    return World(liaoning=liaoning, cast=cast, make_hazard=make_hazard)


@pytest.mark.parametrize(("name", "method", "role", "place"), list(cases()))
def test_the_matrix(name, method, role, place, api, world, evidence_root):
    row = MATRIX[(name, method)]
    kwargs = row.target(world, place, role) if row.target else {}
    url = reverse(name, kwargs=kwargs or None)
    body = row.body(world, role, kwargs) if row.body else None
    client = api(world.user(role))
    response = getattr(client, method.lower())(url, body, format="multipart" if row.multipart else "json")
    expected = row.statuses()[role]
    wanted = expected[0] if place in (INSIDE, None) else expected[1]
    detail = response.json() if response.get("Content-Type", "").startswith("application/json") else ""
    assert response.status_code == wanted, detail


def test_the_matrix_size():
    """For the record: endpoints, and cases (endpoint × role × place) the matrix checks."""
    assert len(MATRIX) == len(api_endpoints())
    assert len(list(cases())) == sum(len(ROLES) * (2 if row.target else 1) for row in MATRIX.values())
