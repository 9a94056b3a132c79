"""The figures' Excel export: one row per group and indicator, the periods in columns.

Fixed Chinese headers (like every export of the portal); amounts in yuan; the rows are the
figures page's (``alliances.figures.series``), so the file and the page never disagree.
"""

from __future__ import annotations

from alliances.figures import series
from alliances.periods import Period
from portal.exports import Column, Sheet

MEASURES = (
    ("villages", "报送村数"),
    ("total", "合计"),
    ("average", "村均"),
    ("ethnic_average", "民族村村均"),
)


def figures_sheet(user, periods: list[Period], group_by: str) -> Sheet:
    data = series(user, periods, group_by)
    group = "联盟" if group_by == "alliance" else "区县"
    columns = [Column(group, 24), Column("指标", 16), Column("口径", 12)] + [
        Column(code, 14, "number") for code in data["periods"]
    ]

    def rows():
        for row in data["rows"]:
            label = row["label"] or "合计"
            yield [label, "—", MEASURES[0][1]] + [
                row["values"][code]["villages"] for code in data["periods"]
            ]
            for indicator in data["indicators"]:
                unit = "元" if indicator.is_amount else indicator.unit
                for key, name in MEASURES[1:]:
                    yield [label, f"{indicator.name}（{unit}）", name] + [
                        row["values"][code]["indicators"][indicator.code][key]
                        for code in data["periods"]
                    ]

    return Sheet("村级经济数据", columns, rows())
