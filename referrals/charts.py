"""Bar charts drawn on the server as SVG: no JavaScript, no request elsewhere.

Each chart has a title and a description for screen readers and repeats the numbers
of the table printed under it. In right-to-left languages the chart is mirrored:
labels on the right, bars growing leftwards.
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
MAX_LABEL = 32


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(table: Table, chart_id: str, description: str = "") -> str:
    """Return the SVG of a horizontal bar chart of ``table``; ``description`` replaces
    the screen readers' description of a suppressed table of referrals."""
    rtl = get_language_bidi()
    shown = [row.cell.count for row in table.rows if row.cell.shown]
    scale_max = max([*shown, table.rows[0].cell.threshold if table.rows else 1, 1])
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = ROW * len(table.rows) + 8
    direction = "rtl" if rtl else "ltr"
    parts = []
    for index, row in enumerate(table.rows):
        y = 4 + index * ROW
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
                _short(row.label),
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
