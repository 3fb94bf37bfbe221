"""Bar charts drawn on the server as SVG: no JavaScript, no request elsewhere.

Each chart has a title and a description for screen readers and repeats the numbers
of the table printed under it. In right-to-left languages the chart is mirrored:
labels on the right, bars growing leftwards. A long label wraps onto a second line (the
row grows); one longer still ends with "…" and carries its full text as a title.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from referrals.statistics import Table

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 60
ROW = 26
BAR = 16
LINE = 14  # the second line of a label
MAX_LABEL = 32  # characters on a line of label


def _lines(label: str) -> list[str]:
    """Return ``label`` on one line, or on two cut between words; a second line too
    long ends with "…"."""
    if len(label) <= MAX_LABEL:
        return [label]
    words = label.split()
    first = words[0]
    taken = 1
    while taken < len(words) and len(f"{first} {words[taken]}") <= MAX_LABEL:
        first = f"{first} {words[taken]}"
        taken += 1
    second = " ".join(words[taken:])
    if len(first) > MAX_LABEL:  # one word longer than a line
        first, second = label[:MAX_LABEL], label[MAX_LABEL:]
    if len(second) > MAX_LABEL:
        second = second[: MAX_LABEL - 1] + "…"
    return [first, second]


def _label(label: str, x: int, y: int) -> str:
    """The label's text: as is on one line; on two, as lines (tspan) with the full label
    as a title when it had to be shortened."""
    lines = _lines(label)
    if len(lines) == 1:
        return format_html("{}", label)
    title = format_html("<title>{}</title>", label) if lines[1].endswith("…") else ""
    return format_html(
        '{}<tspan x="{}" y="{}">{}</tspan><tspan x="{}" y="{}">{}</tspan>',
        title,
        x,
        y,
        lines[0],
        x,
        y + LINE,
        lines[1],
    )


def bar_chart(table: Table, chart_id: str, description: str = "") -> str:
    """Return the SVG of a horizontal bar chart of ``table``; ``description`` replaces
    the screen readers' description of a suppressed table of referrals."""
    rtl = get_language_bidi()
    shown = [row.cell.count for row in table.rows if row.cell.shown]
    scale_max = max([*shown, table.rows[0].cell.threshold if table.rows else 1, 1])
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    direction = "rtl" if rtl else "ltr"
    parts = []
    y = 4
    for row in table.rows:
        if row.cell.shown:
            length = round(area * row.cell.count / scale_max)
            css = "bar"
        elif row.cell.hidden == "primary":
            length = round(area * (row.cell.threshold - 1) / scale_max)
            css = "bar bar-suppressed"
        else:
            length, css = 0, "bar"
        if rtl:
            label_x, bar_x, value_x = (
                WIDTH - 4,
                WIDTH - LABEL_WIDTH - length,
                WIDTH - LABEL_WIDTH - length - 6,
            )
        else:
            label_x, bar_x, value_x = 4, LABEL_WIDTH, LABEL_WIDTH + length + 6
        parts.append(
            (
                label_x,
                y + BAR - 3,
                direction,
                _label(row.label, label_x, y + BAR - 3),
                bar_x,
                y,
                length,
                BAR,
                css,
                value_x,
                y + BAR - 3,
                direction,
                row.cell.display,
            )
        )
        y += ROW + (LINE if len(_lines(row.label)) > 1 else 0)
    height = y + 4
    rows = format_html_join(
        "",
        '<text x="{}" y="{}" direction="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>'
        '<text x="{}" y="{}" direction="{}" class="chart-value">{}</text>',
        parts,
    )
    description = description or _(
        "Bar chart of the table that follows. Small counts are shown as “<%(threshold)s” "
        "and drawn lighter; “—” marks a count hidden so that no small count can be worked out."
    ) % {"threshold": table.total.threshold}
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rows}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=table.title,
        desc=description,
        rows=rows,
    )
