"""Demo hazards in every state, made through the workflow's own services so they are what users would make.

Open, overdue, submitted, sent back, closed, fixed on the spot and void; some major, with a plan, a
suspension and a listing; one with an extension waiting. Overdue ones are back-dated after logging, since the
services rightly refuse a deadline in the past.
"""

import datetime
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from hazards.lib.calendar import local_today
from hazards.models import (
    Clause,
    Enterprise,
    EvidenceStage,
    Hazard,
    HazardLevel,
    HazardSource,
    User,
)
from hazards.services.counts import counts_follow
from hazards.services.evidence import evidence_add
from hazards.services.extensions import extension_request
from hazards.services.hazards import hazard_log
from hazards.services.major import hazard_list_for_supervision, plan_file, suspension_record
from hazards.services.workflow import hazard_send_back, hazard_submit, hazard_verify, hazard_void

FINDINGS = [
    ("液化石油气钢瓶与灶具间距不足1米", "后厨操作间", "将气瓶移至独立气瓶间，加装燃气泄漏报警器"),
    ("消防通道堆放杂物", "一号车间东侧通道", "清理通道杂物，设置禁止占用标识"),
    ("配电箱未上锁且无警示标识", "二号厂房配电室", "加锁并张贴警示标识"),
    ("有限空间作业未设置警示标志", "污水处理池", "设置有限空间警示标志，完善作业审批"),
    ("压力表超过检定有效期", "锅炉房", "更换经检定合格的压力表"),
    ("员工未佩戴安全帽进入施工区域", "三号楼施工现场", "加强安全教育，设专人检查"),
    ("危险化学品仓库通风设施损坏", "甲类仓库", "修复通风设施并检测可燃气体浓度"),
    ("安全出口指示灯损坏", "办公楼二层", "更换安全出口指示灯"),
]
MAJOR_FINDINGS = [
    ("涉及重点监管危险化工工艺的装置未实现紧急停车功能", "硝化装置区", "增设紧急停车系统并投入使用"),
    ("可燃气体泄漏场所未设置检测报警装置", "液化烃罐区", "按国家标准设置可燃气体检测报警装置"),
]


