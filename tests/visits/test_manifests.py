"""Printed manifests for the checkpoint and travel slips for the households."""

import datetime
import re
from pathlib import Path

import pytest
import segno
from django.conf import settings
from django.utils import formats, timezone, translation

from homeward.access.caller import caller_for
from homeward.access.roles import Role
from homeward.access.services import create_staff_account
from homeward.visits import services
from homeward.visits.models import Traveller
from tests.clients import PASSWORD, client_for

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def seated(bob, alice, family, visit, convoy_tomorrow):
    """Two requests of the Avetisyans on tomorrow's convoy: the son is cleared, his daughter
    still waits, and the grandmother travels on a request of her own."""
    household, (grandmother, son, granddaughter) = family
    services.confirm_seat(caller=bob, visit=visit, convoy=convoy_tomorrow)
    Traveller.objects.filter(request=visit, person=son).update(
        clearance=Traveller.Clearance.CLEARED
    )
    alone = services.request_visit(
        caller=alice,
        household=household,
        travellers=[grandmother],
        purposes=["graves"],
        earliest=TOMORROW,
        cargo_m3="2",
        language="ru",
    )
    services.confirm_seat(caller=bob, visit=alone, convoy=convoy_tomorrow)
    Traveller.objects.filter(request=alone).update(clearance=Traveller.Clearance.REFUSED)
    return visit, alone


def manifest_url(convoy) -> str:
    return f"/visits/checkpoint/manifests/{convoy.pk}/"


def test_the_manifest_lists_the_convoys_travellers_and_totals(bob, family, seated, convoy_tomorrow):
    household, (grandmother, son, granddaughter) = family
    visit, alone = seated
    page = client_for(bob).get(manifest_url(convoy_tomorrow)).content.decode()
    for text in (
        "Avetisyan",
        "Karen",
        "Vardani",
        "Siranush",
        "1975",
        household.reference,
        visit.reference,
        alone.reference,
        "Goris, bus station",
        "06:30",
        convoy_tomorrow.code,
    ):
        assert text in page
    # The refused grandmother is listed, but only the son and the granddaughter travel.
    assert re.search(r'class="total-people">\s*2<', page)
    assert re.search(r'class="total-cleared">\s*1<', page)
    assert re.search(r'class="total-households">\s*2<', page)
    assert re.search(r'class="total-cargo">\s*3.50 m³<', page)
    assert page.count('<span class="box"') == 2  # out and back, for the one cleared traveller


def test_the_manifest_prints_on_a4_without_the_navigation(bob, seated, convoy_tomorrow):
    page = client_for(bob).get(manifest_url(convoy_tomorrow)).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', page)
    stylesheet = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert "size: A4" in stylesheet
    assert re.search(r"\.bar, nav, footer[^{]*\{ display: none", stylesheet)


def test_the_convoy_list_links_to_each_manifest(bob, seated, convoy_tomorrow):
    page = client_for(bob).get("/visits/checkpoint/manifests/").content.decode()
    assert f'href="{manifest_url(convoy_tomorrow)}"' in page


def test_another_organisations_planner_gets_404_for_the_manifest(
    other_organisation, seated, convoy_tomorrow
):
    stranger = caller_for(
        create_staff_account(
            username="eve",
            password=PASSWORD,
            organisation=other_organisation,
            role=Role.PLANNER,
        ).user
    )
    assert client_for(stranger).get(manifest_url(convoy_tomorrow)).status_code == 404
    assert (
        convoy_tomorrow.code
        not in client_for(stranger).get("/visits/checkpoint/manifests/").content.decode()
    )


def slip_url(visit) -> str:
    return f"/visits/checkpoint/slips/{visit.reference}/"


def test_the_slip_carries_a_qr_code_of_the_reference(alice, seated, convoy_tomorrow):
    visit, _alone = seated
    page = client_for(alice).get(slip_url(visit)).content.decode()
    expected = segno.make(visit.reference, error="m").svg_inline(scale=1)
    modules = re.search(r' d="([^"]+)"', expected).group(1)
    assert modules in page  # the very QR code segno draws for this reference
    assert f"<title>{visit.reference}</title>" in page
    for text in ("Goris, bus station", "06:30", convoy_tomorrow.code, "Karen", "Ani"):
        assert text in page


def test_the_slip_leaves_out_travellers_refused_for_good(alice, seated):
    _visit, alone = seated
    page = client_for(alice).get(slip_url(alone)).content.decode()
    assert "Siranush" not in page


def test_the_slip_is_in_the_requests_language(alice, seated, convoy_tomorrow):
    _visit, alone = seated  # the grandmother asked for Russian
    page = client_for(alice).get(slip_url(alone)).content.decode()
    with translation.override("ru"):
        russian_date = formats.date_format(convoy_tomorrow.date, "l, j F Y")
    assert russian_date in page


def test_the_slip_needs_sign_in_and_the_right_role(alice, bob, charlie, seated):
    visit, _alone = seated
    from django.test import Client

    anonymous = Client().get(slip_url(visit))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(bob).get(slip_url(visit)).status_code == 403  # planners print manifests
    assert client_for(charlie).get(slip_url(visit)).status_code == 404  # another organisation
    assert client_for(alice).get(slip_url(visit)).status_code == 200
