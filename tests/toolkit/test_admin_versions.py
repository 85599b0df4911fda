"""The admin shows resource versions read-only: they are the resource's history."""

import pytest

from tests.toolkit.factories import ResourceFactory
from toolkit.models import ResourceVersion
from toolkit.services import resource_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(admin_user):
    resource = ResourceFactory()
    resource_update(
        resource=resource,
        data={"title": "A new title"},
        by=admin_user,
        expected_version=resource.version,
    )
    return ResourceVersion.objects.filter(resource=resource).first()


def test_admin_lists_resource_versions_without_an_add_button(client_for, admin_user, version):
    response = client_for(admin_user).get("/admin/toolkit/resourceversion/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/admin/toolkit/resourceversion/add/" not in html
    assert str(version.resource) in html


def test_admin_cannot_add_change_or_delete_a_version(client_for, admin_user, version):
    client = client_for(admin_user)
    assert client.get("/admin/toolkit/resourceversion/add/").status_code == 403
    detail = client.get(f"/admin/toolkit/resourceversion/{version.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.post(f"/admin/toolkit/resourceversion/{version.pk}/delete/").status_code == 403
    assert ResourceVersion.objects.filter(pk=version.pk).exists()
