"""Settings for the test suite: the project's settings plus what only tests need.

pytest uses this module for every test (``DJANGO_SETTINGS_MODULE`` in
pyproject.toml); a test that needs something different overrides it with the
``settings`` fixture. Tests that start ``manage.py`` in a subprocess get the
project's own settings.
"""

import tempfile
from pathlib import Path

from connecting_people.settings import *  # noqa: F403

# Personas are created for nearly every test; hashing their passwords slowly
# would dominate the suite's time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Uploaded files go to a throwaway folder, never the real media folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cp-test-media-"))

# Tests serve ORUK feeds from 127.0.0.1 over plain HTTP (as in development,
# where DEBUG allows it); pytest-django runs tests with DEBUG off.
# The dashboard counts afresh on every visit, and the ORUK feed builds every
# page, so a test sees what it has just written; tests/core/test_remember.py,
# the dashboard's own tests and tests/toolkit/test_feed.py turn the keeping on.
CONNECTING_PEOPLE = {
    **CONNECTING_PEOPLE,  # noqa: F405
    "FEED_ALLOW_LOCAL_HTTP": True,
    "DASHBOARD_FIGURES_SECONDS": 0,
    "ORUK_FEED_CACHE_SECONDS": 0,
}

# A "replica" alias mirroring the primary's test database, so the read-replica
# router can be tested (tests/core/test_replica.py). It is used only where a
# test sets CP_REPORT_DATABASE = "replica"; everywhere else reports read the
# primary, as in a deployment without DATABASE_REPLICA_URL.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
