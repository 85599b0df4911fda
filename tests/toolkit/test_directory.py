import uuid

import pytest
from django.urls import reverse

from toolkit.models import Contact, CostOption, Schedule, Service

from .factories import LocationFactory, OrganizationFactory, ServiceFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_directory_lists_opportunities_with_when_where_and_cost(client_for, owner):
    ServiceFactory(name="Knit and Natter", is_free=True, related__days="WE")
    content = client_for(owner).get(reverse("toolkit:directory")).content.decode()
    assert "Knit and Natter" in content
    assert "Free" in content
    assert "Wednesday" in content
    assert "Hall" in content


def test_directory_filters_by_text_category_day_and_free(client_for, owner):
    gardening = TermFactory(name="Gardening")
    ServiceFactory(name="Allotment club", is_free=True, related__days="SA", related__term=gardening)
    ServiceFactory(name="Paid choir", is_free=False, related__days="TH")
    client = client_for(owner)
    url = reverse("toolkit:directory")

    def names(**params):
        return [s.name for s in client.get(url, params).context["page_obj"]]

    assert names(q="allotment") == ["Allotment club"]
    assert names(q="Gardening") == ["Allotment club"]  # category names are searchable
    assert names(category=str(gardening.public_id)) == ["Allotment club"]
    assert names(day="TH") == ["Paid choir"]
    assert names(free="1") == ["Allotment club"]
    assert names(day="SA", free="1", q="choir") == []
    assert client.get(url, {"category": "nonsense", "day": "XX"}).status_code == 200


def test_directory_empty_state_tells_curators_what_to_do(client_for, curator):
    content = client_for(curator).get(reverse("toolkit:directory")).content.decode()
    assert "The directory is empty so far" in content
    assert reverse("toolkit:import") in content


def test_opportunity_page_shows_the_oruk_details(client_for, owner):
    service = ServiceFactory(
        name="Chair Yoga",
        eligibility_description="Adults of any fitness.",
        fees_description="£2 a session",
        related=False,
    )
    Schedule.objects.create(service=service, byday="TH", description="Thursday mornings")
    Contact.objects.create(service=service, name="Jo", phone="01632 960000")
    CostOption.objects.create(service=service, option="Everyone", amount=2)
    service.locations.add(LocationFactory(name="Leisure Centre"))
    url = reverse("toolkit:service", kwargs={"public_id": service.public_id})
    content = client_for(owner).get(url).content.decode()
    for text in ["Chair Yoga", "Adults of any fitness.", "£2 a session", "Thursday", "Jo",
                 "Leisure Centre", "£2.00"]:  # fmt: skip
        assert text in content
    assert "Edit" not in content  # workers cannot edit


def test_unknown_opportunity_is_404(client_for, owner):
    url = reverse("toolkit:service", kwargs={"public_id": uuid.uuid4()})
    assert client_for(owner).get(url).status_code == 404


def service_post(**overrides):
    data = {
        "name": "Tuesday Tea Dance",
        "organization": "",
        "new_organization": "St Aidan's Church",
        "description": "Ballroom and sequence dancing.",
        "status": "active",
        "is_free": "",
        "fees_description": "£3 including tea",
        "eligibility_description": "",
        "minimum_age": "",
        "maximum_age": "",
        "url": "",
        "email": "",
        "phone": "",
        "assured_date": "2026-11-01",
        "location-name": "St Aidan's Hall",
        "location-address_1": "1 Church Street",
        "location-city": "Southmead",
        "location-postal_code": "SM3 1GH",
        "location-location_type": "physical",
        "location-accessibility": "Ramp at the side door.",
    }
    for prefix in ["schedules", "contacts", "costs"]:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "20",
            }
        )
    data.update(
        {
            "schedules-0-freq": "WEEKLY",
            "schedules-0-days": ["TU"],
            "schedules-0-opens_at": "14:00",
            "schedules-0-closes_at": "16:00",
            "schedules-0-description": "",
            "contacts-0-name": "Pat",
            "contacts-0-title": "Organiser",
        }
    )
    data.update(overrides)
    return data


