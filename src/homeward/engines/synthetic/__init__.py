"""Synthetic displaced populations and their registrations, for tests, the demo and benchmarks."""

from homeward.engines.synthetic.population import (
    FIELD_ERRORS,
    REGISTRATION_COLUMNS,
    SOURCE_NAMES,
    SOURCE_PROFILES,
    FieldErrors,
    HostRegion,
    Origin,
    Person,
    Population,
    Registration,
    SourceProfile,
    generate_population,
    write_registrations_csv,
    write_truth_csv,
)

__all__ = [
    "FIELD_ERRORS",
    "REGISTRATION_COLUMNS",
    "SOURCE_NAMES",
    "SOURCE_PROFILES",
    "FieldErrors",
    "HostRegion",
    "Origin",
    "Person",
    "Population",
    "Registration",
    "SourceProfile",
    "generate_population",
    "write_registrations_csv",
    "write_truth_csv",
]
