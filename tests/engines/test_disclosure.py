import itertools
import random

from homeward.engines.disclosure import suppress_small_counts


def derivable(cells, total):
    hidden = [k for k, v in cells.items() if v is None]
    return total is not None and len(hidden) == 1


def test_small_counts_are_hidden_and_large_ones_shown():
    cells, total = suppress_small_counts({"Yerevan": 120, "Syunik": 3, "Lori": 4, "Shirak": 40})
    assert cells == {"Yerevan": 120, "Syunik": None, "Lori": None, "Shirak": 40}
    assert total == 167


def test_a_single_hidden_cell_is_protected_by_hiding_the_next_smallest():
    cells, total = suppress_small_counts({"Yerevan": 120, "Syunik": 3, "Lori": 30, "Shirak": 40})
    assert cells == {"Yerevan": 120, "Syunik": None, "Lori": None, "Shirak": 40}
    assert total == 193


def test_zeros_are_shown_and_not_used_as_cover_while_a_real_cell_can_be():
    cells, _total = suppress_small_counts({"a": 0, "b": 2, "c": 50})
    assert cells == {"a": 0, "b": None, "c": None}


def test_a_small_total_is_hidden_too():
    cells, total = suppress_small_counts({"a": 1, "b": 2})
    assert cells == {"a": None, "b": None} and total is None


def test_no_published_table_shows_or_reveals_a_small_count():
    rng = random.Random(5)
    for _ in range(3000):
        size = rng.randint(1, 6)
        counts = {i: rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 30, 200]) for i in range(size)}
        cells, total = suppress_small_counts(counts)
        shown = [v for v in cells.values() if v is not None]
        assert not any(0 < v < 5 for v in shown), counts
        assert total is None or not 0 < total < 5, counts
        assert not derivable(cells, total), counts
        # Nothing hidden that need not be, beyond one cover cell.
        hidden = [k for k, v in cells.items() if v is None]
        assert len([k for k in hidden if counts[k] >= 5 or counts[k] == 0]) <= 1


def test_every_small_table_is_safe_exhaustively():
    for values in itertools.product([0, 1, 4, 5, 7], repeat=3):
        cells, total = suppress_small_counts(dict(enumerate(values)))
        assert not derivable(cells, total), values
        assert all(v is None or not 0 < v < 5 for v in cells.values()), values
