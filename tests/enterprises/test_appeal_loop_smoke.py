from enterprises.models import AppealEvent
from tests.factories import appeal_in


def test_whole_loop_writes_one_event_per_step(entrepreneur, dispatcher, handler):
    appeal = appeal_in("closed", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    assert appeal.status == "closed"
    assert appeal.number.startswith("QH-")
    actions = list(AppealEvent.objects.filter(appeal=appeal).values_list("action", flat=True))
    assert actions == ["submit", "accept", "assign", "sign", "reply", "rate"]
