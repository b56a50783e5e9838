"""The synthetic population: realistic households, names, places and registering bodies."""

import csv
import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from homeward.engines.synthetic import (
    REGISTRATION_COLUMNS,
    SOURCE_NAMES,
    HostRegion,
    Origin,
    Population,
    generate_population,
    write_registrations_csv,
    write_truth_csv,
)
from homeward.engines.synthetic.names_data import (
    FAMILY_NAMES,
    FEMALE_NAMES,
    MALE_NAMES,
    armenian_to_latin,
)

PEOPLE = 20_000
REFERENCE_DAY = date(2023, 9, 24)

ORIGINS = [
    Origin("stepanakert", {"hy": "Ստեփանակերտ", "hy-Latn": "Stepanakert", "az": "Xankəndi",
                           "az-Latn": "Khankendi", "ru": "Степанакерт"}, 50_000),
    Origin("martakert", {"hy": "Մարտակերտ", "hy-Latn": "Martakert", "az": "Ağdərə",
                         "az-Latn": "Aghdara", "ru": "Мартакерт"}, 4_600),
    Origin("martuni", {"hy": "Մարտունի", "hy-Latn": "Martuni", "az": "Xocavənd",
                       "az-Latn": "Khojavend", "ru": "Мартуни"}, 5_000),
    Origin("askeran", {"hy": "Ասկերան", "hy-Latn": "Askeran", "az": "Əsgəran",
                       "az-Latn": "Asgaran", "ru": "Аскеран"}, 2_300),
    Origin("chartar", {"hy": "Ճարտար", "hy-Latn": "Chartar", "az": "Çartar",
                       "az-Latn": "Chartar", "ru": "Чартар"}, 4_100),
]  # fmt: skip
# Shelters with room for about half of 20,000 people: about 45% go there.
REGIONS = [
    HostRegion("yerevan", 0.38, ["yerevan-kentron", "yerevan-arabkir"], [("YR-1", 3000), ("YR-2", 2000)]),
    HostRegion("syunik", 0.16, ["goris", "kapan"], [("SY-1", 2000)]),
    HostRegion("kotayk", 0.08, ["abovyan"], [("KT-1", 1500)]),
    HostRegion("other", 0.38, ["gyumri", "vanadzor", "armavir"], [("OT-1", 3000), ("OT-2", 2000)]),
]  # fmt: skip
ORIGIN_NAMES = {o.slug: o.names for o in ORIGINS}
SITE_REGION = {site: r.slug for r in REGIONS for site in r.sites}
SHELTER_REGION = {code: r.slug for r in REGIONS for code, _ in r.shelters}


@pytest.fixture(scope="module")
def single() -> Population:
    return generate_population(people=PEOPLE, seed=7, origins=ORIGINS, regions=REGIONS)


@pytest.fixture(scope="module")
def multi() -> Population:
    return generate_population(
        people=PEOPLE, seed=7, origins=ORIGINS, regions=REGIONS, sources=len(SOURCE_NAMES)
    )


