"""Small-cell suppression, checked by examples and by a property over random tables."""

from hypothesis import given, settings
from hypothesis import strategies as st

from referrals.suppression import PRIMARY, suppress

T = 10


def possible_values(cells, total):
    """For each hidden cell, every value consistent with what is published (brute force).

    The total is known even when this table hides it (other tables print it), unless
    it is small, and then it is "<10" everywhere. Independent of the implementation's
    interval reasoning: enumerates the sums the other hidden cells can reach.
    """
    hidden = [i for i, c in enumerate(cells) if c.hidden]
    small_total = total.hidden == PRIMARY
    rest = None if small_total else total.count - sum(c.count for c in cells if not c.hidden)
    cap = T - 1 if rest is None else rest
    whole_table = all(c.hidden for c in cells) and not small_total
    ranges = {
        i: range(0, cap + 1)
        if whole_table and cells[i].hidden != PRIMARY
        else range(1, T)
        if cells[i].hidden == PRIMARY
        else range(T, max(T, cap) + 1)
        for i in hidden
    }
    result = {}
    for i in hidden:
        reachable = {0}
        for j in hidden:
            if j != i:
                reachable = {s + v for s in reachable for v in ranges[j] if s + v <= cap}
        if rest is None:
            result[i] = set(ranges[i]) if reachable else set()
        else:
            result[i] = {v for v in ranges[i] if rest - v in reachable}
    return result


def test_small_counts_show_as_less_than_ten():
    cells, _total = suppress([3, 50, 40], T)
    assert cells[0].display == "<10"


def test_a_single_small_cell_gets_a_partner():
    cells, total = suppress([3, 50, 40], T)
    assert [c.display for c in cells] == ["<10", "50", "—"] and total.display == "93"


def test_zeros_and_large_counts_are_shown():
    cells, _total = suppress([0, 12, 40], T)
    assert [c.display for c in cells] == ["0", "12", "40"]


def test_a_small_total_is_hidden_too():
    cells, total = suppress([3, 4], T)
    assert total.display == "<10" and all(c.display == "<10" for c in cells)


def test_two_ones_next_to_a_total_are_protected():
    # Hidden 1 + 1 with a known sum of 2 would give both away.
    cells, total = suppress([1, 1, 30], T)
    values = possible_values(cells, total)
    assert all(len(v) > 1 for v in values.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6))
def test_no_hidden_cell_can_be_worked_out(counts):
    cells, total = suppress(counts, T)
    # Every small count is hidden, every shown number is true.
    assert all(c.hidden for c in cells if 0 < c.count < T)
    assert all(c.display == str(c.count) for c in cells if not c.hidden)
    assert total.hidden == PRIMARY or total.display == str(sum(counts))
    # No hidden cell has a single possible value.
    for value_set in possible_values(cells, total).values():
        assert len(value_set) > 1


def test_a_table_that_cannot_be_protected_is_hidden_whole():
    cells, total = suppress([10, 1, 0, 0], T)
    assert [c.display for c in cells] == ["—", "—", "—", "—"] and total.display == "11"
