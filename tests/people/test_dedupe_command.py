"""`homeward dedupe`: files in the import contract in, one cluster per record out."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from homeward.engines.linkage import pairwise_scores
from homeward.engines.linkage.cluster import REASONS
from homeward.engines.synthetic import (
    HostRegion,
    Origin,
    generate_population,
    write_registrations_csv,
    write_truth_csv,
)

ORIGINS = [
    Origin("stepanakert", {"hy": "Ստեփանակերտ", "hy-Latn": "Stepanakert", "az": "Xankəndi",
                           "az-Latn": "Khankendi", "ru": "Степанакерт"}, 50_000),
    Origin("martakert", {"hy": "Մարտակերտ", "hy-Latn": "Martakert", "az": "Ağdərə",
                         "az-Latn": "Aghdara", "ru": "Мартакерт"}, 4_600),
]  # fmt: skip
REGIONS = [HostRegion("yerevan", 1.0, ["yerevan"], [("YR-1", 500)])]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def registers(tmp_path_factory) -> tuple[list[Path], Path]:
    folder = tmp_path_factory.mktemp("registers")
    population = generate_population(
        people=600, seed=4, origins=ORIGINS, regions=REGIONS, sources=3
    )
    files = []
    for source, registrations in population.registrations.items():
        path = folder / f"{source}.csv"
        write_registrations_csv(path, registrations)
        files.append(path)
    # A birth date nobody can read: treated as unknown and reported, not an error.
    rows = read(files[1])
    rows[4]["birth_date"] = "spring 1970"
    write(files[1], rows)
    write_truth_csv(folder / "truth.csv", population.truth)
    return files, folder / "truth.csv"


@pytest.fixture(scope="module")
def run(registers, tmp_path_factory):
    files, _ = registers
    output = tmp_path_factory.mktemp("out") / "clusters.csv"
    pairs = output.with_name("review.csv")
    stdout, stderr = StringIO(), StringIO()
    call_command(
        "dedupe",
        "--input",
        *map(str, files),
        "--output",
        str(output),
        "--review-band",
        "0.5",
        "0.99",
        "--pairs",
        str(pairs),
        stdout=stdout,
        stderr=stderr,
        verbosity=0,
    )
    return output, pairs, stdout.getvalue(), stderr.getvalue()


def test_it_writes_one_row_per_record_in_input_order(registers, run):
    files, _ = registers
    output, _, stdout, _ = run
    written = read(output)
    expected = [(r["source"], r["record_id"]) for f in files for r in read(f)]
    assert [(r["source"], r["record_id"]) for r in written] == expected
    assert list(written[0]) == ["source", "record_id", "cluster_id"]
    assert all(r["cluster_id"].startswith("C") for r in written)
    assert f"{len(expected):,} records in" in stdout


def test_its_clusters_are_the_people(registers, run):
    _, truth_path = registers
    person = {(r["source"], r["record_id"]): r["person_id"] for r in read(truth_path)}
    written = read(run[0])
    scores = pairwise_scores(
        [person[r["source"], r["record_id"]] for r in written], [r["cluster_id"] for r in written]
    )
    assert scores.precision > 0.97 and scores.recall > 0.95


def test_it_writes_uncertain_pairs_with_what_agreed(run):
    output, pairs, _, _ = run
    rows = read(pairs)
    assert rows
    assert list(rows[0])[:7] == [
        "source_a",
        "record_id_a",
        "source_b",
        "record_id_b",
        "probability",
        "match_weight",
        "linked",
    ]
    clusters = {(r["source"], r["record_id"]): r["cluster_id"] for r in read(output)}
    for row in rows:
        assert 0.5 <= float(row["probability"])
        assert row["given_name"] and row["birth_date"] and row["phone"]
        same = (
            clusters[row["source_a"], row["record_id_a"]]
            == clusters[row["source_b"], row["record_id_b"]]
        )
        assert same == (row["linked"] == "yes")


def test_an_unreadable_birth_date_is_counted_and_located(registers, run):
    files, _ = registers
    _, _, _, stderr = run
    assert "1 unreadable birth dates" in stderr
    assert f"{files[1]}, row 6, birth_date" in stderr  # row 6: the header is row 1


def rewrite(tmp_path: Path, source: Path, change) -> Path:
    rows = read(source)
    change(rows)
    return write(tmp_path / source.name, rows)


def dedupe_fails(*arguments: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command("dedupe", *arguments, verbosity=0)
    return str(error.value)


def test_a_missing_column_is_named_with_its_file(registers, tmp_path):
    files, _ = registers
    broken = rewrite(tmp_path, files[0], lambda rows: [row.pop("phone") for row in rows])
    message = dedupe_fails("--input", str(broken), "--output", str(tmp_path / "out.csv"))
    assert f"{broken}, row 1, phone: column is missing from the header" in message
    assert not (tmp_path / "out.csv").exists()


def test_an_empty_record_id_is_named_with_its_row(registers, tmp_path):
    files, _ = registers

    def blank(rows):
        rows[2]["record_id"] = ""

    broken = rewrite(tmp_path, files[0], blank)
    message = dedupe_fails("--input", str(broken), "--output", str(tmp_path / "out.csv"))
    assert f"{broken}, row 4, record_id: is empty" in message


def test_a_repeated_record_names_both_places(registers, tmp_path):
    files, _ = registers
    first = read(files[0])[0]
    again = write(tmp_path / "again.csv", [first])
    message = dedupe_fails(
        "--input", str(files[0]), str(again), "--output", str(tmp_path / "out.csv")
    )
    assert (
        f"{again}, row 2, record_id: {first['source']}/{first['record_id']} is already in "
        f"{files[0]}, row 2" in message
    )


def test_a_missing_file_is_named(tmp_path):
    message = dedupe_fails("--input", str(tmp_path / "nowhere.csv"), "--output", "x.csv")
    assert "nowhere.csv: no such file" in message


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["--threshold", "1.5"], "--threshold must be between 0 and 1"),
        (["--review-band", "0.9", "0.5"], "--review-band needs 0 <= LOW <= HIGH <= 1"),
        (["--pairs", "p.csv"], "--pairs needs --review-band"),
    ],
)
def test_bad_options_are_refused(registers, tmp_path, arguments, problem):
    files, _ = registers
    message = dedupe_fails(
        "--input", str(files[0]), "--output", str(tmp_path / "out.csv"), *arguments
    )
    assert problem in message


# Twins registered by one body in one household: everything a family shares agrees, and the
# given names are a letter or two apart, which is what one person's typo looks like too.
TWINS = [
    ("TW-1", "Narek", "M", "H-TW1"),
    ("TW-2", "Nare", "F", "H-TW1"),  # a boy and a girl
    ("TW-3", "Arman", "M", "H-TW2"),
    ("TW-4", "Armen", "M", "H-TW2"),  # same-sex twins, one letter apart
]


@pytest.fixture(scope="module")
def twins_run(registers, tmp_path_factory):
    files, _ = registers
    folder = tmp_path_factory.mktemp("twins")
    rows = [
        {
            "source": "municipality",
            "record_id": record_id,
            "given_name": given,
            "family_name": "Petrosyan",
            "patronymic": "Armenovich",
            "sex": sex,
            "birth_date": "2011-04-17",
            "origin": "Stepanakert",
            "phone": "+37497555111",
            "household_ref": household,
        }
        for record_id, given, sex, household in TWINS
    ]
    twins = write(folder / "municipality.csv", rows)
    output, pairs = folder / "clusters.csv", folder / "pairs.csv"
    call_command(
        "dedupe",
        "--input",
        *map(str, files),
        str(twins),
        "--output",
        str(output),
        "--review-band",
        "0.5",
        "0.9",
        "--pairs",
        str(pairs),
        verbosity=0,
    )
    return files, twins, read(output), read(pairs)


def test_twins_of_one_household_never_share_a_cluster(twins_run):
    _, _, clusters, _ = twins_run
    cluster = {r["record_id"]: r["cluster_id"] for r in clusters if r["source"] == "municipality"}
    assert cluster["TW-1"] != cluster["TW-2"]
    assert cluster["TW-3"] != cluster["TW-4"]


def test_no_two_records_of_one_household_of_one_source_share_a_cluster(twins_run):
    files, twins, clusters, _ = twins_run
    household = {
        (r["source"], r["record_id"]): r["household_ref"]
        for path in (*files, twins)
        for r in read(path)
    }
    seen: dict[tuple[str, str, str], str] = {}
    for row in clusters:
        key = (row["source"], household[row["source"], row["record_id"]], row["cluster_id"])
        assert key[1] == "" or key not in seen, (row, seen.get(key))
        seen[key] = row["record_id"]


def test_twins_scored_as_one_go_to_the_pairs_file_with_the_reason(twins_run):
    _, _, _, pairs = twins_run
    kept = {
        frozenset((p["record_id_a"], p["record_id_b"])): p
        for p in pairs
        if p["source_a"] == p["source_b"] == "municipality"
    }
    same_sex = kept[frozenset(("TW-3", "TW-4"))]
    assert float(same_sex["probability"]) >= 0.9 and same_sex["linked"] == "no"
    assert same_sex["kept_apart"] == REASONS["household"]
