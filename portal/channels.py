"""Senders of the notification channels besides the in-app one: e-mail, department robots and
text messages (through the department's SMS gateway, to people without an account).

Rendering happens when a delivery is recorded (``render_*``), sending when a worker claims it
(``send``). A sender returns when the channel accepted the message and raises ``DeliveryError``
otherwise. Its message is safe to log: a robot's URL carries its access token and, once signed,
its signature, so neither the URL nor the secret ever appears in an error or a log line; a text
message's error never carries the number or the gateway's token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING
from urllib.parse import quote_plus, urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from portal.masking import mask_mobile

if TYPE_CHECKING:
    from portal.models import Delivery, Department


logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel did not take the message; the text says why without any credential."""


# --- rendering ------------------------------------------------------------------------------


def absolute_url(url: str) -> str:
    """The portal link as someone outside the browser session can open it."""
    if not url:
        return ""
    return urljoin(settings.PORTAL_BASE_URL.rstrip("/") + "/", url)


def render_email(*, title: str, body: str, url: str) -> tuple[str, str]:
    """Subject and plain-text body of a notification's e-mail."""
    parts = [body.strip()] if body.strip() else []
    if url:
        parts.append(_("Open it in Tongxin: %(url)s") % {"url": absolute_url(url)})
    return title, "\n\n".join(parts)


# What people type (a rating's comment, a title) must not become a link or an image in a
# department's group chat: markdown's link and image brackets become their full-width forms.
_PLAIN = str.maketrans(
    {"[": "［", "]": "］", "(": "（", ")": "）", "!": "！", "<": "＜", ">": "＞"}
)


def plain(text: str) -> str:
    return text.translate(_PLAIN)


def _markdown_lines(*, title: str, body: str, url: str) -> list[str]:
    lines = [plain(body.strip())] if body.strip() else []
    if url:
        label = _("Open in Tongxin")  # outside the f-string, so makemessages finds it
        lines.append(f"[{label}]({absolute_url(url)})")
    return lines


def render_dingtalk(*, title: str, body: str, url: str) -> dict:
    """The DingTalk robot's markdown message."""
    text = "\n\n".join([f"#### {plain(title)}", *_markdown_lines(title=title, body=body, url=url)])
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def render_wecom(*, title: str, body: str, url: str) -> dict:
    """The WeCom (企业微信) robot's markdown message."""
    content = "\n".join([f"**{plain(title)}**", *_markdown_lines(title=title, body=body, url=url)])
    return {"msgtype": "markdown", "markdown": {"content": content}}


RENDERERS = {"dingtalk": render_dingtalk, "wecom": render_wecom}


def render_sms(*, title: str, body: str, url: str) -> str:
    """A text message: the carrier's signature, the title, the body and the link, within
    ``SMS_MAX_CHARS`` (the body is shortened, never the link)."""
    head = f"【{settings.SMS_SIGNATURE}】{title.strip()}" if settings.SMS_SIGNATURE else title
    link = absolute_url(url)
    room = settings.SMS_MAX_CHARS - len(head) - (len(link) + 1 if link else 0) - 1
    text = " ".join(body.split())
    if len(text) > room:
        text = text[: max(room - 1, 0)] + "…" if room > 1 else ""
    return " ".join(part for part in (head, text, link) if part)


# --- DingTalk signature ---------------------------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's ``sign``: base64 of HMAC-SHA256 over ``"<timestamp>\\n<secret>"`` keyed with
    the secret, URL-encoded."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


# --- sending --------------------------------------------------------------------------------


