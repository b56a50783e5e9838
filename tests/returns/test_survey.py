"""The intention survey's round trip: XLSForm out, Kobo and ODK submissions in."""

import json
import shutil

import pytest
from pyxform.xls2xform import convert

from homeward.audit.models import AuditEvent
from homeward.errors import InputRejected
from homeward.people import services as people
from homeward.returns.forms_export import export_survey
from homeward.returns.imports import import_survey
from homeward.returns.models import Intention
from homeward.returns.selectors import current_intentions_for


def test_the_exported_survey_converts_to_an_xform_in_three_languages(tmp_path):
    path = tmp_path / "survey.xlsx"
    export_survey(path)
    # ODK Validate (JavaRosa, the engine inside ODK Collect) checks the form when Java is here.
    result = convert(xlsform=str(path), validate=shutil.which("java") is not None)
    xform = result.xform
    assert 'lang="Armenian (hy)"' in xform and 'lang="Russian (ru)"' in xform
    assert "Schools teaching in Armenian" in xform
    assert "school_armenian" in xform and "community_police" in xform
    assert 'version="2026120301"' in xform


@pytest.fixture
def households(alice):
    return [people.register_household(caller=alice) for _ in range(3)]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def kobo_csv(households, version="2026120301"):
    a, b, c = (h.reference for h in households)
    return (
        "start;end;form_version;household/household_ref;answers/intention;answers/timing;"
        "answers/conditions;answers/conditions/school_armenian;answers/conditions/church_clergy;"
        "answers/concerns;answers/questions;meta/instanceID;_id;_uuid;_submission_time\n"
        f"2026-11-02;2026-11-02;{version};{a};return;within_2_years;school_armenian church_clergy;1;1;"
        "Our house was burnt;Who rebuilds?;uuid:aaa-1;11;aaa-1;2026-11-02T10:00:00\n"
        f"2026-11-02;2026-11-02;{version};{b.lower()};not_return;;;0;0;;;uuid:aaa-2;12;aaa-2;"
        "2026-11-02T11:00:00\n"
        f"2026-11-03;2026-11-03;{version};{c};undecided;unknown;security_guarantees;0;0;;;"
        "uuid:aaa-3;13;aaa-3;2026-11-03T09:00:00\n"
    )


def test_a_kobo_csv_export_is_imported_once(tmp_path, alice, households):
    path = write(tmp_path, "kobo.csv", kobo_csv(households))
    first = import_survey(caller=alice, path=path)
    again = import_survey(caller=alice, path=path)
    assert (first.created, first.already_imported) == (3, 0)
    assert (again.created, again.already_imported) == (0, 3)
    record = Intention.objects.get(household=households[0])
    assert record.conditions == ["school_armenian", "church_clergy"]
    assert record.concerns == "Our house was burnt"
    assert record.source == "kobo" and record.submission_id == "aaa-1"
    assert AuditEvent.objects.filter(action="returns.intention").count() == 3
    assert "burnt" not in json.dumps(list(AuditEvent.objects.values("details")))


def test_an_odk_central_csv_export_is_imported(tmp_path, alice, households):
    a, b, _c = (h.reference for h in households)
    path = write(
        tmp_path,
        "odk.csv",
        "SubmissionDate,form_version,household-household_ref,answers-intention,answers-timing,"
        "answers-conditions,answers-concerns,answers-questions,meta-instanceID,KEY,SubmitterID,"
        "FormVersion\n"
        f"2026-11-04T08:00:00Z,2026120301,{a},return,later,jobs utilities,,,uuid:odk-1,"
        "uuid:odk-1,5,2026120301\n"
        f"2026-11-04T09:00:00Z,2026120301,{b},visit_only,,,,,uuid:odk-2,uuid:odk-2,5,2026120301\n",
    )
    assert import_survey(caller=alice, path=path).created == 2
    record = Intention.objects.get(household=households[0])
    assert (record.source, record.conditions, record.timing) == (
        "odk",
        ["jobs", "utilities"],
        "later",
    )


def test_json_exports_of_both_tools_are_imported(tmp_path, alice, households):
    a, b, _c = (h.reference for h in households)
    kobo = {
        "count": 1,
        "results": [
            {
                "household/household_ref": a,
                "answers/intention": "return",
                "answers/conditions": "healthcare",
                "meta/instanceID": "uuid:k-1",
                "_uuid": "k-1",
                "_id": 1,
            }
        ],
    }
    odata = {
        "value": [
            {
                "__id": "uuid:o-1",
                "household": {"household_ref": b},
                "answers": {"intention": "undecided", "conditions": "jobs other"},
                "meta": {"instanceID": "uuid:o-1"},
                "__system": {"submissionDate": "2026-11-05T10:00:00Z"},
            }
        ]
    }
    assert (
        import_survey(caller=alice, path=write(tmp_path, "k.json", json.dumps(kobo))).created == 1
    )
    assert (
        import_survey(caller=alice, path=write(tmp_path, "o.json", json.dumps(odata))).created == 1
    )
    assert Intention.objects.get(household=households[1]).conditions == ["jobs", "other"]


def test_submissions_that_do_not_fit_are_named_and_nothing_is_written(tmp_path, alice, households):
    text = kobo_csv(households).replace("security_guarantees", "armenian_police")
    text = text.replace(households[1].reference.lower(), "HH-NONE-00")
    with pytest.raises(InputRejected) as rejected:
        import_survey(caller=alice, path=write(tmp_path, "bad.csv", text))
    problems = [(p.row, p.field) for p in rejected.value.problems]
    assert problems == [(3, "household_ref"), (4, "conditions")]
    assert "HH-NONE-00" in str(rejected.value)
    assert not Intention.objects.exists()


def test_a_submission_from_a_newer_form_is_refused(tmp_path, alice, households):
    path = write(tmp_path, "new.csv", kobo_csv(households, version="2027010101"))
    with pytest.raises(InputRejected) as rejected:
        import_survey(caller=alice, path=path)
    assert {p.field for p in rejected.value.problems} == {"form_version"}
    assert not Intention.objects.exists()


def test_another_organisation_cannot_import_onto_these_households(tmp_path, charlie, households):
    with pytest.raises(InputRejected) as rejected:
        import_survey(caller=charlie, path=write(tmp_path, "kobo.csv", kobo_csv(households)))
    assert {p.field for p in rejected.value.problems} == {"household_ref"}


def test_the_newest_answer_of_a_household_is_its_current_one(tmp_path, alice, households):
    import_survey(caller=alice, path=write(tmp_path, "kobo.csv", kobo_csv(households)))
    later = kobo_csv(households).replace("uuid:aaa-", "uuid:bbb-").replace(";aaa-", ";bbb-")
    later = later.replace(";return;", ";not_return;")
    import_survey(caller=alice, path=write(tmp_path, "later.csv", later))
    current = {i.household_id: i.intention for i in current_intentions_for(alice)}
    assert current[households[0].pk] == "not_return"
    assert len(current) == 3


def test_erasing_a_member_clears_the_households_words(tmp_path, alice, households):
    from homeward.returns.retention import erase_intention_text

    import_survey(caller=alice, path=write(tmp_path, "kobo.csv", kobo_csv(households)))
    member = people.add_person(
        caller=alice, household=households[0], given_name="Ani", family_name="Petrosyan"
    )
    erase_intention_text([member.pk])
    record = Intention.objects.get(household=households[0])
    assert (record.concerns, record.questions, record.intention) == ("", "", "return")
