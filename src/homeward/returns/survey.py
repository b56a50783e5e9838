"""The intention survey, defined once: the app's choices, the XLSForm and the importer read it.

Codes come from the projection engine (`engines/projection/conditions.py`); their labels are
translated through the interface's catalogues, so the form speaks the same words as the app.
"""

from django.utils.translation import gettext_lazy as _

from homeward.engines.projection import CONDITION_CODES, INTENTIONS

FORM_ID = "homeward_intentions"
# Raised whenever a question or a choice changes; a submission made with a newer form than
# this one is refused, because it may hold answers this version cannot read.
FORM_VERSION = "2026120301"

INTENTION_LABELS = {
    "return": _("Return to live there"),
    "visit_only": _("Only visit"),
    "not_return": _("Not return"),
    "undecided": _("Undecided"),
}
TIMINGS = ("within_6_months", "within_2_years", "later", "unknown")
TIMING_LABELS = {
    "within_6_months": _("Within six months"),
    "within_2_years": _("Within two years"),
    "later": _("Later"),
    "unknown": _("Does not know yet"),
}
CONDITION_LABELS = {
    "school_armenian": _("Schools teaching in Armenian"),
    "church_clergy": _("An Armenian church and clergy"),
    "community_administration": _("Administration staffed from the community"),
    "community_police": _("Police from the community"),
    "international_presence": _("An international presence"),
    "security_guarantees": _("Security guarantees"),
    "property_restitution": _("Property given back"),
    "compensation": _("Compensation for losses"),
    "citizenship_documents": _("Citizenship and documents"),
    "free_movement_armenia": _("Free movement to and from Armenia"),
    "healthcare": _("Healthcare"),
    "jobs": _("Work"),
    "utilities": _("Water, power and gas"),
    "other": _("Something else"),
}
assert tuple(INTENTION_LABELS) == INTENTIONS, "every intention of the engine has a label"
assert tuple(CONDITION_LABELS) == CONDITION_CODES, "every condition of the engine has a label"

# The survey's questions in order: (group, name, XLSForm type, label, hint, required).
# Intentions other than return and undecided skip timing and conditions.
ASKS_CONDITIONS = "${intention} = 'return' or ${intention} = 'undecided'"
QUESTIONS = (
    (
        "household",
        "household_ref",
        "text",
        _("Household reference"),
        _("As printed on the registration slip, e.g. HH-7K3Q-M2"),
        True,
    ),
    (
        "answers",
        "intention",
        "select_one intention",
        _("Would the household go back to live in its home settlement?"),
        "",
        True,
    ),
    ("answers", "timing", "select_one timing", _("When would it go back?"), "", False),
    (
        "answers",
        "conditions",
        "select_multiple condition",
        _("What would the household need in order to go back?"),
        _("Choose every condition the household sets."),
        False,
    ),
    (
        "answers",
        "concerns",
        "text",
        _("Concerns, in the household's own words"),
        _("Kept sealed; seen only by caseworkers."),
        False,
    ),
    ("answers", "questions", "text", _("Questions the household wants answered"), "", False),
)
RELEVANT = {"timing": ASKS_CONDITIONS, "conditions": ASKS_CONDITIONS}
CHOICE_LISTS = {
    "intention": INTENTION_LABELS,
    "timing": TIMING_LABELS,
    "condition": CONDITION_LABELS,
}
# The form's languages, as XLSForm columns name them.
FORM_LANGUAGES = (("en", "English (en)"), ("hy", "Armenian (hy)"), ("ru", "Russian (ru)"))