def demo_photo(seed: int, name: str) -> SimpleUploadedFile:
    """A small generated picture standing in for a phone photo."""
    rng = random.Random(seed)
    image = Image.new("RGB", (480, 360), (rng.randrange(120, 220),) * 3)
    draw = ImageDraw.Draw(image)
    for _ in range(20):
        x, y = rng.randrange(480), rng.randrange(360)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle([x, y, x + rng.randrange(20, 120), y + rng.randrange(20, 90)], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def demo_pdf(title: str) -> SimpleUploadedFile:
    content = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", content, content_type="application/pdf")


class _DemoHazards:
    def __init__(self, inspector: User, supervisor: User, enterprise_user: User) -> None:
        self.inspector, self.supervisor, self.enterprise_user = inspector, supervisor, enterprise_user
        self.seed = 0

    def photo(self, name: str) -> SimpleUploadedFile:
        self.seed += 1
        return demo_photo(self.seed, name)

    def log(self, enterprise: Enterprise, finding: tuple[str, str, str], **fields) -> Hazard:
        description, location, measures = finding
        return hazard_log(
            actor=self.inspector,
            enterprise_id=enterprise.pk,
            source=fields.pop("source", HazardSource.GOVERNMENT_INSPECTION),
            description=description,
            location=location,
            measures=measures,
            responsible_person=enterprise.principal_name,
            level=fields.pop("level", HazardLevel.GENERAL),
            photos=[self.photo("现场照片.jpg")],
            **fields,
        )

    def rectify(self, hazard: Hazard, actor: User) -> None:
        evidence_add(
            actor=actor, hazard_id=hazard.pk, upload=self.photo("整改后.jpg"), stage=EvidenceStage.RECTIFIED
        )

    def back_date(self, hazard: Hazard, days_ago: int, overdue_by: int) -> None:
        """Found `days_ago` days ago with a deadline `overdue_by` days past (negative: still ahead)."""
        found_at = timezone.now() - datetime.timedelta(days=days_ago)
        deadline = local_today() - datetime.timedelta(days=overdue_by)
        with counts_follow(hazard):
            Hazard.objects.filter(pk=hazard.pk).update(
                found_at=found_at, deadline=deadline, original_deadline=deadline
            )
            hazard.refresh_from_db()


def hazards_seed(
    *, inspector: User, supervisor: User, enterprise_user: User, enterprises: list[Enterprise]
) -> int:
    """Hazards in every state at the demo enterprise and around the inspector's region. Idempotent."""
    if Hazard.objects.filter(found_by=inspector).exists():
        return 0
    demo = _DemoHazards(inspector, supervisor, enterprise_user)
    own, own_user = enterprise_user.enterprise, enterprise_user
    criteria = list(Clause.objects.in_force().filter(standard__sectors__code="hazardous-chemicals"))
    made = []

    # The demo enterprise: one of each state, so its user meets every action.
    made.append(demo.log(own, FINDINGS[0]))  # open, due in 30 days
    overdue = demo.log(own, FINDINGS[1])
    demo.back_date(overdue, days_ago=40, overdue_by=5)
    made.append(overdue)
    submitted = demo.log(own, FINDINGS[2])
    demo.rectify(submitted, own_user)
    hazard_submit(actor=own_user, hazard_id=submitted.pk, comment="已加锁并张贴标识")
    made.append(submitted)
    sent_back = demo.log(own, FINDINGS[3])
    demo.rectify(sent_back, own_user)
    hazard_submit(actor=own_user, hazard_id=sent_back.pk)
    hazard_send_back(actor=inspector, hazard_id=sent_back.pk, reasons="照片未显示警示标志全貌，请补充")
    made.append(sent_back)
    closed = demo.log(own, FINDINGS[4])
    demo.rectify(closed, own_user)
    hazard_submit(actor=own_user, hazard_id=closed.pk)
    hazard_verify(actor=inspector, hazard_id=closed.pk, comment="现场复查，整改到位")
    made.append(closed)
    made.append(demo.log(own, FINDINGS[7], fixed_on_spot=True, after_photos=[demo.photo("当场整改.jpg")]))
    extended = demo.log(own, FINDINGS[6])
    extension_request(
        actor=own_user,
        hazard_id=extended.pk,
        requested_deadline=extended.deadline + datetime.timedelta(days=20),
        reasons="通风设备需厂家定制，到货约需三周",
    )
    made.append(extended)
    voided = demo.log(own, FINDINGS[5])
    hazard_void(actor=supervisor, hazard_id=voided.pk, reason="与同日另一条记录重复")
    made.append(voided)

    # Major hazards: one with its plan, a suspension and a listing; one listed and overdue.
    major = demo.log(own, MAJOR_FINDINGS[0], level=HazardLevel.MAJOR, criterion_id=criteria[2].pk)
    plan_file(
        actor=own_user,
        hazard_id=major.pk,
        responsible_person=own.principal_name,
        measures="委托设计单位完成紧急停车系统设计，停产改造并联调",
        funds_amount=Decimal("380000.00"),
        deadline=major.deadline,
        emergency_plan="硝化装置区泄漏、超温事故现场处置方案",
    )
    suspension_record(
        actor=inspector,
        hazard_id=major.pk,
        scope="硝化装置停产",
        starts_on=local_today(),
        ends_on=None,
    )
    hazard_list_for_supervision(actor=supervisor, hazard_id=major.pk, authority="沈阳市安全生产委员会办公室")
    evidence_add(
        actor=own_user, hazard_id=major.pk, upload=demo_pdf("安全评估报告"), stage=EvidenceStage.ASSESSMENT
    )
    made.append(major)
    listed_overdue = demo.log(own, MAJOR_FINDINGS[1], level=HazardLevel.MAJOR, criterion_id=criteria[-1].pk)
    hazard_list_for_supervision(actor=supervisor, hazard_id=listed_overdue.pk, authority="沈阳市应急管理局")
    demo.back_date(listed_overdue, days_ago=120, overdue_by=10)
    made.append(listed_overdue)

    # Around the region: open, overdue and closed hazards at other enterprises for the lists and dashboards.
    rng = random.Random(16)
    for index, enterprise in enumerate(enterprises[:24]):
        hazard = demo.log(enterprise, FINDINGS[index % len(FINDINGS)])
        if index % 3 == 0:
            demo.back_date(hazard, days_ago=rng.randint(35, 80), overdue_by=rng.randint(1, 30))
        made.append(hazard)
    return len(made)
