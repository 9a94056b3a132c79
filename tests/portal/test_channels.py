"""The senders of ``portal.channels``: what a DingTalk or WeCom robot receives, how a robot's
refusal, an HTTP error or a timeout surfaces, and e-mail through Django's mail."""

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

import pytest
from django.core import mail

from portal import channels
from portal.channels import DeliveryError
from portal.models import Delivery
from portal.services import notify
from tests.factories import DepartmentFactory, UserFactory

SECRET = "SECtongxin-test-secret"
# Worked out by hand, outside Python:
#   printf '1700000000000\nSECtongxin-test-secret' \
#     | openssl dgst -sha256 -hmac 'SECtongxin-test-secret' -binary | base64
SIGNATURE_1700000000000 = "QNr8TNLNZ9zIkS14Iymwaobkh+z0wLzK/DUfzBedZ6A="


# --- rendering ------------------------------------------------------------------------------


def test_links_are_absolute_with_the_portal_base_url(settings):
    settings.PORTAL_BASE_URL = "https://tongxin.example.gov.cn/"

    assert channels.absolute_url("/appeals/7/") == "https://tongxin.example.gov.cn/appeals/7/"
    assert channels.absolute_url("") == ""


def test_dingtalk_message_is_markdown_with_title_body_and_link(settings):
    settings.PORTAL_BASE_URL = "http://portal.local"

    payload = channels.render_dingtalk(title="诉求即将到期", body="请及时办理", url="/appeals/3/")

    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == "诉求即将到期"
    text = payload["markdown"]["text"]
    assert text.startswith("#### 诉求即将到期")
    assert "请及时办理" in text
    assert "(http://portal.local/appeals/3/)" in text


def test_wecom_message_is_markdown_content(settings):
    settings.PORTAL_BASE_URL = "http://portal.local"

    payload = channels.render_wecom(title="诉求已超期", body="", url="/appeals/4/")

    assert payload["msgtype"] == "markdown"
    assert set(payload["markdown"]) == {"content"}
    assert payload["markdown"]["content"].startswith("**诉求已超期**")
    assert "(http://portal.local/appeals/4/)" in payload["markdown"]["content"]


def test_email_text_has_the_body_and_the_absolute_link(settings):
    settings.PORTAL_BASE_URL = "http://portal.local"

    subject, text = channels.render_email(title="标题", body="正文", url="/appeals/5/")

    assert subject == "标题"
    assert text.startswith("正文")
    assert "http://portal.local/appeals/5/" in text


# --- DingTalk's signature -------------------------------------------------------------------


def test_dingtalk_signature_matches_the_hand_computed_vector():
    assert channels.dingtalk_sign(SECRET, 1700000000000) == quote_plus(SIGNATURE_1700000000000)
    # quote_plus really escaped something: "+", "/" and "=" are all in this signature.
    assert "%2B" in channels.dingtalk_sign(SECRET, 1700000000000)


def test_dingtalk_signed_url_appends_timestamp_and_sign():
    url = channels.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", SECRET, 1700000000000
    )

    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc"
        "&timestamp=1700000000000&sign=" + quote_plus(SIGNATURE_1700000000000)
    )


# --- posting to a robot (a real HTTP server on 127.0.0.1) ------------------------------------


@pytest.fixture
def dingtalk(db, robot_server):
    return DepartmentFactory(
        webhook_kind="dingtalk", webhook_url=robot_server.url(), webhook_secret=SECRET
    )


@pytest.fixture
def wecom(db, robot_server):
    return DepartmentFactory(webhook_kind="wecom", webhook_url=robot_server.url("/cgi-bin/webhook"))


def test_dingtalk_post_carries_the_body_and_a_valid_fresh_signature(dingtalk, robot_server):
    payload = channels.render_dingtalk(title="提醒", body="内容", url="/appeals/1/")
    before = int(time.time() * 1000)

    channels.send_robot(dingtalk, "dingtalk", payload)

    (received,) = robot_server.received
    assert received.path == "/robot/send"
    assert received.body == payload
    assert received.headers["Content-Type"].startswith("application/json")
    assert received.query["access_token"] == "robot-token"
    timestamp = int(received.query["timestamp"])
    assert before <= timestamp <= int(time.time() * 1000)
    # The robot's own check: recompute the HMAC from the timestamp it was given.
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert received.query["sign"] == expected  # parse_qs undid the URL-encoding
    assert "sign=" + quote_plus(expected) in received.raw_query


def test_dingtalk_without_a_secret_is_not_signed(db, robot_server):
    department = DepartmentFactory(webhook_kind="dingtalk", webhook_url=robot_server.url())

    channels.send_robot(department, "dingtalk", {"msgtype": "markdown"})

    (received,) = robot_server.received
    assert "sign" not in received.query and "timestamp" not in received.query


