import pathlib

import pytest

# Unchanged copies of the Open Referral UK examples (CC BY-SA 4.0, see NOTICE.md there).
ORUK_REFERENCE = pathlib.Path(__file__).parent / "fixtures" / "oruk"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never the real MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def oruk_reference():
    return ORUK_REFERENCE


@pytest.fixture(autouse=True)
def practice_areas(request):
    """The twelve areas come from a data migration; a browser test's flush removes them."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from toolkit.models import PracticeArea
    from toolkit.practice_areas import ensure_practice_areas

    ensure_practice_areas(PracticeArea)
