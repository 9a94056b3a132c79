"""Text messages: how a message becomes an SMS, what the gateway receives (a real HTTP server on
127.0.0.1), what counts as taken, and how the outbox records, sends, retries and keeps the number
and the gateway's credentials out of its log."""

import hashlib
import hmac
import json
import logging
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.db import connection

from portal import channels, tasks
from portal.models import Delivery
from portal.services import Message, deliveries_send, notify_many

pytestmark = pytest.mark.django_db

GUEST = "13812345678"


@pytest.fixture
def published():
    calls = []
    with mock.patch.object(
        tasks.deliver, "apply_async", side_effect=lambda args, **kw: calls.append(args[0])
    ):
        yield calls


def text_message(**kwargs):
    fields = {
        "recipients": [],
        "kind": "portal.calendar_missing_year",
        "title": "邀请函：乡贤大会",
        "body": "12月8日 09:00，市会展中心。打开链接答复。",
        "url": "/xiangxian/invitations/abc/",
        "phones": [GUEST],
    }
    fields.update(kwargs)
    return Message(**fields)


# --- rendering ------------------------------------------------------------------------------


def test_a_text_has_the_signature_title_body_and_absolute_link(settings):
    settings.PORTAL_BASE_URL = "https://tongxin.example.gov.cn"
    settings.SMS_SIGNATURE = "同心"

    text = channels.render_sms(title="邀请函", body="明天 09:00。", url="/x/abc/")

    assert text == "【同心】邀请函 明天 09:00。 https://tongxin.example.gov.cn/x/abc/"


def test_a_long_body_is_shortened_but_the_link_is_kept_whole(settings):
    settings.PORTAL_BASE_URL = "https://tongxin.example.gov.cn"

    text = channels.render_sms(title="通知", body="很长的内容" * 100, url="/x/abc/")

    assert len(text) <= settings.SMS_MAX_CHARS
    assert text.endswith("… https://tongxin.example.gov.cn/x/abc/")


# --- the gateway ----------------------------------------------------------------------------


def sms_delivery(**fields):
    values = {
        "key": "sms:test-1",
        "channel": Delivery.Channel.SMS,
        "phone": GUEST,
        "subject": "邀请函",
        "text": "【同心】邀请函 https://portal/x/",
    }
    values.update(fields)
    return Delivery.objects.create(**values)


def test_the_gateway_gets_number_text_and_key_with_token_and_a_valid_signature(sms_gateway):
    delivery = sms_delivery()

    channels.send(delivery)

    (received,) = sms_gateway.received
    assert received.path == "/sms/send"
    assert received.body == {"phone": GUEST, "text": delivery.text, "id": "sms:test-1"}
    assert received.headers["Authorization"] == "Bearer gw-TOKEN-do-not-leak"
    assert received.headers["Idempotency-Key"] == "sms:test-1"
    timestamp = received.headers["X-Tongxin-Timestamp"]
    body = json.dumps(received.body, ensure_ascii=False).encode()
    expected = hmac.new(
        b"gw-SECRET-do-not-leak", timestamp.encode() + b"\n" + body, hashlib.sha256
    ).hexdigest()
    assert received.headers["X-Tongxin-Signature"] == expected


def test_without_token_or_secret_the_post_carries_neither(settings, sms_gateway):
    settings.SMS_GATEWAY_TOKEN = settings.SMS_GATEWAY_SECRET = ""

    channels.send(sms_delivery())

    (received,) = sms_gateway.received
    assert "Authorization" not in received.headers
    assert "X-Tongxin-Signature" not in received.headers


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ({"body": {"code": 1001, "message": "号码格式错误"}}, "code 1001: 号码格式错误"),
        ({"body": {"ok": True}}, "code None"),
        ({"body": "<html>busy</html>"}, "did not answer JSON"),
        ({"status": 503, "body": {"code": 0}}, "HTTP 503"),
    ],
)
def test_anything_but_code_0_is_a_failure(sms_gateway, reply, error):
    sms_gateway.reply(**reply)

    with pytest.raises(channels.DeliveryError, match=error):
        channels.send(sms_delivery())


def test_a_slow_gateway_times_out(settings, sms_gateway):
    settings.SMS_GATEWAY_TIMEOUT = 1
    sms_gateway.reply(delay=2)

    with pytest.raises(channels.DeliveryError, match="timed out after 1 s"):
        channels.send(sms_delivery())


def test_the_console_backend_logs_the_text_with_the_number_masked(settings, caplog):
    settings.SMS_BACKEND = "console"

    with caplog.at_level(logging.INFO, logger="portal.channels"):
        channels.send(sms_delivery())

    assert "138****5678" in caplog.text
    assert GUEST not in caplog.text
    assert "【同心】邀请函" in caplog.text


# --- the outbox -----------------------------------------------------------------------------


def test_a_message_to_a_number_records_one_encrypted_text(
    settings, published, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"

    with django_capture_on_commit_callbacks(execute=True):
        notify_many([text_message(phones=["+86 13812345678", GUEST], key="invite:1")])

    (delivery,) = Delivery.objects.all()
    assert delivery.channel == "sms"
    assert delivery.phone == GUEST
    assert delivery.text.startswith("【同心】邀请函：乡贤大会")
    assert GUEST not in delivery.key
    assert published == [[delivery.pk]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM portal_delivery WHERE id = %s", [delivery.pk])
        (stored,) = cursor.fetchone()
    assert stored and GUEST not in stored


def test_a_keyed_text_is_recorded_once_per_number(settings, published):
    settings.SMS_BACKEND = "console"
    message = text_message(phones=[GUEST, "13900001111"], key="invite:7")

    notify_many([message])
    notify_many([message])

    assert Delivery.objects.filter(channel="sms").count() == 2


def test_with_text_messages_off_nothing_is_recorded(settings, published):
    settings.SMS_BACKEND = "off"

    notify_many([text_message(key="invite:2")])

    assert not Delivery.objects.exists()
    assert published == []


def test_an_sms_is_sent_once_and_its_failure_keeps_number_and_token_out_of_the_log(
    sms_gateway, published
):
    notify_many([text_message(key="invite:3")])
    (delivery,) = Delivery.objects.all()
    sms_gateway.reply(body={"code": 500, "message": f"{GUEST} gw-TOKEN-do-not-leak"})

    assert deliveries_send([delivery.pk]) == {"retry": 1}
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert GUEST not in delivery.last_error
    assert "gw-TOKEN" not in delivery.last_error

    delivery.next_attempt_at = delivery.created_at
    delivery.save(update_fields=["next_attempt_at"])
    assert deliveries_send([delivery.pk, delivery.pk]) == {"sent": 1, "skipped": 1}
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(sms_gateway.received) == 2


def test_the_delivery_log_shows_the_number_masked(settings, published):
    settings.SMS_BACKEND = "console"
    notify_many([text_message()])
    delivery = Delivery.objects.get()

    assert site._registry[Delivery].destination(delivery) == "138****5678"