def test_wecom_post_carries_the_body_unsigned(wecom, robot_server):
    payload = channels.render_wecom(title="提醒", body="内容", url="")

    channels.send_robot(wecom, "wecom", payload)

    (received,) = robot_server.received
    assert received.path == "/cgi-bin/webhook"
    assert received.body == payload
    assert set(received.query) == {"access_token"}


def test_a_non_zero_errcode_is_a_failure(wecom, robot_server):
    robot_server.reply(body={"errcode": 93000, "errmsg": "invalid webhook url"})

    with pytest.raises(DeliveryError, match="errcode 93000"):
        channels.send_robot(wecom, "wecom", {"msgtype": "markdown"})


def test_an_answer_without_errcode_is_a_failure(wecom, robot_server):
    robot_server.reply(body={"ok": True})

    with pytest.raises(DeliveryError, match="errcode None"):
        channels.send_robot(wecom, "wecom", {"msgtype": "markdown"})


def test_an_answer_that_is_not_json_is_a_failure(wecom, robot_server):
    robot_server.reply(body="<html>gateway</html>")

    with pytest.raises(DeliveryError, match="JSON"):
        channels.send_robot(wecom, "wecom", {"msgtype": "markdown"})


def test_http_500_is_a_failure_that_names_no_credential(dingtalk, robot_server):
    robot_server.reply(status=500, body={"errcode": -1})

    with pytest.raises(DeliveryError) as caught:
        channels.send_robot(dingtalk, "dingtalk", {"msgtype": "markdown"})

    assert str(caught.value) == "HTTP 500"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_slow_robot_times_out(settings, dingtalk, robot_server):
    settings.DELIVERY_WEBHOOK_TIMEOUT = 0.3
    robot_server.reply(delay=2)
    started = time.monotonic()

    with pytest.raises(DeliveryError, match="timed out"):
        channels.send_robot(dingtalk, "dingtalk", {"msgtype": "markdown"})

    assert time.monotonic() - started < 1.5


def test_a_refused_connection_is_a_failure(db, robot_server):
    department = DepartmentFactory(webhook_kind="wecom", webhook_url=robot_server.url())
    robot_server.stop()

    with pytest.raises(DeliveryError, match="connection failed"):
        channels.send_robot(department, "wecom", {"msgtype": "markdown"})


def test_a_robot_no_longer_configured_is_a_failure(dingtalk):
    dingtalk.webhook_kind, dingtalk.webhook_url = "", ""

    with pytest.raises(DeliveryError, match="no longer configured"):
        channels.send_robot(dingtalk, "dingtalk", {"msgtype": "markdown"})


# --- e-mail through Django's mail (locmem in tests) -----------------------------------------


@pytest.fixture
def reader(db):
    return UserFactory(role="dispatcher", email="reader@example.gov.cn")


def email_delivery(user, **kwargs) -> Delivery:
    (notification,) = notify(recipients=[user], kind="tests.test", **kwargs)
    return Delivery.objects.get(notification=notification, channel="email")


def test_email_goes_to_the_recipient_with_subject_and_link(settings, reader):
    settings.PORTAL_BASE_URL = "http://portal.local"
    delivery = email_delivery(reader, title="诉求已受理", body="详情见门户", url="/appeals/9/")

    channels.send(delivery)

    (message,) = mail.outbox
    assert message.to == ["reader@example.gov.cn"]
    assert message.subject == "诉求已受理"
    assert "详情见门户" in message.body
    assert "http://portal.local/appeals/9/" in message.body
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_email_to_someone_whose_address_is_gone_fails(reader):
    delivery = email_delivery(reader, title="标题")
    reader.email = ""
    reader.save()
    delivery.refresh_from_db()

    with pytest.raises(DeliveryError, match="no e-mail address"):
        channels.send(delivery)
    assert mail.outbox == []


def test_a_mail_server_error_is_a_failure(settings, reader):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    delivery = email_delivery(reader, title="标题")

    with pytest.raises(DeliveryError, match="mail not accepted"):
        channels.send(delivery)


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORTAL_BASE_URL", "ftp://portal.local"),
        ("DELIVERY_WEBHOOK_TIMEOUT", "soon"),
        ("EMAIL_TIMEOUT", "ten"),
        ("SMS_GATEWAY_URL", "ftp://sms.local"),
        ("SMS_GATEWAY_TIMEOUT", "soon"),
        ("SMS_BACKEND", "pigeon"),
    ],
)
def test_a_malformed_channel_setting_stops_start_up_naming_it(name, value):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", name: value},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert name in result.stderr
