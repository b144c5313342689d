"""Where evidence files are kept (a folder or an S3-compatible bucket, from the environment), and downloads
from a bucket through a short-lived signed URL, given only after the scope check. No S3 server is needed:
signing a URL is done locally by botocore."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.functional import empty

from hazards.models import EvidenceKind
from hazards.models.evidence import evidence_storage
from tests.factories import EvidenceFactory, HazardFactory
from tests.portal.test_settings import PRODUCTION, start

PRINT_STORAGE = (
    "import django; django.setup(); "
    "from hazards.models.evidence import evidence_storage as e; "
    "e._setup(); w = e._wrapped; "
    "print(f'{type(w).__module__}.{type(w).__name__}', getattr(w, 'bucket_name', None) or w.location, "
    "getattr(w, 'endpoint_url', ''), getattr(w, 'location', ''), getattr(w, 'default_acl', ''), "
    "getattr(w, 'querystring_expire', ''), sep='|')"
)
S3 = {
    "EVIDENCE_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "portal-evidence",
    "AWS_S3_ENDPOINT_URL": "https://s3.internal.example.org:9000",
    "AWS_ACCESS_KEY_ID": "portal",
    "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
}


def storage_line(tmp_path, **environment) -> list[str]:
    result = start(tmp_path, code=PRINT_STORAGE, **environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_by_default_evidence_is_kept_in_a_folder_of_this_machine(tmp_path):
    backend, location, *_rest = storage_line(tmp_path, EVIDENCE_ROOT=str(tmp_path / "files"))
    assert backend == "django.core.files.storage.filesystem.FileSystemStorage"
    assert location == str(tmp_path / "files")


def test_evidence_storage_s3_keeps_evidence_in_a_private_bucket(tmp_path):
    line = storage_line(tmp_path, **PRODUCTION, **S3, EVIDENCE_URL_EXPIRE_SECONDS="30")
    assert line == [
        "storages.backends.s3.S3Storage",
        "portal-evidence",
        "https://s3.internal.example.org:9000",
        "evidence",
        "private",
        "30",
    ]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"EVIDENCE_STORAGE": "nfs"}, "EVIDENCE_STORAGE='nfs' is not one of"),
        ({"EVIDENCE_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME must be set when EVIDENCE_STORAGE=s3"),
        ({"EVIDENCE_DOWNLOAD_REDIRECT": "true"}, "EVIDENCE_DOWNLOAD_REDIRECT=true needs EVIDENCE_STORAGE=s3"),
        ({**S3, "AWS_S3_ADDRESSING_STYLE": "dns"}, "AWS_S3_ADDRESSING_STYLE='dns' is not one of"),
        ({**S3, "EVIDENCE_URL_EXPIRE_SECONDS": "0"}, "EVIDENCE_URL_EXPIRE_SECONDS=0 is below its minimum"),
    ],
)
def test_a_bad_evidence_storage_setting_stops_the_start(tmp_path, environment, message):
    result = start(tmp_path, **environment)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.fixture
def s3_redirect(settings):
    """Evidence in an S3 bucket (never reached: only URLs are signed), downloads by redirect."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "portal-evidence",
                "endpoint_url": "https://s3.internal.example.org:9000",
                "access_key": "portal",
                "secret_key": "not-a-real-secret",
                "region_name": "cn-north-1",
                "location": "evidence",
                "signature_version": "s3v4",
                "querystring_expire": 60,
            },
        },
    }
    settings.EVIDENCE_DOWNLOAD_REDIRECT = True
    settings.EVIDENCE_URL_EXPIRE_SECONDS = 45
    evidence_storage._wrapped = empty
    yield
    evidence_storage._wrapped = empty


@pytest.fixture
def document(liaoning, cast):
    hazard = HazardFactory(enterprise=liaoning.enterprises["heping"], found_by=cast.heping_inspector)
    # A row only: the file is never read when the answer is a signed URL.
    return EvidenceFactory(
        hazard=hazard,
        kind=EvidenceKind.DOCUMENT,
        file="2026/05/0123456789abcdef.pdf",
        size=1234,
        original_name="整改报告.pdf",
    )


def test_a_download_from_the_bucket_is_a_short_lived_signed_url_naming_the_file(
    client, s3_redirect, document, liaoning, cast
):
    client.force_login(cast.shenyang_supervisor)
    response = client.get(reverse("evidence_download", args=[document.hazard_id, document.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert (url.scheme, url.netloc) == ("https", "s3.internal.example.org:9000")
    assert url.path == "/portal-evidence/evidence/2026/05/0123456789abcdef.pdf"
    assert query["X-Amz-Expires"] == ["45"]
    assert query["response-content-type"] == ["application/pdf"]
    assert query["response-content-disposition"][0].startswith("attachment;")
    assert "utf-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.pdf" in query["response-content-disposition"][0]
    assert "X-Amz-Signature" in query


def test_the_api_download_from_the_bucket_is_a_signed_url_too(client, s3_redirect, document, liaoning, cast):
    client.force_login(cast.heping_inspector)
    response = client.get(f"/api/v1/hazards/{document.hazard_id}/evidence/{document.pk}/download/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).netloc == "s3.internal.example.org:9000"


@pytest.mark.parametrize("who", ["other_city", "other_enterprise", "anonymous"])
def test_no_signed_url_is_given_outside_the_scope(client, s3_redirect, document, liaoning, who, cast):
    users = {"other_city": "dalian_supervisor", "other_enterprise": "shenhe_staff"}
    if who in users:
        client.force_login(getattr(cast, users[who]))
    page = client.get(reverse("evidence_download", args=[document.hazard_id, document.pk]))
    api = client.get(f"/api/v1/hazards/{document.hazard_id}/evidence/{document.pk}/download/")
    for response in (page, api):
        assert "s3.internal.example.org" not in response.get("Location", "")
    if who == "anonymous":
        assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
        assert api.status_code == 401
    else:
        assert page.status_code == 404 and api.status_code == 404


def test_without_redirect_a_file_is_streamed_from_whatever_storage_holds_it(
    client, settings, document, liaoning, cast
):
    """The download reads through the configured storage (in memory here, as a bucket would), not a path."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    evidence_storage._wrapped = empty
    try:
        evidence_storage.save(document.file.name, ContentFile(b"%PDF-1.4 rectified %%EOF"))
        client.force_login(cast.shenyang_supervisor)
        response = client.get(reverse("evidence_download", args=[document.hazard_id, document.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 rectified %%EOF"
        assert response["Content-Disposition"].startswith("attachment;")
        outsider = cast.dalian_supervisor
        client.force_login(outsider)
        assert (
            client.get(reverse("evidence_download", args=[document.hazard_id, document.pk])).status_code
            == 404
        )
    finally:
        evidence_storage._wrapped = empty
