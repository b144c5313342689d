"""factory_boy factories: regions, enterprises, users of every role, and hazards in every state.

A hazard's states are traits: HazardFactory(submitted=True, major=True), HazardFactory(**in_status(status))
for a test over every status. Its enterprise is by default the Heping enterprise of the `liaoning` map
(tests/conftest.py); `of_another_region` puts it at the Zhongshan enterprise, in Dalian.
"""

import datetime

import factory
from django.utils import timezone

from hazards.lib.credit_code import ALPHABET, check_character
from hazards.models import (
    Enterprise,
    Evidence,
    EvidenceKind,
    EvidenceStage,
    Hazard,
    HazardLevel,
    HazardSource,
    HazardStatus,
    Region,
    RegionLevel,
    RiskColour,
    Role,
    Sector,
    SupervisionListing,
    User,
)
from hazards.services.counts import counts_add

PASSWORD = "secret-pass-1"
DAY = datetime.timedelta(days=1)
# Counties of the `liaoning` map (tests/conftest.py): the one a hazard is at by default, and one in Dalian.
HEPING, ZHONGSHAN = "210102", "210202"


def credit_code_for(region_code: str, serial: int) -> str:
    """A valid code: enterprise legal person (9, 1), the region, and a nine-character organisation code."""
    organisation = "".join(ALPHABET[(serial // 31**i) % 31] for i in range(9))
    first17 = f"91{region_code}{organisation}"
    return first17 + check_character(first17)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{11 + n % 80:02d}0000")
    name = factory.LazyAttribute(lambda r: f"Region {r.code}")
    level = RegionLevel.PROVINCE
    parent = None


def sector(code: str = "urban-gas") -> Sector:
    return Sector.objects.get(code=code)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Enterprise {n}")
    credit_code = factory.LazyAttributeSequence(lambda e, n: credit_code_for(e.region.code, n))
    sector = factory.LazyFunction(sector)
    address = "1 Safety Road"
    principal_name = "Zhang San"
    principal_phone = "024-12345678"
    risk_colour = RiskColour.YELLOW


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


def inspector(region: Region, **kwargs) -> User:
    return UserFactory(role=Role.INSPECTOR, region=region, **kwargs)


def supervisor(region: Region, **kwargs) -> User:
    return UserFactory(role=Role.SUPERVISOR, region=region, **kwargs)


def enterprise_user(enterprise: Enterprise, **kwargs) -> User:
    return UserFactory(role=Role.ENTERPRISE, enterprise=enterprise, **kwargs)


def administrator(**kwargs) -> User:
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, **kwargs)


def major_criterion(sector_code: str = "urban-gas"):
    """A criterion in force for the sector (the factories' enterprises are urban gas), from the catalogue."""
    from hazards.models import Clause

    return Clause.objects.in_force().filter(standard__sectors__code=sector_code).order_by("id").first()


def map_enterprise(county_code: str) -> Enterprise:
    """The enterprise the `liaoning` map puts in the county (the first there)."""
    return Enterprise.objects.filter(region__code=county_code).order_by("pk").first()


class SupervisionListingFactory(factory.django.DjangoModelFactory):
    """A hazard's listing for supervision by its city's bureau, now, by whoever found it unless told."""

    class Meta:
        model = SupervisionListing

    authority = factory.LazyAttribute(
        lambda listing: f"{(listing.hazard.region.parent or listing.hazard.region).name}应急管理局"
    )
    listed_by = factory.SelfAttribute("hazard.found_by")
    listed_at = factory.LazyFunction(timezone.now)
    delisted_at = None


class HazardFactory(factory.django.DjangoModelFactory):
    """A hazard written straight to the database, open and general unless a trait says otherwise; pass
    found_by. Traits: major (with a criterion of the catalogue), submitted, closed, void (each with the
    time its status needs, now), overdue (its deadline yesterday), listed (a listing, `listing__...` to
    change it), of_another_region (at the Zhongshan enterprise, in Dalian)."""

    class Meta:
        model = Hazard
        skip_postgeneration_save = True  # a listing is a row of its own: the hazard has nothing more to save

    class Params:
        major = factory.Trait(
            level=HazardLevel.MAJOR, criterion=factory.LazyFunction(lambda: major_criterion())
        )
        submitted = factory.Trait(
            status=HazardStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        closed = factory.Trait(status=HazardStatus.CLOSED, closed_at=factory.LazyFunction(timezone.now))
        void = factory.Trait(status=HazardStatus.VOID)
        overdue = factory.Trait(original_deadline=factory.LazyFunction(lambda: timezone.localdate() - DAY))
        listed = factory.Trait(
            listing=factory.RelatedFactory(SupervisionListingFactory, factory_related_name="hazard")
        )
        of_another_region = factory.Trait(enterprise=factory.LazyFunction(lambda: map_enterprise(ZHONGSHAN)))

    enterprise = factory.LazyFunction(lambda: map_enterprise(HEPING))
    region = factory.LazyAttribute(lambda h: h.enterprise.region)
    sector = factory.LazyAttribute(lambda h: h.enterprise.sector)
    number_year = 2026
    number_sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda h: f"{h.region.code}-{h.number_year}-{h.number_sequence:05d}")
    source = HazardSource.GOVERNMENT_INSPECTION
    description = "燃气管道锈蚀 Gas pipe corroded"
    location = "锅炉房 Boiler room"
    level = HazardLevel.GENERAL
    measures = "更换锈蚀管段 Replace the corroded section"
    original_deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    deadline = factory.SelfAttribute("original_deadline")
    responsible_person = "赵六"
    status = HazardStatus.OPEN

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Written as the lifecycle would leave it, counts included."""
        hazard = super()._create(model_class, *args, **kwargs)
        counts_add(hazard)
        return hazard


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A row of evidence whose file is never written: a photo of the rectification, uploaded now by whoever
    found the hazard unless told (stage=..., kind=EvidenceKind.DOCUMENT for a PDF); pass hazard."""

    class Meta:
        model = Evidence

    stage = EvidenceStage.RECTIFIED
    kind = EvidenceKind.PHOTO
    file = factory.LazyAttribute(
        lambda e: f"test/{e.hazard.pk}-{e.stage}.{'pdf' if e.kind == EvidenceKind.DOCUMENT else 'jpg'}"
    )
    content_type = factory.LazyAttribute(
        lambda e: "application/pdf" if e.kind == EvidenceKind.DOCUMENT else "image/jpeg"
    )
    size = 1
    sha256 = "0" * 64
    original_name = "evidence"
    uploaded_by = factory.SelfAttribute("hazard.found_by")
    uploaded_at = factory.LazyFunction(timezone.now)


def in_status(status: str) -> dict[str, bool]:
    """The trait of a status, for a test over every status: HazardFactory(**in_status(status))."""
    return {} if status == HazardStatus.OPEN else {status: True}


def found_in_inspection(hazard: Hazard, item, *, inspection=None):
    """The hazard's finding: found for the checklist item in the inspection (by default a completed one of the
    hazard's enterprise, on the day it was found, with the item's checklist)."""
    from inspections.models import Finding, Inspection, InspectionKind, InspectionStatus

    if inspection is None:
        inspection = Inspection.objects.create(
            enterprise=hazard.enterprise,
            region=hazard.region,
            started_by=hazard.found_by,
            date=timezone.localdate(hazard.found_at),
            kind=InspectionKind.ROUTINE,
            checklist=item.version,
            status=InspectionStatus.COMPLETED,
            completed_at=hazard.found_at,
        )
    return Finding.objects.create(hazard=hazard, inspection=inspection, checklist_item=item)


def photo_upload(name: str = "photo.jpg", *, seed: int = 1, size=(96, 64), image_format: str = "JPEG"):
    """An upload of a real photo-like image; different seeds give pictures a perceptual hash tells apart."""
    import io
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle([x, y, x + rng.randrange(8, 40), y + rng.randrange(8, 30)], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def pdf_bytes(*objects: bytes) -> bytes:
    """A minimal valid PDF; objects given take the place of its one page object."""
    body = b"".join(objects) or b"3 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n"
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        + body
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def pdf_upload(name: str = "assessment.pdf"):
    """An upload of a minimal valid PDF document."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
