"""A worker maps a person's network in the browser, links two members, takes a
snapshot, adds someone and sees them gained; every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def add_member(page, label, *, kind="Person", sector, ring="Middle", another=True):
    page.get_by_label("Name or role").fill(label)
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Area of life").select_option(label=sector)
    ring_label = "Inner (life without them is hard to imagine)" if ring == "Inner" else ring
    page.get_by_label(ring_label, exact=True).check()
    page.get_by_label("How often they are in contact").select_option(label="Weekly")
    button = "Add and add another" if another else "Add to the map"
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("status").first).to_contain_text(f"{label} was added")


def test_worker_maps_links_snapshots_and_sees_one_gained(page, axe, sign_in, owner, person):
    base = f"/people/{person.public_id}/network/"
    sign_in(page, owner)
    page.goto(base)
    expect(page.get_by_role("heading", name="Nobody is on the map yet")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Add the first member").click()
    expect(page).to_have_title(re.compile("Add someone to the map"))
    axe(page)
    # Sending the form empty shows the error summary, which passes axe too.
    page.get_by_role("button", name="Add to the map").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Enter a first name, initials or a role")
    axe(page)

    add_member(page, "Sam", sector="Family", ring="Inner")
    add_member(page, "Jo", sector="Friends")
    add_member(page, "GP", sector="Services (formal, professional)", ring="Outer")
    add_member(page, "Choir", kind="Group", sector="Community (clubs, groups, faith)")
    add_member(
        page,
        "Library",
        kind="Place",
        sector="Community (clubs, groups, faith)",
        ring="Outer",
        another=False,
    )

    expect(page.get_by_role("img", name=re.compile("Network map for Pat"))).to_be_visible()
    table = page.get_by_role("table", name="Members of the map")
    expect(table.get_by_role("row")).to_have_count(6)  # header + 5
    expect(page.locator("svg.network-map g.member")).to_have_count(5)
    axe(page)

    page.get_by_role("link", name="Who knows whom").first.click()
    page.get_by_label("First member").select_option(label="Sam (family)")
    page.get_by_label("Second member").select_option(label="Sam (family)")
    page.get_by_role("button", name="Link them").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be linked to themselves")
    axe(page)
    page.get_by_label("Second member").select_option(label="Jo (friends)")
    page.get_by_role("button", name="Link them").click()
    expect(page.get_by_role("status").first).to_contain_text("Sam and Jo are now linked")
    expect(page.get_by_role("table", name="1 link")).to_be_visible()
    axe(page)

    page.goto(base + "snapshots/")
    axe(page)
    page.get_by_role("button", name="Take snapshot").click()
    expect(page.get_by_role("heading", name=re.compile("Baseline"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("snapshot"))).to_be_visible()
    expect(page.get_by_role("table", name="Members in this snapshot")).to_be_visible()
    axe(page)

    page.goto(base + "members/add/")
    add_member(
        page,
        "Walking group",
        kind="Activity",
        sector="Community (clubs, groups, faith)",
        another=False,
    )

    page.get_by_role("link", name="Compare over time").click()
    expect(page.get_by_role("heading", name="Gained: 1")).to_be_visible()
    expect(page.locator("#gained-heading + ul")).to_contain_text("Walking group")
    expect(page.get_by_role("heading", name="Lost: 0")).to_be_visible()
    axe(page)
    page.get_by_label("with").select_option(index=1)  # the baseline against itself
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose two different maps")
    axe(page)

    page.goto(base + "links/")
    page.get_by_role("link", name="Remove the link between Sam and Jo").click()
    expect(page.get_by_role("heading", name=re.compile("Remove the link"))).to_be_visible()
    axe(page)

    page.goto(base)
    page.get_by_role("link", name="Change Sam").click()
    expect(page.get_by_label("Name or role")).to_have_value("Sam")
    axe(page)
    page.goto(base)
    page.get_by_role("link", name="End Library").click()
    axe(page)
    page.get_by_role("button", name="End Library").click()
    expect(page.get_by_role("link", name="Show 1 ended member")).to_be_visible()
    page.get_by_role("link", name="Show 1 ended member").click()
    axe(page)

    page.goto(base + "export/")
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.startswith("network-members-")


def test_map_fits_a_narrow_screen_and_prints_on_the_first_a4_page(
    page, axe, sign_in, owner, person
):
    from tests.networks.factories import NetworkMemberFactory

    sectors = ["family", "friends", "services", "community", "neighbours"]
    for i in range(40):
        NetworkMemberFactory(
            service_user=person, label=f"Member {i}", sector=sectors[i % 5], ring=1 + i % 3
        )
    sign_in(page, owner)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/people/{person.public_id}/network/")
    expect(page.locator("svg.network-map")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)

    # Print: A4 less 12 mm margins is 186 × 273 mm (703 × 1032 CSS px); the map,
    # its key and the heading above it must end within the first page.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 703, "height": 1032})
    bottom = page.evaluate(
        "document.querySelector('.network-figure').getBoundingClientRect().bottom"
    )
    assert bottom <= 1032
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
