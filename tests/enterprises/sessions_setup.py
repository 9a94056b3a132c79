"""The people and the session the dialogue-session tests share (plain builders, not fixtures).

``build_cast()`` plans session No. 1 on Thursday 5 November 2026 (the ``clock`` fixture starts on
Monday the 2nd) hosted by a leader, and invites two entrepreneurs of two enterprises:

- ``owner`` — invited, of enterprise ``a``;
- ``colleague`` — another verified member of ``a``, not invited;
- ``guest`` — invited, of enterprise ``c`` (a fellow participant, an outsider to ``a``'s needs);
- ``outsider`` — a verified member of enterprise ``b``, not invited at all.
"""

import datetime as dt
from types import SimpleNamespace

from enterprises.services import sessions as services
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    category,
)

SESSION_DAY = dt.date(2026, 11, 5)


def member(enterprise, **kwargs):
    user = UserFactory(role="entrepreneur", **kwargs)
    MembershipFactory(user=user, enterprise=enterprise, status="verified")
    return user


def build_cast(*, number: int = 1, held_on: dt.date = SESSION_DAY) -> SimpleNamespace:
    department = DepartmentFactory(name="衢州市经济和信息化局")
    dispatcher = UserFactory(role="dispatcher", name="王晓燕")
    leader = UserFactory(role="leader", name="周书记")
    a = EnterpriseFactory(name="衢州华星新材料有限公司")
    b = EnterpriseFactory(name="衢州外部企业有限公司")
    c = EnterpriseFactory(name="衢州同桌企业有限公司")
    owner = member(a, name="徐志强")
    colleague = member(a, name="徐同事")
    guest = member(c, name="吴同桌")
    outsider = member(b, name="郑局外")
    session = services.session_create(
        actor=dispatcher,
        number=number,
        theme='推进化工新材料"五链"深度融合',
        held_on=held_on,
        start_time=dt.time(14, 30),
        venue="衢州市民中心亲清会客厅",
        hosts=[leader],
        agenda="一、企业家发言\n二、部门回应",
    )
    services.session_invite(session=session, actor=dispatcher, user=owner, enterprise=a)
    services.session_invite(session=session, actor=dispatcher, user=guest, enterprise=c)
    return SimpleNamespace(
        department=department,
        dispatcher=dispatcher,
        leader=leader,
        handler=UserFactory(role="handler", department=department),
        admin=UserFactory(role="admin", is_staff=True, is_superuser=True),
        a=a,
        b=b,
        c=c,
        owner=owner,
        colleague=colleague,
        guest=guest,
        outsider=outsider,
        session=session,
    )


def hold(cast, clock) -> None:
    clock.set(cast.session.held_on, 16)
    cast.session = services.session_hold(session=cast.session, actor=cast.dispatcher)


def record_need(cast, enterprise, *, title: str, content: str = "", instruction: str = ""):
    return services.session_record_need(
        session=cast.session,
        actor=cast.dispatcher,
        enterprise=enterprise,
        category=category("融资信贷"),
        title=title,
        content=content or f"{title}，请协调解决。",
        instruction=instruction or "请市经信局牵头，两周内拿出方案。",
        leader=cast.leader,
    )
