from io import StringIO

import pytest

from toolkit import demo
from toolkit.models import PracticeArea, Resource, Service

pytestmark = pytest.mark.django_db


def test_demo_seed_is_complete_and_idempotent():
    out = StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)
    assert PracticeArea.objects.count() == 12
    assert Resource.objects.filter(status="published").count() == len(demo.RESOURCES) == 15
    assert Service.objects.count() == 30
    stages_covered = set(
        Resource.objects.values_list("stage_tags__stage", flat=True).exclude(stage_tags=None)
    )
    assert stages_covered == {
        "referral", "getting_started", "assess", "plan", "connect", "review", "moving_on", "closed",
    }  # fmt: skip
    for service in Service.objects.prefetch_related("schedules", "locations", "categories"):
        assert service.organization_id
        assert service.schedules.all() and service.locations.all() and service.categories.all()
    assert Service.objects.filter(is_free=True).exists()
    assert Service.objects.filter(is_free=False).exists()
    assert "Toolkit: 12 practice areas, 15 resources, 30 opportunities." in out.getvalue()
    assert all(r.versions.count() == 1 for r in Resource.objects.all())