def age(birth_date: str, on: date = REFERENCE_DAY) -> int:
    born = date.fromisoformat(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def script(text: str) -> str:
    if re.search("[\u0530-\u058f]", text):
        return "hy"
    if re.search("[\u0400-\u04ff]", text):
        return "ru"
    return "latn"


def households(population: Population) -> dict[str, list]:
    out = defaultdict(list)
    for person in population.people:
        out[person.household_id].append(person)
    return out


def records_with_people(population: Population):
    people = {p.person_id: p for p in population.people}
    truth = {(s, r): p for s, r, p in population.truth}
    for source, records in population.registrations.items():
        for record in records:
            yield record, people[truth[source, record.record_id]]


# ---- Spellings a record may hold for a person, and what a record did to them -----------

GIVEN = {(n.hy, n.sex): n for n in MALE_NAMES + FEMALE_NAMES}
FAMILY = {n.hy: n for n in FAMILY_NAMES}


def given_spellings(hy: str, sex: str) -> set[str]:
    n = GIVEN[hy, sex]
    return {s.lower() for s in (n.hy, *n.ru, *n.latin)}


def family_spellings(hy: str) -> set[str]:
    n = FAMILY[hy]
    latin = [f for f in n.latin] + [f[:-3] + end for f in n.latin if f.endswith("yan")
                                      for end in ("ian", "jan")]  # fmt: skip
    return {s.lower() for s in (n.hy, *n.ru, *latin)}


def one_edit(a: str, b: str) -> bool:
    """a and b differ by one replaced, dropped, added or two swapped adjacent letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )  # fmt: skip
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def near(text: str, spellings: set[str]) -> bool:
    text = text.lower()
    return text in spellings or any(one_edit(text, s) for s in spellings)


def name_errors(record, person) -> set[str]:
    """Which of typo and swap a record's names show against the truth."""
    given = given_spellings(person.given_name, person.sex)
    family = family_spellings(person.family_name)
    g, f = record.given_name.lower(), record.family_name.lower()
    errors = set()
    if not near(g, given) and near(g, family) and near(f, given):
        errors.add("swap")
        g, f = f, g
    if g not in given:
        errors.add("given_typo" if near(g, given) else "unexplained")
    if f not in family:
        errors.add("family_typo" if near(f, family) else "unexplained")
    return errors


_SCRIPTS = ("hy", "ru", "latn")


def origin_written(slug: str, text: str) -> str:
    """In which of its names a record wrote an origin: hy, ru, latn, az, or typo."""
    names = ORIGIN_NAMES[slug]
    for key, kind in (("hy", "hy"), ("ru", "ru"), ("hy-Latn", "latn"), ("az", "az"),
                      ("az-Latn", "az")):  # fmt: skip
        if text == names[key]:
            return kind
    return "typo"


def written_date(text: str) -> tuple[str, int, int, int]:
    """(kind, year, month, day) of a birth date as written."""
    if m := re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", text):
        return "full", int(m[3]), int(m[2]), int(m[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return "full", int(m[1]), int(m[2]), int(m[3])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return "year_month", int(m[1]), int(m[2]), 0
    if m := re.fullmatch(r"\d{4}", text):
        return "year", int(text), 0, 0
    assert text == "", text
    return "missing", 0, 0, 0


# ---- People and households ---------------------------------------------------------------


def test_it_generates_exactly_the_people_asked_for(single):
    assert len(single.people) == PEOPLE
    assert len({p.person_id for p in single.people}) == PEOPLE
    assert list(single.registrations) == ["migration-service"]
    assert sorted(p for _, _, p in single.truth) == sorted(p.person_id for p in single.people)


def test_households_have_realistic_sizes(single):
    sizes = [len(members) for members in households(single).values()]
    assert 3.4 <= sum(sizes) / len(sizes) <= 4.0
    assert min(sizes) == 1
    assert max(sizes) >= 9
    assert 0.08 <= sizes.count(1) / len(sizes) <= 0.2


def test_every_household_has_one_head_listed_first(single):
    for members in households(single).values():
        assert members[0].relation == "head"
        assert [m.relation for m in members].count("head") == 1
    relations = Counter(p.relation for p in single.people)
    for relation in ("spouse", "child", "parent", "grandchild", "grandparent", "sibling"):
        assert relations[relation] > 0, relation


def test_ages_fit_relations(single):
    checked = 0
    for members in households(single).values():
        head = members[0]
        parents_of_children = [head] + [m for m in members if m.relation == "spouse"]
        for m in members:
            if m.relation == "child":
                for parent in parents_of_children:
                    assert 18 <= years_between(parent.birth_date, m.birth_date) <= 45
                    checked += 1
            elif m.relation == "parent":
                assert 18 <= years_between(m.birth_date, head.birth_date) <= 45
            elif m.relation == "grandchild":
                assert years_between(head.birth_date, m.birth_date) >= 36
            elif m.relation == "grandparent":
                assert years_between(m.birth_date, head.birth_date) >= 36
    assert checked > PEOPLE / 4


def years_between(older: str, younger: str) -> int:
    a, b = date.fromisoformat(older), date.fromisoformat(younger)
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def test_ages_and_sexes_match_the_displaced_population(single):
    ages = [age(p.birth_date) for p in single.people]
    assert 0.28 <= sum(a < 18 for a in ages) / PEOPLE <= 0.34  # 31% children
    assert 0.15 <= sum(a >= 60 for a in ages) / PEOPLE <= 0.21  # 18% older persons
    assert 0.50 <= sum(p.sex == "F" for p in single.people) / PEOPLE <= 0.54  # 52% female
    assert max(ages) <= 100


def test_older_persons_are_flagged(single):
    for record, person in records_with_people(single):
        older = age(person.birth_date) >= 60
        assert ("older_person" in record.vulnerabilities.split(";")) == older
    codes = Counter(c for p in single.people for c in p.vulnerabilities.split(";") if c)
    assert set(codes) == {"older_person", "disability", "pregnancy", "unaccompanied_child",
                          "chronic_illness"}  # fmt: skip


def test_twins_share_a_birth_date_and_family_but_not_a_given_name(single):
    twins = 0
    for members in households(single).values():
        children = Counter(m.birth_date for m in members if m.relation == "child")
        for birth_date, count in children.items():
            if count > 1:
                pair = [m for m in members if m.relation == "child" and m.birth_date == birth_date]
                assert len({m.given_name for m in pair}) == count
                assert len({m.family_name for m in pair}) == 1
                twins += 1
    assert 20 <= twins <= 200


def test_common_names_repeat_across_households(single):
    households_per_name = defaultdict(set)
    for p in single.people:
        households_per_name[p.given_name, p.family_name].add(p.household_id)
    namesakes = sum(len(h) for h in households_per_name.values() if len(h) > 1)
    assert namesakes > PEOPLE * 0.3
    family = Counter(p.family_name for p in single.people).most_common()
    assert family[0][1] > 5 * family[len(family) // 2][1]  # a skewed frequency
    assert len(family) >= 150


def test_a_few_percent_of_households_share_a_phone(single):
    homes = households(single)
    sharing = 0
    owners = defaultdict(set)
    for household_id, members in homes.items():
        phones = Counter(m.phone for m in members if m.phone)
        sharing += any(count > 1 for count in phones.values())
        for phone in phones:
            owners[phone].add(household_id)
    assert 0.02 <= sharing / len(homes) <= 0.07
    assert all(len(h) == 1 for h in owners.values())  # no phone crosses households
    assert all(p.phone == "" for p in single.people if age(p.birth_date) < 10
               and len({m.phone for m in homes[p.household_id]}) > 1)  # fmt: skip


def test_patronymics_come_from_the_father(single):
    homes = households(single)
    for members in homes.values():
        head = members[0]
        for m in members:
            if m.relation == "child" and head.sex == "M":
                assert m.father_name == head.given_name
            if m.relation == "sibling":
                assert m.father_name == head.father_name
            if m.relation == "parent" and m.sex == "M":
                assert head.father_name == m.given_name
    males = {n.hy: n for n in MALE_NAMES}
    for record, person in records_with_people(single):
        father = males[person.father_name]
        if script(record.given_name) == "hy":
            assert record.patronymic == father.genitive_hy
        elif script(record.given_name) == "ru":
            expected = father.patronymic_ru_f if person.sex == "F" else father.patronymic_ru_m
            assert record.patronymic == expected
            assert record.patronymic.endswith("вна" if person.sex == "F" else "вич")
        else:
            assert record.patronymic in father.latin or record.patronymic.endswith(
                "vna" if person.sex == "F" else "vich"
            )


# ---- Names ---------------------------------------------------------------------------------


def test_name_tables_are_large_and_in_their_scripts():
    assert len(FAMILY_NAMES) >= 150
    assert len(MALE_NAMES) >= 60 and len(FEMALE_NAMES) >= 60
    for name in FAMILY_NAMES + MALE_NAMES + FEMALE_NAMES:
        assert script(name.hy) == "hy"
        assert name.ru and all(script(r) == "ru" for r in name.ru)
        assert name.latin and all(re.fullmatch(r"[A-Za-z]+", s) for s in name.latin)
        assert armenian_to_latin(name.hy) == name.latin[0]  # the passport spelling first


def test_names_have_their_real_variant_families():
    family = {n.latin[0]: n for n in FAMILY_NAMES}
    assert {"Оганесян", "Ованесян"} <= set(family["Hovhannisyan"].ru)
    assert {"Oganesyan", "Ovanesyan", "Hovannisian"} <= set(family["Hovhannisyan"].latin)
    assert "Акопян" in family["Hakobyan"].ru and "Hagopian" in family["Hakobyan"].latin
    assert "Арутюнян" in family["Harutyunyan"].ru
    assert {"Arutyunyan", "Harutiunian"} <= set(family["Harutyunyan"].latin)
    assert {"Казарян", "Газарян"} <= set(family["Ghazaryan"].ru)
    assert {"Погосян", "Богосян"} <= set(family["Poghosyan"].ru)
    assert "Boghossian" in family["Poghosyan"].latin
    assert "Bedrosian" in family["Petrosyan"].latin
    assert "Kevork" in {n.latin[0]: n for n in MALE_NAMES}["Gevorg"].latin


def test_given_names_follow_the_generation_born(single):
    young = Counter(p.given_name for p in single.people if age(p.birth_date) < 20 and p.sex == "M")
    old = Counter(p.given_name for p in single.people if age(p.birth_date) >= 60 and p.sex == "M")
    assert young["Նարեկ"] > 10 * max(1, old["Նարեկ"]) * sum(old.values()) / sum(young.values())
    assert old["Սերգեյ"] / sum(old.values()) > 5 * young["Սերգեյ"] / sum(young.values())


# ---- Places --------------------------------------------------------------------------------


def test_origins_are_drawn_by_population(single):
    counts = Counter(p.origin for p in single.people)
    total = sum(o.weight for o in ORIGINS)
    for origin in ORIGINS:
        assert counts[origin.slug] / PEOPLE == pytest.approx(origin.weight / total, abs=0.03)


def test_people_live_in_regions_by_share(single):
    counts = Counter(
        SHELTER_REGION[p.shelter] if p.shelter else SITE_REGION[p.host_site] for p in single.people
    )
    for region in REGIONS:
        assert counts[region.slug] / PEOPLE == pytest.approx(region.share, abs=0.03)
    assert all(bool(p.shelter) != bool(p.host_site) for p in single.people)


def test_about_45_percent_live_in_collective_shelters_when_there_is_room(single):
    in_shelter = sum(bool(p.shelter) for p in single.people) / PEOPLE
    assert 0.40 <= in_shelter <= 0.50


def test_shelters_are_never_filled_beyond_capacity():
    small = [HostRegion(r.slug, r.share, r.sites, [(c, cap // 10) for c, cap in r.shelters])
             for r in REGIONS]  # fmt: skip
    population = generate_population(people=PEOPLE, seed=3, origins=ORIGINS, regions=small)
    occupancy = Counter(p.shelter for p in population.people if p.shelter)
    for region in small:
        for code, capacity in region.shelters:
            assert 0.8 * capacity <= occupancy[code] <= capacity
    assert sum(occupancy.values()) / PEOPLE < 0.1


# ---- One source ----------------------------------------------------------------------------


def test_a_single_source_mixes_scripts_by_household(single):
    per_household = defaultdict(set)
    for record in single.registrations["migration-service"]:
        per_household[record.household_ref].add(script(record.given_name))
    assert all(len(scripts) == 1 for scripts in per_household.values())
    shares = Counter(next(iter(s)) for s in per_household.values())
    n = len(per_household)
    assert shares["hy"] / n == pytest.approx(0.5, abs=0.04)
    assert shares["ru"] / n == pytest.approx(0.25, abs=0.04)
    assert shares["latn"] / n == pytest.approx(0.25, abs=0.04)


def test_a_single_source_is_clean(single):
    for record, person in records_with_people(single):
        assert record.given_name.lower() in given_spellings(person.given_name, person.sex)
        assert record.family_name.lower() in family_spellings(person.family_name)
        day, month, year = record.birth_date.split(".")
        assert f"{year}-{month}-{day}" == person.birth_date
        assert record.sex == person.sex
        assert record.phone == (f"+374 {person.phone[:2]} {person.phone[2:]}" if person.phone
                                else "")  # fmt: skip
        assert record.relation == person.relation
        assert record.shelter == person.shelter and record.host_site == person.host_site
        assert record.vulnerabilities == person.vulnerabilities
        assert "2023-09-24" <= record.registered_on <= "2023-12-31"
        assert record.registered_on >= person.arrived_on


def test_most_arrivals_register_by_4_october(single):
    days = Counter(r.registered_on for r in single.registrations["migration-service"])
    by_october_4 = sum(n for d, n in days.items() if d <= "2023-10-04")
    assert 0.95 <= by_october_4 / PEOPLE < 1
    assert list(days) == sorted(days)  # in source order


# ---- Several sources -----------------------------------------------------------------------


def test_several_sources_each_miss_some_people_and_together_reach_everyone(multi):
    assert len(SOURCE_NAMES) >= 3
    assert list(multi.registrations) == list(SOURCE_NAMES)
    reached: dict[str, set[str]] = defaultdict(set)
    for source, _, person_id in multi.truth:
        reached[source].add(person_id)
    for source in SOURCE_NAMES:
        assert 0.3 * PEOPLE < len(reached[source]) < PEOPLE
    assert set().union(*reached.values()) == {p.person_id for p in multi.people}
    per_person = Counter(person_id for _, _, person_id in multi.truth)
    assert sum(n > 1 for n in per_person.values()) > PEOPLE / 2


def test_three_sources_are_the_first_three_profiles():
    population = generate_population(people=2000, seed=1, origins=ORIGINS, regions=REGIONS,
                                     sources=3)  # fmt: skip
    assert list(population.registrations) == list(SOURCE_NAMES[:3])
    assert {p for _, _, p in population.truth} == {p.person_id for p in population.people}


def test_record_ids_and_household_refs_belong_to_their_source(multi):
    prefixes = set()
    for source, records in multi.registrations.items():
        ids = [r.record_id for r in records]
        assert len(set(ids)) == len(ids)
        prefix = ids[0].split("-")[0]
        prefixes.add(prefix)
        assert all(i.startswith(prefix + "-") for i in ids)
        assert all(r.household_ref.startswith(prefix + "-") for r in records)
        assert all(r.source == source for r in records)
        days = [r.registered_on for r in records]
        assert days == sorted(days)
        assert "2023-09-24" <= days[0] and days[-1] <= "2023-12-31"
    assert len(prefixes) == len(SOURCE_NAMES)
    keys = [(s, r) for s, r, _ in multi.truth]
    assert len(set(keys)) == len(keys) == sum(len(r) for r in multi.registrations.values())


def test_sources_keep_their_script_habits(multi):
    scripts = defaultdict(Counter)
    for source, records in multi.registrations.items():
        for record in records:
            scripts[source][script(record.given_name)] += 1
    share = {s: {k: v / sum(c.values()) for k, v in c.items()} for s, c in scripts.items()}
    assert share["migration-service"]["hy"] >= 0.75
    assert share["unhcr"]["latn"] >= 0.85
    assert share["icrc"]["ru"] >= 0.75
    assert all(len(c) > 1 for c in scripts.values() if c)  # nobody writes one script only


def test_icrc_writes_russian_patronymics(multi):
    russian = [r for r in multi.registrations["icrc"] if script(r.given_name) == "ru"]
    with_patronymic = [r for r in russian if r.patronymic]
    assert len(with_patronymic) / len(russian) > 0.9
    assert all(re.search("(вич|вна)$", r.patronymic) for r in with_patronymic)


def test_sources_keep_their_date_and_phone_formats(multi):
    formats = {
        "migration-service": (r"\d{2}\.\d{2}\.\d{4}", r"\+374 \d{2} \d{6}"),
        "unhcr": (r"\d{4}-\d{2}-\d{2}", r"0\d{2}-\d{2}-\d{2}-\d{2}"),
        "icrc": (r"\d{2}\.\d{2}\.\d{4}", r"\(0\d{2}\) \d{2}-\d{2}-\d{2}"),
    }
    for source, (date_format, phone_format) in formats.items():
        records = multi.registrations[source]
        dates = [r.birth_date for r in records if len(r.birth_date) == 10]
        assert all(re.fullmatch(date_format, d) for d in dates)
        phones = [r.phone for r in records if r.phone]
        usual = sum(bool(re.fullmatch(phone_format, p)) for p in phones) / len(phones)
        assert 0.85 <= usual < 1, source  # and sometimes another format


def test_every_error_registers_make_occurs_at_a_realistic_rate(multi):
    seen: dict[str, Counter] = defaultdict(Counter)
    for record, person in records_with_people(multi):
        n = seen[record.source]
        n["records"] += 1
        for error in name_errors(record, person):
            n[error] += 1
        kind, year, month, day = written_date(record.birth_date)
        true = date.fromisoformat(person.birth_date)
        if kind == "full" and (month, day) == (1, 1) and (true.month, true.day) != (1, 1):
            kind = "january_first"  # day and month unknown
        n[kind] += 1
        if kind == "full" and true.day <= 12 and true.day != true.month:
            n["could_swap"] += 1
            n["day_month_swapped"] += (month, day) == (true.day, true.month)
        n["sex_missing"] += record.sex == ""
        if person.phone:
            n["has_phone"] += 1
            n["phone_missing"] += record.phone == ""
            n["phone_wrong"] += (
                bool(record.phone) and re.sub(r"\D", "", record.phone)[-8:] != person.phone
            )
        written = origin_written(person.origin, record.origin)
        n["origin_" + written] += 1
        if written in _SCRIPTS and "swap" not in name_errors(record, person):
            n["origin_other_script"] += written != script(record.given_name)

    def rate(source, error, of="records"):
        return seen[source][error] / seen[source][of]

    total = Counter()
    for counts in seen.values():
        total.update(counts)
    seen["all"] = total
    assert rate("all", "unexplained") < 0.002  # every difference is one of the errors below
    assert 0.015 <= rate("all", "given_typo") <= 0.05
    assert 0.015 <= rate("all", "family_typo") <= 0.05
    assert 0.005 <= rate("all", "swap") <= 0.04
    assert 0.005 <= rate("all", "day_month_swapped", of="could_swap") <= 0.04
    assert 0.01 <= rate("all", "year") <= 0.06
    assert 0.005 <= rate("all", "year_month") <= 0.04
    assert 0.02 <= rate("icrc", "january_first") <= 0.08
    assert 0.01 <= rate("all", "sex_missing") <= 0.06
    assert 0.05 <= rate("all", "phone_missing", of="has_phone") <= 0.25
    assert 0.003 <= rate("all", "phone_wrong", of="has_phone") <= 0.03
    assert 0.01 <= rate("all", "origin_other_script") <= 0.08
    assert 0.01 <= rate("all", "origin_az") <= 0.08
    assert 0.005 <= rate("all", "origin_typo") <= 0.05
    # Each body errs in its own way.
    assert rate("municipality", "given_typo") > 2 * rate("migration-service", "given_typo")
    assert rate("unhcr", "swap") > 2 * rate("migration-service", "swap")
    assert rate("icrc", "year") > 2 * rate("migration-service", "year")
    assert rate("icrc", "sex_missing") > 3 * rate("migration-service", "sex_missing")
    assert rate("unhcr", "origin_az") > 0.05
    assert rate("migration-service", "unexplained") == 0


def test_some_people_are_registered_twice_by_one_body(multi):
    per_source_person = Counter((s, p) for s, _, p in multi.truth)
    twice = sum(n > 1 for n in per_source_person.values())
    assert 0.002 * PEOPLE < twice < 0.05 * PEOPLE


def test_unhcr_varies_its_transliterations(multi):
    spellings = defaultdict(set)
    for record, person in records_with_people(multi):
        if record.source == "unhcr" and script(record.family_name) == "latn":
            spellings[person.family_name].add(record.family_name.lower())
    hovhannisyan = spellings["Հովհաննիսյան"]
    assert {"hovhannisyan", "oganesyan"} <= hovhannisyan
    assert any(s.endswith("ian") for s in hovhannisyan)


# ---- Determinism and files -----------------------------------------------------------------


def write_all(population: Population, directory) -> dict[str, bytes]:
    directory.mkdir()
    for source, records in population.registrations.items():
        write_registrations_csv(directory / f"{source}.csv", records)
    write_truth_csv(directory / "truth.csv", population.truth)
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    def run(seed, name):
        population = generate_population(people=3000, seed=seed, origins=ORIGINS,
                                         regions=REGIONS, sources=3)  # fmt: skip
        return write_all(population, tmp_path / name)

    first, again, other = run(11, "a"), run(11, "b"), run(12, "c")
    assert first == again
    assert first.keys() == other.keys()
    assert all(first[name] != other[name] for name in first)


def test_the_csv_has_the_contract_header_and_reads_back(tmp_path, multi):
    records = multi.registrations["icrc"][:500] + multi.registrations["migration-service"][:500]
    path = tmp_path / "registrations.csv"
    write_registrations_csv(path, records)
    with path.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == list(REGISTRATION_COLUMNS)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows == [{c: getattr(r, c) for c in REGISTRATION_COLUMNS} for r in records]

    truth_path = tmp_path / "truth.csv"
    write_truth_csv(truth_path, multi.truth[:100])
    with truth_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["source"], r["record_id"], r["person_id"]) for r in rows] == multi.truth[:100]


def test_it_refuses_impossible_requests():
    with pytest.raises(ValueError):
        generate_population(people=10, seed=1, origins=ORIGINS, regions=REGIONS, sources=0)
    with pytest.raises(ValueError):
        generate_population(people=10, seed=1, origins=ORIGINS, regions=REGIONS,
                            sources=len(SOURCE_NAMES) + 1)  # fmt: skip
    with pytest.raises(ValueError):
        generate_population(people=10, seed=1, origins=[], regions=REGIONS)
    empty = generate_population(people=0, seed=1, origins=ORIGINS, regions=REGIONS)
    assert empty.truth == [] and empty.people == []


# ---- With the linkage engine ---------------------------------------------------------------


def test_the_family_names_rendered_for_one_person_share_a_phonetic_key(multi):
    names = pytest.importorskip("homeward.engines.linkage.names")
    agree = total = 0
    for record, person in records_with_people(multi):
        total += 1
        agree += names.family_name_key(record.family_name) == names.family_name_key(
            person.family_name
        )
    assert agree / total >= 0.9


# ---- Field errors: what registration in the field adds ------------------------------------


@pytest.fixture(scope="module")
def field() -> Population:
    return generate_population(
        people=PEOPLE, seed=5, origins=ORIGINS, regions=REGIONS, sources=5, field_errors=True
    )


def records_by_person(population: Population) -> dict[str, list]:
    record = {
        (r.source, r.record_id): r for rows in population.registrations.values() for r in rows
    }
    found = defaultdict(list)
    for source, record_id, person_id in population.truth:
        found[person_id].append(record[source, record_id])
    return found


def test_undocumented_birth_dates_are_estimated_from_the_age(field):
    people = {p.person_id: p for p in field.people}
    forms = Counter()
    for person_id, records in records_by_person(field).items():
        person = people[person_id]
        born = date.fromisoformat(person.birth_date)
        for r in records:
            kind, year, month, day = written_date(r.birth_date)
            if person.birth_known or kind == "missing":
                forms["missing" if kind == "missing" else "documented"] += 1
                continue
            # The year comes from the stated age: the true year or, before the birthday, one more.
            assert year in (born.year, born.year + 1), (person, r.birth_date)
            if kind == "year":
                forms["year"] += 1
            elif (month, day) == (1, 1):
                forms["1 January"] += 1
            elif (month, day) == (7, 1):
                forms["1 July"] += 1
            elif year != born.year and (month, day) == (born.month, born.day):
                forms["year off by one, same day and month"] += 1
    records = sum(forms.values())
    assert 0.03 < forms["missing"] / records < 0.08
    for kind in ("year", "1 January", "1 July", "year off by one, same day and month"):
        assert forms[kind] / records > 0.002, forms


def test_some_women_appear_under_their_maiden_name_with_one_body(field):
    people = {p.person_id: p for p in field.people}
    maiden_armenian = 0
    for person_id, records in records_by_person(field).items():
        person = people[person_id]
        if not person.maiden_name:
            continue
        assert person.sex == "F"
        written = {r.family_name for r in records if r.source == "migration-service"}
        maiden_armenian += person.maiden_name in written
    assert maiden_armenian > 50


def test_russian_names_stand_for_armenian_ones(field):
    given = Counter(r.given_name for rows in field.registrations.values() for r in rows)
    for name in ("Սերժ", "Сергей", "Serzh", "Samuel", "Вардухи", "Мария"):
        assert given[name] > 0, name


def test_compound_family_names_come_with_a_hyphen_a_space_or_joined(field):
    family = Counter(r.family_name for rows in field.registrations.values() for r in rows)
    assert family["Тер-Погосян"] and family["Тер Погосян"] and family["Терпогосян"]
