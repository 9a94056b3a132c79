import secrets

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class LanguageMiddleware(MiddlewareMixin):
    """Simplified Chinese for everyone unless they chose English with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; on government
    intranets browsers are often set to English, yet the portal's working language is Chinese.
    Only the language cookie that the switch sets is honoured.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# The portal's Content-Security-Policy: every script and style sheet is a file of its own under
# ``static/`` (no inline <script>, no on…= handler, no style attribute, no eval); images may also
# be data: URIs (Bootstrap draws its form icons with them); nothing may frame a page.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# drf-spectacular's Swagger UI (``/api/docs/``) starts itself with an inline script and an inline
# style sheet: that one page lets them in by a nonce drawn for each response, nothing else.
NONCE_PAGES = frozenset({"api-docs"})
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def content_security_policy(nonce: str | None = None) -> str:
    directives = dict(CONTENT_SECURITY_POLICY)
    if nonce:
        for name in ("script-src", "style-src"):
            directives[name] += f" 'nonce-{nonce}'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Django's SecurityMiddleware sends HSTS (over HTTPS), X-Content-Type-Options, Referrer-Policy
    and Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware sends X-Frame-Options: DENY;
    Django 5.2 has no CSP of its own. A page that needs an inline script is listed in
    ``NONCE_PAGES`` and reads its nonce from ``request.csp_nonce``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        nonce = request.csp_nonce if match is not None and match.view_name in NONCE_PAGES else None
        response.headers.setdefault("Content-Security-Policy", content_security_policy(nonce))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
