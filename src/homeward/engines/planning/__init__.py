"""Visit planning: escorted day visits home, assigned to dates and convoys.

`plan_visits` plans an instance and reports the plan's cost beside a lower bound on the cost
of any plan; `check_plan` verifies a plan against every rule; `files` reads and writes the
command's CSV and TOML files; `generate_instance` makes realistic synthetic instances.
"""

from homeward.engines.planning.check import check_plan, plan_cost
from homeward.engines.planning.files import (
    OPTIONAL_REQUEST_COLUMNS,
    PLAN_COLUMNS,
    REQUEST_COLUMNS,
    FileProblem,
    PlanningFilesRejected,
    read_capacity_toml,
    read_pinned,
    read_plan_csv,
    read_requests_csv,
    write_plan_csv,
)
from homeward.engines.planning.greedy import first_come_first_served, highest_priority_first
from homeward.engines.planning.instance import generate_instance
from homeward.engines.planning.model import (
    PRIORITY_WEIGHTS,
    UNSERVED_DAYS_AFTER_HORIZON,
    Capacity,
    Placement,
    Plan,
    PlanningInstance,
    PlanOutcome,
    Replanning,
    VisitRequest,
    convoy_id,
    relative_gap,
)
from homeward.engines.planning.priority import visit_priority
from homeward.engines.planning.solver import instance_problems, plan_visits

__all__ = [
    "OPTIONAL_REQUEST_COLUMNS",
    "PLAN_COLUMNS",
    "PRIORITY_WEIGHTS",
    "REQUEST_COLUMNS",
    "UNSERVED_DAYS_AFTER_HORIZON",
    "Capacity",
    "FileProblem",
    "Placement",
    "Plan",
    "PlanOutcome",
    "PlanningFilesRejected",
    "PlanningInstance",
    "Replanning",
    "VisitRequest",
    "check_plan",
    "convoy_id",
    "first_come_first_served",
    "generate_instance",
    "highest_priority_first",
    "instance_problems",
    "plan_cost",
    "plan_visits",
    "read_capacity_toml",
    "read_pinned",
    "read_plan_csv",
    "read_requests_csv",
    "relative_gap",
    "visit_priority",
    "write_plan_csv",
]
