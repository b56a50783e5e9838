"""Bad input is reported as problems naming the file, the row, the field and what is wrong.

Defined here, at the bottom of the layers, so that engines reading files and the apps above
them speak of problems in one shape; `homeward.errors` hands them on to the apps.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowProblem:
    file: str
    row: int  # 1-based line number as a spreadsheet shows it (the header is row 1)
    field: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return (
            f"{where}, {self.field}: {self.problem}" if self.field else f"{where}: {self.problem}"
        )


class InputRejected(Exception):
    """Nothing was written because of these problems."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s); nothing was written:\n{shown}{more}")