def _post(url: str, data: bytes, *, headers: dict[str, str], timeout: float) -> bytes:
    """POST ``data`` and return the first 64 KiB of the answer; ``DeliveryError`` otherwise."""
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
        method="POST",
    )
    # Every failure is re-raised "from None": urllib's exceptions carry the URL.
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise DeliveryError(f"timed out after {timeout:g} s") from None
        raise DeliveryError(f"connection failed: {type(reason).__name__}: {reason}") from None
    except TimeoutError:
        raise DeliveryError(f"timed out after {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"connection failed: {type(exc).__name__}") from None
    except ValueError:
        raise DeliveryError("malformed URL") from None


def _json_object(raw: bytes, who: str) -> dict:
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DeliveryError(f"the {who} did not answer JSON") from None
    if not isinstance(answer, dict):
        raise DeliveryError(f"the {who} did not answer a JSON object")
    return answer


def post_json(url: str, payload: dict, *, timeout: float) -> dict:
    """POST ``payload`` and return the robot's JSON answer, whose ``errcode`` must be 0."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    answer = _json_object(_post(url, data, headers={}, timeout=timeout), "robot")
    errcode = answer.get("errcode")
    if errcode != 0:
        errmsg = str(answer.get("errmsg", ""))[:200]
        raise DeliveryError(f"errcode {errcode}: {errmsg}")
    return answer


def send_robot(department: Department, channel: str, payload: dict) -> None:
    """Post ``payload`` to the department's robot (signed for DingTalk when it has a secret)."""
    if department.webhook_kind != channel or not department.webhook_url:
        raise DeliveryError("the department's robot is no longer configured for this channel")
    url = department.webhook_url
    if channel == "dingtalk" and department.webhook_secret:
        url = dingtalk_signed_url(url, department.webhook_secret, int(time.time() * 1000))
    post_json(url, payload, timeout=settings.DELIVERY_WEBHOOK_TIMEOUT)


def send_email_delivery(delivery: Delivery) -> None:
    address = delivery.notification.recipient.email
    if not address:
        raise DeliveryError("the recipient has no e-mail address any more")
    try:
        send_mail(delivery.subject, delivery.text, None, [address], fail_silently=False)
    except Exception as exc:  # smtplib's errors, socket errors, or whatever a backend raises
        raise DeliveryError(f"mail not accepted: {type(exc).__name__}: {exc}"[:500]) from None


def sms_signature(secret: str, timestamp: int, body: bytes) -> str:
    """The gateway's check that the portal sent the post: hex HMAC-SHA256 of
    ``"<timestamp>\\n<body>"`` keyed with ``SMS_GATEWAY_SECRET``."""
    return hmac.new(
        secret.encode("utf-8"), str(timestamp).encode() + b"\n" + body, hashlib.sha256
    ).hexdigest()


# What a gateway answers when it took the message.
_SMS_ACCEPTED = (0, "0", "OK", "ok")


def send_sms(delivery: Delivery) -> None:
    """Hand the text message to the SMS gateway (``SMS_BACKEND=http``), or write it to the log
    (``console``, the development default).

    The post is ``{"phone", "text", "id"}`` (``id`` is the delivery's key, also sent as
    ``Idempotency-Key``: a retry after a time-out is the same message, and a gateway that keeps
    keys sends it once). The gateway answers a JSON object whose ``code`` is 0 (or ``"OK"``);
    anything else is a failure, retried with backoff like every delivery.
    """
    if not delivery.phone:
        raise DeliveryError("the text message has no number")
    backend = settings.SMS_BACKEND
    if backend == "console":
        logger.info("Text message to %s: %s", mask_mobile(delivery.phone), delivery.text)
        return
    if backend != "http":
        raise DeliveryError("text messages are switched off (SMS_BACKEND=off)")
    body = json.dumps(
        {"phone": delivery.phone, "text": delivery.text, "id": delivery.key}, ensure_ascii=False
    ).encode("utf-8")
    headers = {"Idempotency-Key": delivery.key}
    if settings.SMS_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
    if settings.SMS_GATEWAY_SECRET:
        timestamp = int(time.time())
        headers["X-Tongxin-Timestamp"] = str(timestamp)
        headers["X-Tongxin-Signature"] = sms_signature(settings.SMS_GATEWAY_SECRET, timestamp, body)
    raw = _post(
        settings.SMS_GATEWAY_URL, body, headers=headers, timeout=settings.SMS_GATEWAY_TIMEOUT
    )
    answer = _json_object(raw, "SMS gateway")
    code = answer.get("code")
    if code not in _SMS_ACCEPTED:
        message = str(answer.get("message") or answer.get("msg") or "")[:200]
        raise DeliveryError(f"code {code}: {message}")


def send(delivery: Delivery) -> None:
    """Send one delivery through its channel; raise ``DeliveryError`` when it was not taken."""
    if delivery.channel == "email":
        send_email_delivery(delivery)
    elif delivery.channel == "sms":
        send_sms(delivery)
    else:
        send_robot(delivery.department, delivery.channel, delivery.payload)
