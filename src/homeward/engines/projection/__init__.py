"""Who would return under which guarantees: pure Python and NumPy, no Django.

A household would return when it intends to and every condition it sets is answered by a
given guarantee; the bootstrap over households gives the interval around that figure.
"""

from homeward.engines.projection.conditions import CONDITION_CODES, INTENTIONS
from homeward.engines.projection.files import (
    check_given,
    read_guarantees_toml,
    read_intentions_csv,
    write_projection_csv,
)
from homeward.engines.projection.model import (
    HouseholdIntention,
    SettlementProjection,
    Survey,
)
from homeward.engines.projection.project import (
    ConditionGain,
    blocking_conditions,
    gains_if_given,
    project_returns,
)

__all__ = [
    "CONDITION_CODES",
    "INTENTIONS",
    "ConditionGain",
    "HouseholdIntention",
    "SettlementProjection",
    "Survey",
    "blocking_conditions",
    "check_given",
    "gains_if_given",
    "project_returns",
    "read_guarantees_toml",
    "read_intentions_csv",
    "write_projection_csv",
]
