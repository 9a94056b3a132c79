"""A fortnight of appeals driven through the real services, with every figure hand-computed.

Department A is the handler's, B the other handler's. The period is 2026-11-02 (Mon) to
2026-11-13 (Fri); "today" is Friday 2026-11-27. Deadlines are 10 working days (category
融资信贷), sign-for 1 working day; November 2026 has no holiday.

| appeal | accepted | story | lead | closed | handling wd |
|---|---|---|---|---|---|
| a1 | 11-02 | signed 11-02, replied 11-06, satisfied; call-back satisfied | A | on time | 4 |
| a2 | 11-02 | signed 11-03, question 11-04 → answer 11-09 (3 wd stop, deadline 11-16 → 11-19), replied 11-18, basically satisfied | A | on time (only thanks to the stop) | 12 − 3 = 9 |
| a3 | 11-03 | signed 11-05 (late: due 11-04), extension to 11-24 approved, replied 11-20, satisfied | A | on time after extension | 13 |
| a4 | 11-03 | signed 11-03, replied 11-10, dissatisfied → re-handled, replied 11-25 (due 11-17), satisfied; call-back dissatisfied | A | late | 16 |
| a5 | 11-04 | A returns it the same day (dispute), routed to B 11-05, signed 11-05, replied 11-12, satisfied | B | on time | 6 |
| a6 | 11-05 | routed to B, never signed (sign-for day 11-06 passed); overdue since 11-19 | B | – | – |
| a7 | 11-06 | routed to A, signed, in progress; overdue since 11-20 | A | – | – |
| a8 | 11-09 | accepted, not routed | – | – | – |
| a14 | 11-09 | routed to B, signed 11-09, replied 11-10, dissatisfied 11-11 → in progress; overdue since 11-23 | B | – | – |
| a12 | 11-13 23:30 | accepted late on the last day (15:30 UTC): inside | – | – | – |
| a11 | 10-30 23:30 | accepted before the period, closed inside it (replied 11-04): outside | A | on time | 3 |
| a13 | 11-14 00:10 | accepted just after the period (still 11-13 in UTC): outside | – | – | – |
| rejected, merged | 11-09 | never accepted: outside | | | |
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from enterprises import services
from enterprises.models import Appeal
from enterprises.services import stats as figures
from tests.factories import category

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = {"from": "2026-11-02", "to": "2026-11-13"}
TODAY = dt.date(2026, 11, 27)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Scenario:
    appeals: dict[str, Appeal]
    a: object  # department A
    b: object  # department B


def build(clock, *, entrepreneur, dispatcher, handler, other_handler, head=None) -> Scenario:
    """Drive every appeal of the table above; the clock ends on ``TODAY`` at 10:00."""
    e, d, h, oh = entrepreneur, dispatcher, handler, other_handler
    log: list[tuple[dt.datetime, str, callable]] = []
    made: dict[str, Appeal] = {}

    def step(when: dt.datetime, name: str, action):
        log.append((when, name, action))

    def submit(name, when, title=None):
        def run():
            made[name] = services.appeal_submit(
                actor=e,
                enterprise=e.enterprise,
                title=title or f"诉求{name}：厂区配套问题",
                content=f"{name} 的具体情况说明。",
                category=category(),
            )

        step(when, name, run)

    def act(name, when, service, **kwargs):
        def run():
            made[name] = service(appeal=made[name], **kwargs)

        step(when, name, run)

    def accept(name, when):
        submit(name, when - dt.timedelta(minutes=5))
        act(name, when, services.appeal_accept, actor=d)

    def assign(name, when, department):
        act(name, when, services.appeal_assign, actor=d, department=department)

    def reply(name, when, who):
        act(name, when, services.appeal_reply, actor=who, content="已办理，答复如下。")

    def rate(name, when, rating, comment=""):
        act(name, when, services.appeal_rate, actor=e, rating=rating, comment=comment)

    A, B = h.department, oh.department
    # a1
    accept("a1", at(11, 2, 10))
    assign("a1", at(11, 2, 10, 5), A)
    act("a1", at(11, 2, 11), services.appeal_sign, actor=h)
    reply("a1", at(11, 6), h)
    rate("a1", at(11, 6, 15), "satisfied")
    act("a1", at(11, 9), services.appeal_callback, actor=d, rating="satisfied")
    # a2: a clock stop of 3 working days
    accept("a2", at(11, 2, 10, 30))
    assign("a2", at(11, 2, 10, 35), A)
    act("a2", at(11, 3), services.appeal_sign, actor=h)
    act("a2", at(11, 4), services.appeal_request_info, actor=h, question="请补充合同。")
    act("a2", at(11, 9), services.appeal_provide_info, actor=e, content="合同已上传。")
    reply("a2", at(11, 18), h)
    rate("a2", at(11, 18, 15), "basically_satisfied")
    # a3: signed late, on time only after an extension
    accept("a3", at(11, 3))
    assign("a3", at(11, 3, 10, 5), A)
    act("a3", at(11, 5), services.appeal_sign, actor=h)
    act(
        "a3",
        at(11, 9),
        services.appeal_extend,
        actor=h,
        due_date=dt.date(2026, 11, 24),
        reason="需要现场核查。",
    )
    act("a3", at(11, 10), services.appeal_approve_extension, actor=d)
    reply("a3", at(11, 20), h)
    rate("a3", at(11, 20, 15), "satisfied")
    # a4: sent back by a dissatisfied rating, closed late
    accept("a4", at(11, 3, 11))
    assign("a4", at(11, 3, 11, 5), A)
    act("a4", at(11, 3, 14), services.appeal_sign, actor=h)
    reply("a4", at(11, 10), h)
    rate("a4", at(11, 10, 15), "dissatisfied", "问题没有解决。")
    reply("a4", at(11, 25), h)
    rate("a4", at(11, 25, 15), "satisfied")
    act("a4", at(11, 26), services.appeal_callback, actor=d, rating="dissatisfied")
    # a5: a routing dispute, then B
    accept("a5", at(11, 4))
    assign("a5", at(11, 4, 10, 5), A)
    act("a5", at(11, 4, 15), services.appeal_return, actor=h, reason="不属于本部门职责。")
    assign("a5", at(11, 5, 9), B)
    act("a5", at(11, 5, 10), services.appeal_sign, actor=oh)
    reply("a5", at(11, 12), oh)
    rate("a5", at(11, 12, 15), "satisfied")
    # a6: never signed
    accept("a6", at(11, 5, 11))
    assign("a6", at(11, 5, 11, 5), B)
    # a7: in progress past its deadline
    accept("a7", at(11, 6))
    assign("a7", at(11, 6, 10, 5), A)
    act("a7", at(11, 6, 11), services.appeal_sign, actor=h)
    # a8: accepted only
    accept("a8", at(11, 9))
    # a14: dissatisfied, back in progress
    accept("a14", at(11, 9, 11))
    assign("a14", at(11, 9, 11, 5), B)
    act("a14", at(11, 9, 14), services.appeal_sign, actor=oh)
    reply("a14", at(11, 10, 9), oh)
    rate("a14", at(11, 11), "dissatisfied", "答复不具体。")
    # the edges of the period
    accept("a12", at(11, 13, 23, 30))
    accept("a11", at(10, 30, 23, 30))
    assign("a11", at(10, 30, 23, 35), A)
    act("a11", at(11, 2, 9), services.appeal_sign, actor=h)
    reply("a11", at(11, 4), h)
    rate("a11", at(11, 4, 15), "satisfied")
    accept("a13", at(11, 14, 0, 10))
    # never accepted
    submit("rejected", at(11, 9, 12))
    act("rejected", at(11, 9, 13), services.appeal_reject, actor=d, reason="不属于受理范围。")
    submit("merged", at(11, 9, 12, 30), title="诉求a1：厂区配套问题")

    def merge():  # into a1, made by then
        made["merged"] = services.appeal_merge(appeal=made["merged"], actor=d, into=made["a1"])

    step(at(11, 9, 13, 30), "merged", merge)

    for when, _name, run in sorted(log, key=lambda item: item[0]):
        clock.now = when
        run()
    clock.now = dt.datetime.combine(TODAY, dt.time(10), tzinfo=SHANGHAI)
    for appeal in made.values():
        appeal.refresh_from_db()
    return Scenario(appeals=made, a=A, b=B)


# The states the figures' roll-up can be in; each must give the same figures.
ROLLUP_MODES = ("built", "live", "mixed")
OCTOBER, NOVEMBER = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def settle(mode: str) -> None:
    """``built``: October and November rolled up (whole months, so month rows exist);
    ``live``: the same, then every day marked as changed, so everything is counted live;
    ``mixed``: rolled up, then a day inside the period, one at each of its edges and a11's day
    in October marked."""
    figures.rebuild(OCTOBER, dt.date(2026, 11, 30))
    if mode == "live":
        figures.mark_days(OCTOBER + dt.timedelta(days=n) for n in range(61))
    elif mode == "mixed":
        figures.mark_days(
            [
                dt.date(2026, 10, 30),
                dt.date(2026, 11, 2),
                dt.date(2026, 11, 4),
                NOVEMBER.replace(day=13),
            ]
        )


# The expected figures over PERIOD on TODAY (hand-computed from the table above).
EXPECTED_TOTAL = {
    "accepted": 10,
    "closed": 5,
    "closure_rate": 0.5,
    "closed_on_time": 4,
    "on_time_rate": 0.8,
    "closed_on_time_extended": 1,
    "on_time_extended_rate": 0.2,
    "closed_late": 1,
    "rated": 6,
    "satisfied": 5,
    "satisfaction_rate": 0.8333,
    "callbacks": 2,
    "callback_satisfied": 1,
    "callback_satisfaction_rate": 0.5,
    "replied": 6,
    "rehandled": 2,
    "rehandle_rate": 0.3333,
    "overdue_open": 3,
    "avg_handling_days": 9.6,
    "median_handling_days": 9.0,
    "assignments": 9,
    "disputed": 1,
    "return_rate": 0.1111,
    "sign_due": 8,
    "signed_in_time": 6,
    "sign_in_time_rate": 0.75,
}
EXPECTED_A = {
    "accepted": 5,
    "closed": 4,
    "closure_rate": 0.8,
    "closed_on_time": 3,
    "on_time_rate": 0.75,
    "closed_on_time_extended": 1,
    "closed_late": 1,
    "rated": 4,
    "satisfied": 4,
    "satisfaction_rate": 1.0,
    "callbacks": 2,
    "callback_satisfied": 1,
    "replied": 4,
    "rehandled": 1,
    "rehandle_rate": 0.25,
    "overdue_open": 1,
    "avg_handling_days": 10.5,
    "median_handling_days": 11.0,
    "assignments": 6,
    "disputed": 1,
    "return_rate": 0.1667,
    "sign_due": 5,
    "signed_in_time": 4,
    "sign_in_time_rate": 0.8,
}
EXPECTED_B = {
    "accepted": 3,
    "closed": 1,
    "closure_rate": 0.3333,
    "closed_on_time": 1,
    "on_time_rate": 1.0,
    "rated": 2,
    "satisfied": 1,
    "satisfaction_rate": 0.5,
    "replied": 2,
    "rehandled": 1,
    "rehandle_rate": 0.5,
    "overdue_open": 2,
    "avg_handling_days": 6.0,
    "median_handling_days": 6.0,
    "assignments": 3,
    "disputed": 0,
    "return_rate": 0.0,
    "sign_due": 3,
    "signed_in_time": 2,
    "sign_in_time_rate": 0.6667,
}
# Accepted but not routed yet: every rate without a denominator is null.
EXPECTED_UNROUTED = {
    "accepted": 2,
    "closed": 0,
    "closure_rate": 0.0,
    "on_time_rate": None,
    "satisfaction_rate": None,
    "callback_satisfaction_rate": None,
    "rehandle_rate": None,
    "avg_handling_days": None,
    "median_handling_days": None,
    "assignments": 0,
    "return_rate": None,
    "sign_in_time_rate": None,
    "overdue_open": 0,
}
