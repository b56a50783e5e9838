"""Bad input is reported as problems naming the file, the row, the field and what is wrong."""

from homeward.engines.problems import InputRejected, RowProblem

__all__ = ["InputRejected", "RowProblem"]