def test_curator_adds_an_opportunity_with_place_time_and_contact(client_for, curator):
    response = client_for(curator).post(reverse("toolkit:service_create"), service_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    service = Service.objects.get()
    assert service.organization.name == "St Aidan's Church"
    assert service.schedules.get().day_codes == ["TU"]
    assert service.contacts.get().name == "Pat"
    location = service.locations.get()
    assert location.postal_code == "SM3 1GH"
    assert location.accessibility.get().description == "Ramp at the side door."
    assert "Southmead" in service.search_text
    assert service.updated_by == curator


def test_opportunity_form_errors_keep_answers(client_for, curator):
    response = client_for(curator).post(
        reverse("toolkit:service_create"),
        service_post(name="", new_organization="", **{"minimum_age": "70", "maximum_age": "20"}),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in content
    assert "Choose the organisation or enter a new one" in content
    assert "maximum age must be" in content
    assert "Ballroom and sequence dancing." in content
    assert not Service.objects.exists()


def test_curator_edits_an_opportunity_and_stale_edits_conflict(client_for, curator):
    organization = OrganizationFactory()
    service = ServiceFactory(name="Old name", organization=organization, related=False)
    url = reverse("toolkit:service_edit", kwargs={"public_id": service.public_id})
    client = client_for(curator)
    assert client.get(url).status_code == 200
    data = service_post(
        name="New name",
        organization=organization.pk,
        new_organization="",
        version=service.version,
        **{"location-name": "", "location-address_1": "", "location-postal_code": ""},
    )
    assert client.post(url, data).status_code == 302
    service.refresh_from_db()
    assert service.name == "New name"
    stale = client.post(url, {**data, "name": "Stale"})
    assert stale.status_code == 409
    service.refresh_from_db()
    assert service.name == "New name"


def test_double_submitting_a_new_opportunity_creates_one(client_for, curator):
    client = client_for(curator)
    data = service_post(submission_token=str(uuid.uuid4()))
    client.post(reverse("toolkit:service_create"), data)
    client.post(reverse("toolkit:service_create"), data)
    assert Service.objects.count() == 1


@pytest.mark.parametrize("rows", [3, 30])
def test_directory_runs_a_fixed_number_of_queries(
    client_for, owner, rows, django_assert_max_num_queries
):
    term = TermFactory()
    for n in range(rows):
        ServiceFactory(name=f"Group {n}", related__term=term)
    client = client_for(owner)
    client.get(reverse("toolkit:directory"))
    # At most: one query fewer when the list fits on its first page (its own count).
    with django_assert_max_num_queries(14):
        client.get(reverse("toolkit:directory"))
    with django_assert_max_num_queries(14):
        client.get(reverse("toolkit:directory"), {"q": "group", "category": str(term.public_id)})


def test_curators_can_list_opportunities_not_checked_for_a_year(client_for, curator, owner):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    ServiceFactory(name="Checked recently", assured_date=today, related=False)
    ServiceFactory(name="Checked long ago", assured_date=today - datetime.timedelta(days=400))
    ServiceFactory(name="Never checked", related=False)
    ServiceFactory(name="Closed down", status=Service.Status.DEFUNCT, related=False)
    url = reverse("toolkit:directory")
    names = [s.name for s in client_for(curator).get(url, {"unverified": "1"}).context["page_obj"]]
    assert names == ["Checked long ago", "Closed down", "Never checked"]
    worker_view = [
        s.name for s in client_for(owner).get(url, {"unverified": "1"}).context["page_obj"]
    ]
    assert "Checked recently" in worker_view  # the filter is for curators only
    assert "Closed down" not in worker_view  # workers never see services that no longer run
    curation = client_for(curator).get(reverse("toolkit:curation")).content.decode()
    assert "3 not checked in the last year" in curation
