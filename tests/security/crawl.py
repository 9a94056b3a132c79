"""Crawling the portal as someone: every page reachable by links from the usual starting points,
and an inspection of each page for anything that could run script."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client


class Inspector(HTMLParser):
    """Collects the links of a page and whatever in it could run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if (
                name in ("href", "src", "action", "formaction")
                and value
                and value.strip().lower().startswith("javascript:")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        inline = tag == "script" and not attributes.get("src")
        if inline and attributes.get("type") != "application/json":
            self.problems.append("an inline <script>")
        if tag == "img" and attributes.get("src") == "x":
            self.problems.append("an injected <img src=x>")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def inspect(html: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


SKIP = re.compile(
    r"^/(accounts/logout|i18n/|admin/logout|static/|api/|jsi18n)|/(export|image|files)/|"
    r"/(edit|new|remove|mobile|verify|reject)/"
)
START = [
    "/",
    "/appeals/",
    "/appeals/inbox/",
    "/appeals/extensions/",
    "/appeals/stats/",
    "/appeals/stats/report/",
    "/enterprises/",
    "/enterprises/mine/",
    "/enterprises/memberships/",
    "/enterprises/memberships/?status=rejected",
    "/enterprises/memberships/?status=verified",
    "/enterprises/sessions/",
    "/enterprises/celebrations/",
    "/enterprises/celebrations/?status=declined",
    "/notifications/",
]
PAGES_PER_PERSON = 120


def crawl(client: Client, extra: list[str]) -> dict[str, str]:
    """The HTML of every page reachable from START and ``extra`` (same site, GET only)."""
    queue, seen, pages = [*START, *extra], set(), {}
    while queue and len(pages) < PAGES_PER_PERSON:
        url = queue.pop(0)
        key = urlsplit(url)._replace(fragment="").geturl()
        if key in seen:
            continue
        seen.add(key)
        response = client.get(key)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[key] = html
        for link in inspect(html).links:
            target = urlsplit(urljoin(key, link))
            if target.netloc or target.scheme or not target.path.startswith("/"):
                continue
            if SKIP.search(target.path) or "page=" in target.query or "sort=" in target.query:
                continue
            queue.append(target._replace(fragment="").geturl())
    return pages
