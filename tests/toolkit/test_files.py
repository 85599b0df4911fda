import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from toolkit.files import MAX_FILE_SIZE
from toolkit.models import Resource

from .test_curation import resource_data

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(client, name, content):
    data = resource_data(file=SimpleUploadedFile(name, content))
    return client.post(reverse("toolkit:resource_create"), data)


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("guide.pdf", PDF, "application/pdf"),
        ("map.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        (
            "sheet.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_files_are_stored_under_media_root(
    client_for, curator, media_root, name, content, mime
):
    response = upload(client_for(curator), name, content)
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file_type == mime
    assert resource.file_name == name
    assert resource.file_size == len(content)
    assert (media_root / resource.file.name).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"<html><script>alert(1)</script></html>", "content is not"),
        ("image.pdf", PNG, "named .pdf but its content is a PNG image"),
        ("run.exe", PDF, "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_files_whose_content_does_not_match_are_refused(
    client_for, curator, name, content, message
):
    response = upload(client_for(curator), name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_oversized_file_is_refused(client_for, curator):
    response = upload(client_for(curator), "big.pdf", PDF + b"0" * MAX_FILE_SIZE)
    assert "must be smaller than 10.0" in response.content.decode()
    assert not Resource.objects.exists()


def test_download_is_an_attachment_for_signed_in_users_only(client_for, curator, owner, client):
    upload(client_for(curator), "guide.pdf", PDF)
    resource = Resource.objects.get()
    url = reverse("toolkit:resource_download", kwargs={"public_id": resource.public_id})
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert client_for(owner).get(url).status_code == 404  # still a draft
    resource.status = Resource.Status.PUBLISHED
    resource.save()
    response = client_for(owner).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="guide.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
