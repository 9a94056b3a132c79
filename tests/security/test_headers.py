"""Security headers on every kind of response, and templates that need no inline script: the
Content-Security-Policy allows scripts and styles from the portal's own files only; the Swagger
UI page alone lets its start-up script and style in, by a nonce drawn per response."""

import re
from pathlib import Path

import pytest
from django.test import Client

from portal.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "portal" / "js"


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/",  # a redirect
        "/no-such-page/",  # the 404 page
        "/api/v1/me/",  # a 401 in JSON
        "/api/schema/",
        "/healthz",
        "/static/portal/js/portal.js",
    ],
)
def test_every_response_carries_the_headers(client, url):
    response = client.get(url)
    csp = policy(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["form-action"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    # HSTS only over HTTPS, and only when the portal is set to be HTTPS (SECURE_SSL=1).
    assert "Strict-Transport-Security" not in response


def test_the_kiosk_cannot_be_framed_either(world):
    response = Client().get(f"/screens/{world.extra['hall'].slug}/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert policy(response)["frame-ancestors"] == "'none'"


def test_hsts_over_https_when_the_portal_is_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_only_the_api_docs_page_gets_a_nonce_and_it_matches_its_script():
    first, second = Client().get("/api/docs/"), Client().get("/api/docs/")
    assert first.status_code == 200
    csp = policy(first)
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
    assert csp["script-src"] == f"'self' 'nonce-{nonce}'"
    assert csp["style-src"] == f"'self' 'nonce-{nonce}'"
    html = first.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)
    assert nonce not in second["Content-Security-Policy"]  # drawn anew for each response
    assert "unsafe-inline" not in first["Content-Security-Policy"]
    assert "unsafe-eval" not in first["Content-Security-Policy"]


def test_no_other_page_gets_a_nonce(client, dispatcher):
    client.force_login(dispatcher)
    for url in ("/", "/appeals/", "/api/schema/"):
        assert "nonce-" not in client.get(url)["Content-Security-Policy"]


def test_the_policy_has_no_unsafe_source():
    for directive, sources in CONTENT_SECURITY_POLICY.items():
        assert "unsafe" not in sources, directive
        assert "*" not in sources, directive


# --- the templates need none of what the policy forbids ----------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style(?![^>]*\bnonce=)", re.I)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)
# Our own template of drf-spectacular's Swagger UI page: its inline parts carry the nonce.
NONCED = {"drf_spectacular/swagger_ui.html"}


def test_no_template_has_inline_script_handlers_or_styles():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text(encoding="utf-8")
        for pattern, what in (
            (HANDLER, "an on…= handler"),
            (STYLE_ATTRIBUTE, "a style attribute"),
            (JS_URL, "a javascript: URL"),
        ):
            if pattern.search(text):
                problems.append(f"{name}: {what}")
        if name in NONCED:
            continue
        if INLINE_SCRIPT.search(text):
            problems.append(f"{name}: an inline <script>")
        if STYLE_BLOCK.search(text):
            problems.append(f"{name}: a <style> block")
    assert not problems, "\n".join(problems)


def test_our_scripts_use_no_eval():
    for path in STATIC_JS.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("eval(", "new Function", 'setTimeout("', 'setInterval("', "innerHTML"):
            assert forbidden not in text, f"{path.name}: {forbidden}"


def test_htmx_is_told_not_to_eval_nor_inject_styles(client):
    html = client.get("/accounts/login/").content.decode()
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert meta, "base.html must configure htmx"
    assert '"allowEval": false' in meta.group(1)
    assert '"includeIndicatorStyles": false' in meta.group(1)
    assert '"allowScriptTags": false' in meta.group(1)
