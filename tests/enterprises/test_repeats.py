"""Possible repeats: shown when an enterprise submits something it has already asked."""

import datetime as dt

import pytest
from django.utils import timezone

from enterprises.models import Appeal, RepeatCandidate
from enterprises.services.repeats import similarity
from tests.factories import appeal_in

pytestmark = pytest.mark.django_db

TITLE = "厂房用地指标迟迟未落实"
CONTENT = "我司二期扩产项目需新增用地30亩，已申请半年，用地指标迟迟没有落实，影响开工。"


def test_similarity_of_chinese_text():
    assert similarity(CONTENT, CONTENT) == 1.0
    assert similarity(CONTENT, "二期扩产项目用地指标半年未落实，影响开工") > 0.35
    assert similarity(CONTENT, "希望协调解决员工子女入学问题") < 0.1
    assert similarity("", CONTENT) == 0.0


def test_a_resembling_appeal_of_the_same_enterprise_is_a_candidate(
    entrepreneur, outsider, dispatcher
):
    first = appeal_in(
        "accepted", entrepreneur=entrepreneur, dispatcher=dispatcher, title=TITLE, content=CONTENT
    )
    appeal_in("submitted", entrepreneur=outsider, title=TITLE, content=CONTENT)
    again = appeal_in(
        "submitted",
        entrepreneur=entrepreneur,
        title="用地指标还没落实",
        content="二期扩产项目新增用地30亩的用地指标仍未落实，影响开工，请帮助协调。",
    )
    assert list(
        RepeatCandidate.objects.filter(appeal=again).values_list("candidate", flat=True)
    ) == [first.pk]
    different = appeal_in(
        "submitted", entrepreneur=entrepreneur, title="子女入学", content="员工子女入学难"
    )
    assert not RepeatCandidate.objects.filter(appeal=different).exists()


def test_long_closed_and_rejected_appeals_are_not_candidates(entrepreneur, dispatcher, handler):
    old = appeal_in(
        "closed",
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        title=TITLE,
        content=CONTENT,
    )
    Appeal.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
    appeal_in(
        "rejected", entrepreneur=entrepreneur, dispatcher=dispatcher, title=TITLE, content=CONTENT
    )
    again = appeal_in("submitted", entrepreneur=entrepreneur, title=TITLE, content=CONTENT)
    assert not RepeatCandidate.objects.filter(appeal=again).exists()
