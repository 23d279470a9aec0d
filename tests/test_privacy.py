"""The identifier flagger, told as what a trainee types into a reflection before saving."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from supervision_workbook import privacy
from supervision_workbook.privacy import DISCLAIMER, IdentifierFlag, flag_identifiers

TODAY = date(2026, 3, 14)


def flags(
    text: str, names: tuple[str, ...] = (), region: str | tuple[str, ...] = "US"
) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in flag_identifiers(text, names, region, today=TODAY)]


def kinds(text: str, names: tuple[str, ...] = ()) -> set[str]:
    return {kind for kind, _ in flags(text, names)}


# --- what it must find ---------------------------------------------------------------------
def test_an_email_address_in_a_note_is_flagged_whole() -> None:
    assert flags("She wrote from maria.lopez+work@example.org last night.") == [
        ("email", "maria.lopez+work@example.org")
    ]


@pytest.mark.parametrize(
    "number",
    ["(415) 555-2671", "415-555-2671", "617.253.1000", "+44 20 7946 0958", "011 44 20 7946 0958"],
)
def test_phone_numbers_in_national_and_international_formats_are_flagged(number: str) -> None:
    assert flags(f"Her mobile is {number}, call after six.") == [("phone", number)]


def test_the_region_decides_which_national_phone_format_is_recognised() -> None:
    text = "The GP's surgery is on 020 7946 0958."
    assert flags(text, region="GB") == [("phone", "020 7946 0958")]
    assert "phone" not in {kind for kind, _ in flags(text, region="US")}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The client was born on 14 March 1985 in a small town.", "14 March 1985"),
        ("DOB: 03/14/1985", "03/14/1985"),
        ("D.O.B. 1985-03-14", "1985-03-14"),
        ("Her birthday is June 3, so the session fell on it.", "June 3"),
        ("Mother b. 4/5/77, father unknown.", "4/5/77"),
        ("born in March 1990", "March 1990"),
    ],
)
def test_a_date_written_next_to_a_birth_word_is_a_likely_birth_date(text: str, found: str) -> None:
    assert flags(text) == [("birth_date", found)]


def test_an_old_full_date_is_flagged_even_without_a_birth_word() -> None:
    # Session dates are recent; a full date decades ago is about a person's life.
    assert flags("They married on 12 June 1998.") == [("birth_date", "12 June 1998")]


def test_numeric_dates_are_read_day_first_outside_the_us() -> None:
    # 03/04/2015: 4 March in the US, 3 April in the UK; both are more than ten years ago.
    assert flags("Seen on 03/04/2015.", region="GB") == [("birth_date", "03/04/2015")]
    # 10/03/2016 is 3 October 2016 in the US (less than ten years before 14 March 2026)...
    assert flags("Seen on 10/03/2016.", region="US") == []
    # ...but 10 March 2016 day-first, just over ten years ago.
    assert flags("Seen on 10/03/2016.", region="GB") == [("birth_date", "10/03/2016")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("She moved to 221B Baker Street last year.", "221B Baker Street"),
        ("Lives at 1600 Pennsylvania Ave. with her aunt.", "1600 Pennsylvania Ave."),
        ("Address: 12 Oak Tree Lane, Apt 4B, Springfield", "12 Oak Tree Lane, Apt 4B"),
        ("he typed 12 main street in lower case.", "12 main street"),
        ("Her flat is 7 Rue Road.", "7 Rue Road"),
        ("post goes to P.O. Box 1234 now", "P.O. Box 1234"),
        ("They share Apt 4B with a cousin.", "Apt 4B"),
    ],
)
def test_street_addresses_and_units_are_flagged(text: str, found: str) -> None:
    assert flags(text) == [("address", found)]


@pytest.mark.parametrize(
    "number",
    [
        "00123456",
        "4111 1111 1111 1111",
        "AB-9-87654-3",
        "MRN12345678",
        "555-1234",  # a local number libphonenumber cannot validate is still flagged
    ],
)
def test_long_numbers_and_ssn_shapes_are_flagged_as_ids(number: str) -> None:
    found = flags(f"Her record number is {number} at the clinic.")
    assert found == [("id_number", number)]


def test_a_declared_name_is_found_whatever_its_case_and_in_the_possessive() -> None:
    text = "Maria's mother called. MARIA said the week was hard; maria laughed."
    found = flag_identifiers(text, ["Maria"], today=TODAY)
    assert [(f.kind, f.text) for f in found] == [
        ("declared_name", "Maria"),
        ("declared_name", "MARIA"),
        ("declared_name", "maria"),
    ]
    assert text[found[0].start : found[0].end] == "Maria"


def test_each_part_of_a_declared_full_name_is_looked_for_too() -> None:
    assert flags("Ms Lopez arrived late; Maria Lopez paid.", ("Maria de Lopez", "Maria Lopez")) == [
        ("declared_name", "Lopez"),
        ("declared_name", "Maria Lopez"),
    ]
    # The particle "de" on its own is not treated as a name.
    assert flags("a sense de rigueur", ("Maria de Lopez",)) == []


def test_flags_are_positions_into_the_text_sorted_and_never_overlapping() -> None:
    text = (
        "Maria (maria@example.org, 415-555-2671) was born 03/14/1985 and lives at "
        "14 Maria Street; SSN 123-45-6789."
    )
    found = flag_identifiers(text, ["Maria"], today=TODAY)
    assert [f.kind for f in found] == [
        "declared_name",
        "email",
        "phone",
        "birth_date",
        "address",
        "national_id",
    ]
    for flag in found:
        assert text[flag.start : flag.end] == flag.text
        assert flag.reason
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start


def test_the_more_specific_kind_wins_where_two_overlap() -> None:
    # A declared name inside an email address is part of the email.
    assert flags("write to maria@example.org", ("Maria",)) == [("email", "maria@example.org")]
    # A phone number is not also reported as an id number, nor a birth date as one.
    assert flags("call 415-555-2671") == [("phone", "415-555-2671")]
    assert flags("DOB 1985-03-14") == [("birth_date", "1985-03-14")]
    # A street named after a declared name is reported as the address it is part of.
    assert flags("lives at 14 Maria Street", ("Maria",)) == [("address", "14 Maria Street")]


# --- more than one country ---------------------------------------------------------------
@pytest.mark.parametrize(
    "number",
    # Ofcom's numbers for drama: libphonenumber calls them invalid, a person would not.
    ["0161 496 0000", "07700 900123", "+44 7700 900321", "020 7946 0018"],
)
def test_uk_numbers_are_flagged_whole_in_a_uk_workspace(number: str) -> None:
    assert flags(f"Her number is {number}, call after six.", region="GB") == [("phone", number)]


def test_a_workspace_for_two_countries_finds_both_countries_numbers() -> None:
    text = "Irish mobile 085 012 3456; NHS number 999 854 5749; PPS 1234567T."
    assert flags(text, region=("GB", "IE")) == [
        ("phone", "085 012 3456"),
        ("national_id", "999 854 5749"),
        ("national_id", "1234567T"),
    ]
    # "UK" is read as GB, and a list works as well as a tuple.
    found = flag_identifiers(text, (), ["UK", "ie"], today=TODAY)
    assert [f.text for f in found] == ["085 012 3456", "999 854 5749", "1234567T"]
    assert "UK NHS number" in found[1].reason


def test_a_national_number_needs_its_check_digit() -> None:
    # 999 854 5749 passes the NHS modulus 11 check; changing the last digit breaks it.
    assert flags("NHS number 999 854 5749.", region="GB") == [("national_id", "999 854 5749")]
    assert "national_id" not in {kind for kind, _ in flags("NHS 999 854 5748.", region="GB")}
    # A Canadian SIN is Luhn-checked: 027 370 931 passes, 027 370 932 does not.
    assert flags("SIN 027 370 931", region="CA") == [("national_id", "027 370 931")]
    assert flags("SIN 027 370 932", region="CA") == []


@pytest.mark.parametrize(
    ("region", "text", "found"),
    [
        ("DE", "Sie wohnt in der Hauptstraße 5, 10115 Berlin.", ["Hauptstraße 5", "10115 Berlin"]),
        ("FR", "Elle habite 12 rue de la Paix, 75002 Paris.", ["12 rue de la Paix", "75002 Paris"]),
        ("NL", "Kerkstraat 12, 1012 AB Amsterdam", ["Kerkstraat 12", "1012 AB"]),
        ("GB", "14 Kings Road, Manchester M1 1AE.", ["14 Kings Road", "M1 1AE"]),
        ("IE", "Her Eircode is D02 X285.", ["D02 X285"]),
        ("CA", "24 Sussex Drive, Ottawa ON K1M 1M4.", ["24 Sussex Drive", "K1M 1M4"]),
    ],
)
def test_addresses_and_postcodes_are_found_in_each_countrys_form(
    region: str, text: str, found: list[str]
) -> None:
    assert flags(text, region=region) == [("address", a) for a in found]


def test_a_german_date_of_birth_is_found_in_a_german_workspace() -> None:
    assert flags("Mutter geb. am 14. März 1985.", region="DE") == [("birth_date", "14. März 1985")]


def test_the_workspace_configuration_names_the_countries() -> None:
    from supervision_workbook.config import DEFAULT_CONFIG_TEXT, ConfigError, parse_config

    assert parse_config(DEFAULT_CONFIG_TEXT).privacy.regions == ["US"]
    config = parse_config('[privacy]\nregions = ["UK", "ie"]\n')
    assert config.privacy.regions == ["GB", "IE"]
    assert flags("Her mobile is 07700 900123.", region=tuple(config.privacy.regions)) == [
        ("phone", "07700 900123")
    ]
    with pytest.raises(ConfigError, match=r"privacy\.regions.*'Britain'"):
        parse_config('[privacy]\nregions = ["Britain"]\n')


# --- declared names that are ordinary words ------------------------------------------------
def test_a_declared_name_that_is_an_ordinary_word_is_flagged_only_where_it_is_a_name() -> None:
    text = (
        "Will said he felt ashamed. I will bring it to supervision. Will you? "
        "Will's sister phoned; I asked Will about it. Against her will, she stayed."
    )
    assert [f.start for f in flag_identifiers(text, ["Will"], today=TODAY)] == [
        0,
        text.index("Will's"),
        text.index("Will about"),
    ]


def test_hope_as_a_word_is_left_alone_and_hope_as_a_name_is_not() -> None:
    names = ("Hope Martin",)
    for text in ("I hope the next session goes better.", "Hope this helps.", "We hope so."):
        assert flags(text, names) == [], text
    assert flags("I met Hope and Ms Martin.", names) == [
        ("declared_name", "Hope"),
        ("declared_name", "Martin"),
    ]


def test_a_month_that_is_a_declared_name_is_a_month_before_a_number_or_after_in() -> None:
    assert flags("We meet again in May; since May 3 she sleeps.", ("May",)) == []
    assert flags("I saw May on Tuesday.", ("May",)) == [("declared_name", "May")]


# --- what a warning shows ------------------------------------------------------------------
def test_a_warning_quotes_the_place_with_the_identifier_masked() -> None:
    text = "Before the break she said: call me on 07700 900123 after six, please, any day."
    [flag] = flag_identifiers(text, region="GB", today=TODAY)
    assert flag.snippet == "…she said: call me on 07••• •••••• after six, please, any…"
    assert "900123" not in flag.describe()
    assert flag.describe() == (
        "Possible phone number: “…she said: call me on 07••• •••••• after six, please, any…” "
        "(looks like a phone number)."
    )


def test_a_snippet_masks_every_other_identifier_near_it_too() -> None:
    text = "Maria (maria@example.org) lives at 14 Oak Lane."
    found = flag_identifiers(text, ["Maria"], today=TODAY)
    for flag in found:
        assert "maria@" not in flag.snippet.lower()
        assert "Oak Lane" not in flag.snippet
        assert "Maria " not in flag.snippet
    assert found[0].snippet.startswith("M•••• (•••••@•••••••.•••)")


def test_a_neighbour_cut_by_the_edge_of_the_snippet_is_still_masked() -> None:
    text = "She lives at 12 Oak Tree Lane, Apt 4B and 0161 496 0999 is hers."
    address, phone = flag_identifiers(text, region="GB", today=TODAY)
    assert (address.text, phone.text) == ("12 Oak Tree Lane, Apt 4B", "0161 496 0999")
    assert phone.snippet == "…•••• ••••, ••• •• and 01•• ••• •••• is hers."


# --- what it must leave alone --------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "session 12",
        "She scored 4 out of 5 on the bond items.",
        "It has been 2 weeks since the rupture.",
        "Total 34/40, down from 38; ORS 25.5 then 30.1.",
        "We walked 2 miles down the road after 3 sessions.",
        "Dr. Smith saw her 3 times in court.",
        "Between 2024-2025 she worked nights; scores went 30-32-35.",
        "About 1,000,000 people live there; version 1.2.3; 9:30-10:45.",
        "3/4 of sessions, 10/12 items answered.",
        "the client's mother and her sister came along.",
        "She was 34 years old in 2019.",
    ],
)
def test_ordinary_clinical_text_is_not_flagged(text: str) -> None:
    assert flags(text) == []


def test_a_session_date_last_week_is_not_a_birth_date() -> None:
    assert flags("We met on 2026-03-07 and again on March 10, 2026 (session 9).") == []


def test_a_recent_date_is_neither_a_birth_date_nor_an_id_number() -> None:
    assert flags("Next session 21.03.2026.", region="DE") == []


def test_the_clients_mother_is_not_a_name_unless_it_was_declared() -> None:
    text = "The client's mother, Rosa, phoned."
    assert flags(text) == []
    assert flags(text, ("Rosa",)) == [("declared_name", "Rosa")]


def test_a_declared_name_is_matched_as_a_whole_word_only() -> None:
    assert flags("Mariana and Marianne came; so did Rosalind.", ("Maria", "Rosa")) == []


def test_empty_text_and_blank_names_flag_nothing() -> None:
    assert flag_identifiers("", ["Maria"]) == []
    assert flags("plain words", ("", "   ")) == []


# --- what it promises ----------------------------------------------------------------------
def test_the_module_says_plainly_that_it_never_certifies_de_identification() -> None:
    assert "never certify" in DISCLAIMER
    assert "de-identified" in DISCLAIMER
    assert "never certifies" in (privacy.__doc__ or "")


def test_flags_are_immutable_records() -> None:
    flag = flag_identifiers("x@example.org")[0]
    assert isinstance(flag, IdentifierFlag)
    with pytest.raises(AttributeError):
        flag.kind = "phone"  # type: ignore[misc]


def test_a_long_reflection_is_checked_quickly() -> None:
    import time

    text = ("I noticed I was filling the silences in session 12, scored 4 out of 5. " * 280)[
        :20_000
    ]
    started = time.perf_counter()
    assert flag_identifiers(text + " maria@example.org", ["Maria Lopez"])[-1].kind == "email"
    assert time.perf_counter() - started < 1.0
