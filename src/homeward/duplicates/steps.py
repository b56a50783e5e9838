"""The linkage engine's steps as people read them, with the share of a run done when each
starts: one table for the dedupe command's status line and the in-app job's progress."""

from django.utils.translation import gettext_lazy as _

ENGINE_STEPS = {
    "features": (_("Reading names, dates, places and phones"), 0.1),
    "training": (_("Estimating the model from the data"), 0.25),
    "scoring": (_("Scoring candidate pairs"), 0.5),
    "clustering": (_("Grouping the records of each person"), 0.8),
}
