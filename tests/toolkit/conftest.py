import pathlib

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
ORUK_REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "oruk"
if not ORUK_REFERENCE.is_dir():  # worktrees live one level deeper than the main checkout
    ORUK_REFERENCE = REPO_ROOT.parent.parent / "shared" / "reference" / "oruk"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never the real MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def oruk_reference():
    if not ORUK_REFERENCE.is_dir():
        pytest.fail(f"The ORUK reference files are missing: {ORUK_REFERENCE}")
    return ORUK_REFERENCE


@pytest.fixture
def worker(owner):
    return owner


@pytest.fixture(autouse=True)
def practice_areas(request):
    """The twelve areas come from a data migration; a browser test's flush removes them."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from toolkit.models import PracticeArea
    from toolkit.practice_areas import ensure_practice_areas

    ensure_practice_areas(PracticeArea)
