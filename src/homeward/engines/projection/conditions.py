"""The code lists of the intention survey, written once: the survey form, the importer, the
models' choices and the projection read them from here."""

from __future__ import annotations

# What a household says it will do if it can. `return` is to live there again.
INTENTIONS: tuple[str, ...] = ("return", "visit_only", "not_return", "undecided")

# The conditions a household sets for coming back to live. The order is the survey's.
CONDITION_CODES: tuple[str, ...] = (
    "school_armenian",
    "church_clergy",
    "community_administration",
    "community_police",
    "international_presence",
    "security_guarantees",
    "property_restitution",
    "compensation",
    "citizenship_documents",
    "free_movement_armenia",
    "healthcare",
    "jobs",
    "utilities",
    "other",
)
