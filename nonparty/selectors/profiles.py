"""A batch's profile (画像), computed from the rows: size, the share with a full-time master's
degree or above, the share from 双一流 universities, the average age on the batch's date, and
the mixes of sex and field. One query for the people of a batch, whatever its size."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db.models import Exists, F, OuterRef, QuerySet

from nonparty.models import MASTERS_OR_ABOVE, Batch, Education, Field, Gender, Person


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years (周岁) on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def with_profile_flags(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` with ``masters_full_time`` (a full-time master's or doctorate: a part-time one
    does not count) and ``double_first_class`` (any degree from a university the reference
    table marks 双一流 — for some disciplines only or not, see ``nonparty.universities``)."""
    educations = Education.objects.filter(person=OuterRef("pk"))
    return people.annotate(
        masters_full_time=Exists(educations.filter(degree__in=MASTERS_OR_ABOVE, full_time=True)),
        double_first_class=Exists(educations.filter(university__double_first_class=True)),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def profile_of(rows: Iterable[dict], on: dt.date) -> dict:
    """The profile of people given as rows (``birth_date``, ``gender``, ``field``,
    ``masters_full_time``, ``double_first_class``), ages taken on ``on``. Shares are fractions
    0–1 (``None`` for no one); the average age is of whole years, to one decimal."""
    rows = list(rows)
    size = len(rows)
    masters = sum(1 for row in rows if row["masters_full_time"])
    first_class = sum(1 for row in rows if row["double_first_class"])
    ages = [age_on(row["birth_date"], on) for row in rows if row["birth_date"]]
    genders = Counter(row["gender"] for row in rows)
    fields = Counter(row["field"] for row in rows)
    return {
        "on": on.isoformat(),
        "size": size,
        "masters": masters,
        "masters_share": _share(masters, size),
        "double_first_class": first_class,
        "double_first_class_share": _share(first_class, size),
        "average_age": round(sum(ages) / len(ages), 1) if ages else None,
        "by_gender": {value: genders.get(value, 0) for value in Gender.values},
        "by_field": {value: fields[value] for value in Field.values if fields.get(value)},
    }


PROFILE_VALUES = ("birth_date", "gender", "field", "masters_full_time", "double_first_class")


def batch_profile(batch: Batch) -> dict:
    """The batch's profile from today's rows (the live one), in one query."""
    people = with_profile_flags(Person.objects.filter(batch_memberships__batch=batch)).order_by()
    return profile_of(people.values(*PROFILE_VALUES), batch.recognised_on)


def batch_profiles(batches) -> dict[int, dict]:
    """The live profiles of several batches (a page of the list), in one query."""
    batches = list(batches)
    rows: dict[int, list] = {batch.pk: [] for batch in batches}
    people = with_profile_flags(
        Person.objects.filter(batch_memberships__batch__in=[batch.pk for batch in batches])
    ).order_by()
    for row in people.values(*PROFILE_VALUES, batch_id=F("batch_memberships__batch")):
        rows[row["batch_id"]].append(row)
    return {batch.pk: profile_of(rows[batch.pk], batch.recognised_on) for batch in batches}


def gender_mix(profile: dict | None) -> list[tuple[str, int]]:
    """A profile's sex mix for a page: [(label, count)]."""
    if profile is None:
        return []
    return [(str(label), profile["by_gender"].get(value, 0)) for value, label in Gender.choices]


def field_mix(profile: dict | None) -> list[tuple[str, int]]:
    if profile is None:
        return []
    labels = dict(Field.choices)
    return [(str(labels.get(key, key)), count) for key, count in profile["by_field"].items()]
