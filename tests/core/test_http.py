"""Reading the version and token a form posted: junk is None, never an error."""

import uuid

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from core.http import posted_version_and_token

# Fixed, not uuid4(): test ids must be the same in every xdist worker.
TOKEN = uuid.UUID("3f2b9c1e-7d4a-4e8b-9c6f-2a1d5e8b7c40")


@pytest.mark.parametrize(
    "version",
    ["", "abc", "1.5", "-1", "0", "²", "9" * 30, "\x00", "1e3", None],
)
def test_a_garbled_version_reads_as_none(version):
    data = {} if version is None else {"version": version}
    assert posted_version_and_token(data).version is None


@pytest.mark.parametrize("token", ["", "not-a-uuid", "\x00", "1234", str(TOKEN) + "x", None])
def test_a_garbled_token_reads_as_none(token):
    data = {} if token is None else {"submission_token": token}
    assert posted_version_and_token(data).submission_token is None


def test_good_values_are_read_from_a_request():
    request = RequestFactory().post("/", {"version": " 7 ", "submission_token": str(TOKEN)})
    assert posted_version_and_token(request) == (7, TOKEN)


def test_a_repeated_field_reads_its_last_value_and_a_prefix_is_honoured():
    data = QueryDict(mutable=True)
    data.setlist("member-version", ["abc", "4"])
    assert posted_version_and_token(data, prefix="member").version == 4
