"""Possible repeats (重复诉求): a new appeal that resembles one of its enterprise's recent ones."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from enterprises.models import Appeal, RepeatCandidate
from enterprises.models import Status as S

THRESHOLD = 0.35
MAX_CANDIDATES = 3
POOL = 50


def _shingles(text: str) -> set[str]:
    """Character bigrams of the text without spaces and punctuation: robust for Chinese."""
    chars = "".join(filter(str.isalnum, text.lower()))
    if len(chars) < 2:
        return set(chars)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def _jaccard(left: set[str], right: set[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character bigrams, 0–1."""
    return _jaccard(_shingles(a), _shingles(b))


def _text(title: str, content: str) -> str:
    return f"{title} {title} {content}"  # the title weighs double


def repeat_candidates_record(appeal: Appeal) -> list[RepeatCandidate]:
    """Store the enterprise's open or recently closed appeals that ``appeal`` resembles."""
    since = timezone.now() - timedelta(days=settings.APPEAL_REPEAT_WINDOW_DAYS)
    pool = (
        Appeal.objects.filter(enterprise_id=appeal.enterprise_id, merged_into__isnull=True)
        .exclude(pk=appeal.pk)
        .exclude(status=S.REJECTED)
        .filter(~Q(status=S.CLOSED) | Q(closed_at__gte=since))
        .order_by("-submitted_at")
        .values_list("pk", "title", "content")[:POOL]
    )
    # The new appeal's bigrams once, not once per appeal of the pool.
    shingles = _shingles(_text(appeal.title, appeal.content))
    scored = sorted(
        ((_jaccard(shingles, _shingles(_text(title, content))), pk) for pk, title, content in pool),
        key=lambda pair: pair[0],
        reverse=True,
    )
    rows = [
        RepeatCandidate(appeal=appeal, candidate_id=pk, score=round(score, 3))
        for score, pk in scored[:MAX_CANDIDATES]
        if score >= THRESHOLD
    ]
    return RepeatCandidate.objects.bulk_create(rows)
