"""load_instrument: licensed definitions loaded from a file, versioned, refused whole."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from outcomes.models import Instrument, InstrumentVersion, Result
from outcomes.services import load_shipped_instruments
from tests.outcomes.factories import fictional, make_result

ANSWERS = {"q1": 3, "q2": 2, "q3": 0, "q4": 1, "q5": 1}


def write(tmp_path, data, name="fictional.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def load(path, *args):
    from io import StringIO

    out = StringIO()
    call_command("load_instrument", str(path), *args, stdout=out)
    return out.getvalue()


def test_the_shipped_instruments_are_loaded_by_migrate(db):
    assert set(Instrument.objects.filter(shipped=True).values_list("code", flat=True)) == {
        "ons4",
        "ucla3",
    }
    # Loading them again (every migrate does) changes nothing.
    assert {status for _i, _v, status in load_shipped_instruments()} == {"unchanged"}


def test_a_licensed_file_round_trips_through_load_instrument(tmp_path, client_for, owner):
    data = fictional()
    path = write(tmp_path, data)
    out = load(path, "--licence-holder", "Northfield Trust, licence 2026-17")
    assert "Fictional Five Wellbeing Scale (fictional-five): created, version 1." in out
    instrument = Instrument.objects.get(code="fictional-five")
    version = instrument.current_version
    assert version.number == 1 and version.source_name == "fictional.json"
    assert version.licence_holder == "Northfield Trust, licence 2026-17"
    # The stored definition is the file's, with the holder given on the command line.
    assert version.definition == {
        **data,
        "licence": {**data["licence"], "holder": version.licence_holder},
    }
    assert version.parsed.items[2].reverse is True

    page = client_for(owner).get(instrument.get_absolute_url()).content.decode()
    assert "Northfield Trust, licence 2026-17" in page
    # The licence does not allow the item text to be shown.
    assert "Secret item one" not in page and "Question 1" in page


def test_a_changed_definition_is_a_new_version_and_old_results_keep_theirs(tmp_path, person):
    path = write(tmp_path, fictional())
    load(path)
    first = make_result(person, "fictional-five", ANSWERS)
    changed = fictional()
    changed["scoring"]["total"]["bands"][2]["label"] = "Thriving"
    out = load(write(tmp_path, changed))
    assert "new version, version 2" in out
    instrument = Instrument.objects.get(code="fictional-five")
    assert instrument.current_version.number == 2
    second = make_result(person, "fictional-five", ANSWERS)
    first.refresh_from_db()
    assert first.scoring_version.number == 1 and first.scores["bands"]["total"] == "High"
    assert second.scoring_version.number == 2 and second.scores["bands"]["total"] == "Thriving"
    # Loading the same file again is no new version.
    assert "unchanged, version 2" in load(write(tmp_path, changed))
    assert InstrumentVersion.objects.filter(instrument=instrument).count() == 2


def test_loading_an_earlier_definition_again_makes_it_current(tmp_path, db):
    load(write(tmp_path, fictional()))
    changed = fictional(name="Fictional Five (revised)")
    load(write(tmp_path, changed))
    assert "reinstated, version 1" in load(write(tmp_path, fictional()))
    assert Instrument.objects.get(code="fictional-five").name == "Fictional Five Wellbeing Scale"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["items"].__setitem__(1, {**d["items"][1], "id": "q1"}), "items[1].id"),
        (lambda d: d["items"][0].__setitem__("subscales", ["sleep"]), "items[0].subscales"),
        (lambda d: d["scoring"].__setitem__("rule", "product"), "scoring.rule"),
        (lambda d: d.pop("licence"), "(the whole file)"),
    ],
)
def test_a_bad_file_is_refused_saying_where_and_nothing_is_loaded(tmp_path, db, change, expected):
    data = fictional()
    change(data)
    before = (Instrument.objects.count(), InstrumentVersion.objects.count())
    with pytest.raises(CommandError) as caught:
        load(write(tmp_path, data))
    assert "was not loaded; nothing changed" in str(caught.value)
    assert expected in str(caught.value)
    assert (Instrument.objects.count(), InstrumentVersion.objects.count()) == before


def test_a_file_that_is_not_json_or_missing_is_refused(tmp_path, db):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1"):
        load(path)
    with pytest.raises(CommandError, match="cannot read the file"):
        load(tmp_path / "missing.json")


def test_a_bad_change_to_a_loaded_instrument_keeps_the_version_in_use(tmp_path, person):
    load(write(tmp_path, fictional()))
    broken = fictional()
    broken["items"].append({"id": "q1", "response_set": "frequency"})
    with pytest.raises(CommandError):
        load(write(tmp_path, broken))
    assert Instrument.objects.get(code="fictional-five").current_version.number == 1
    assert make_result(person, "fictional-five", ANSWERS).total == 11
    assert Result.objects.count() == 1


def test_the_loading_administrator_is_recorded(tmp_path, admin_user):
    load(write(tmp_path, fictional()), "--by", admin_user.username)
    assert Instrument.objects.get(code="fictional-five").current_version.loaded_by == admin_user
    with pytest.raises(CommandError, match="No user"):
        load(write(tmp_path, fictional()), "--by", "nobody")


def test_instrument_pages_are_for_teams_and_administrators(client_for, personas, db):
    instrument = Instrument.objects.get(code="ucla3")
    for url in (reverse("measures:instruments"), instrument.get_absolute_url()):
        for name in ("owner", "supervisor", "admin"):
            assert client_for(personas[name]).get(url).status_code == 200, (name, url)
        assert client_for(personas["curator"]).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302
    page = client_for(personas["owner"]).get(instrument.get_absolute_url()).content.decode()
    assert "How often do you feel left out?" in page  # open: the wording is shown
    assert "Open: no licence needed" in page


def test_an_administrator_sets_the_follow_up_interval_in_the_admin(client_for, admin_user):
    instrument = Instrument.objects.get(code="ucla3")
    client = client_for(admin_user)
    url = f"/admin/outcomes/instrument/{instrument.pk}/change/"
    page = client.get(url).content.decode()
    assert "Follow-up interval (months)" in page and "Instrument versions" in page
    version = instrument.current_version
    inline = {
        "versions-TOTAL_FORMS": "1",
        "versions-INITIAL_FORMS": "1",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        "versions-0-id": str(version.pk),
        "versions-0-instrument": str(instrument.pk),
    }
    response = client.post(url, {"follow_up_months": "9", "active": "on", **inline})
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.follow_up_months == 9
    response = client.post(url, {"follow_up_months": "99", "active": "on", **inline})
    assert response.status_code == 200 and "Ensure this value is less than or equal to 36" in (
        response.content.decode()
    )
