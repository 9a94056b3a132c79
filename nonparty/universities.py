"""The university reference table, from the vendored CSV (``data/universities_2022.csv``).

The CSV holds a subset of the second-round list of 双一流 construction universities published
in 2022 (147 universities; each listed with the disciplines it builds, or 自主确定 where the
university chooses them itself), entered by hand, and a few universities that are not on the
list (衢州学院 …) so that a graduate of one can be recorded. Graduating from a listed university
counts as 双一流 whatever the discipline: the list names universities, and the article's figure
(来自"双一流"高校) is about universities; the disciplines are kept for the record.
"""

import csv
from pathlib import Path

CSV = Path(__file__).resolve().parent / "data" / "universities_2022.csv"


def rows() -> list[dict]:
    with CSV.open(encoding="utf-8") as handle:
        return [
            {
                "name": row["name"].strip(),
                "province": row["province"].strip(),
                "double_first_class": row["double_first_class"].strip() == "1",
                "disciplines": [d for d in row["disciplines"].split(";") if d.strip()],
            }
            for row in csv.DictReader(handle)
        ]


def load_universities(model=None) -> int:
    """Add or refresh the table's rows from the CSV (idempotent); the number of rows."""
    if model is None:
        from nonparty.models import University as model
    found = rows()
    for row in found:
        model.objects.update_or_create(name=row.pop("name"), defaults=row)
    return len(found)
