"""Small-cell suppression for published counts.

Primary suppression: a count from 1 to ``threshold - 1`` is shown as "<threshold".
Secondary suppression: when the total and the other cells of the table would let a
reader work out a hidden count exactly, more cells are hidden (the smallest first,
shown as "—"); when no cell is left to hide, every cell of the table is hidden.

The total is always taken as known: every table of a statistics page counts the
same referrals, so a total hidden in one table is printed in another. What a reader
knows of a hidden cell: a primary one lies in [1, threshold - 1], a secondary one in
[threshold, ∞) (it would show as "<threshold" otherwise); zeros are published. The
hidden cells add up to the total minus the visible ones. A hidden cell is exposed
when those facts leave it a single possible value. A total from 1 to threshold - 1
is itself shown as "<threshold", in every table alike.
"""

from dataclasses import dataclass

PRIMARY, SECONDARY = "primary", "secondary"
UNBOUNDED = 10**12


@dataclass
class Cell:
    count: int
    hidden: str = ""  # "", PRIMARY or SECONDARY
    threshold: int = 10

    @property
    def display(self) -> str:
        if self.hidden == PRIMARY:
            return f"<{self.threshold}"
        if self.hidden == SECONDARY:
            return "—"
        return str(self.count)

    @property
    def shown(self) -> bool:
        return not self.hidden


def _bounds(cell: Cell) -> tuple[int, int]:
    if cell.hidden == PRIMARY:
        return 1, cell.threshold - 1
    return cell.threshold, UNBOUNDED


def exposed(cells: list[Cell], total: int) -> bool:
    """Whether some hidden cell has a single possible value, given the published total."""
    hidden = [c for c in cells if c.hidden]
    if not hidden:
        return False
    rest = total - sum(c.count for c in cells if not c.hidden)
    bounds = [_bounds(c) for c in hidden]
    low_sum = sum(low for low, _high in bounds)
    high_sum = sum(high for _low, high in bounds)
    for low, high in bounds:
        others_low, others_high = low_sum - low, high_sum - high
        smallest = max(low, rest - others_high)
        largest = min(high, rest - others_low)
        if smallest >= largest:
            return True
    return False


def suppress(counts: list[int], threshold: int) -> tuple[list[Cell], Cell]:
    """Return the cells and the total of a table of ``counts``, suppressed for publishing."""
    cells = [Cell(n, PRIMARY if 0 < n < threshold else "", threshold) for n in counts]
    total = Cell(sum(counts), PRIMARY if 0 < sum(counts) < threshold else "", threshold)
    if total.hidden:
        return cells, total  # every cell is then primary: each lies in [1, threshold - 1]
    while exposed(cells, total.count):
        candidates = [c for c in cells if not c.hidden and c.count > 0]
        if not candidates:
            # Nothing left to hide: hide the whole table, zeros included, alike.
            for cell in cells:
                cell.hidden = SECONDARY
            break
        min(candidates, key=lambda c: c.count).hidden = SECONDARY
    return cells, total
