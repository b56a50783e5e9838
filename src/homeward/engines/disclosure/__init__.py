"""Statistical disclosure control for published counts.

Counts of 1 to 4 people in a small area can identify them (NOTES: thresholds of 3 to 5 are
usual). `suppress_small_counts` hides those cells (primary suppression) and, where a single
hidden cell could be worked out by subtracting the shown cells from the published total, hides
the next smallest cell too (secondary suppression).
"""

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

THRESHOLD = 5


def suppress_small_counts(
    counts: Mapping[K, int], *, threshold: int = THRESHOLD
) -> tuple[dict[K, int | None], int | None]:
    """Cells with their counts or None where hidden, and the total or None where hidden.

    The total is published unless it is itself a small count. Guarantees: no shown cell or
    total lies between 1 and threshold - 1, and no hidden cell equals the shown total minus
    the shown cells (at least two cells are hidden whenever one is and the total is shown).
    """
    total = sum(counts.values())
    hidden = {key for key, count in counts.items() if 0 < count < threshold}
    total_shown = not (0 < total < threshold)
    if total_shown and len(hidden) == 1:
        # Hide the smallest other cell, preferring one with people in it.
        others = sorted(
            (key for key in counts if key not in hidden),
            key=lambda key: (counts[key] == 0, counts[key]),
        )
        if others:
            hidden.add(others[0])
        else:
            total_shown = False
    cells = {key: None if key in hidden else count for key, count in counts.items()}
    return cells, total if total_shown else None
