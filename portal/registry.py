"""The registries through which domain apps plug into the portal.

``portal`` knows no domain app. Each app fills these registries from its ``AppConfig.ready()``
(see README, "How to add an app"), the way Wagtail hooks or NetBox plugins do: the project's
URLconf, the API router, the menu, the home page, the notification centre, ``seed_demo`` and the
cross-app figures read them, so adding an app is adding it to ``INSTALLED_APPS``.

URL and API modules are registered by dotted path and imported only when the URLconf is built,
so registering costs nothing at start-up and an app's views may import whatever they need.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# --- URLs -----------------------------------------------------------------------------------

_url_modules: list[str] = []
_api_modules: list[str] = []


def register_urls(module: str) -> None:
    """An app's page URLs: ``module`` has ``urlpatterns``, included at the site's root."""
    if module not in _url_modules:
        _url_modules.append(module)


def register_api(module: str) -> None:
    """An app's API: ``module`` has ``routes`` — ``(prefix, viewset, basename)`` for the router
    — and/or ``urlpatterns``, both mounted under ``/api/v1/`` in the ``api`` namespace."""
    if module not in _api_modules:
        _api_modules.append(module)


def url_patterns() -> list:
    """Every registered app's page URLs, in registration order."""
    patterns: list = []
    for module in _url_modules:
        patterns += import_module(module).urlpatterns
    return patterns


def api_modules() -> list:
    return [import_module(module) for module in _api_modules]


# --- Menu -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation bar, shown to the roles listed (``None``: every role)."""

    label: Any
    url_name: str
    icon: str
    roles: tuple[str, ...] | None = None
    order: int = 100
    # Reference pages sit under "More", so that the bar fits on one line.
    more: bool = False

    def shown_to(self, role: str) -> bool:
        return self.roles is None or role in self.roles


_menu: list[NavItem] = []


def register_menu(*items: NavItem) -> None:
    for item in items:
        if item not in _menu:
            _menu.append(item)


def menu() -> list[NavItem]:
    """The whole menu in order (stable for equal orders: registration order)."""
    return sorted(_menu, key=lambda item: item.order)


# --- Home page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomePanel:
    """A block of an app on the role home pages.

    ``template`` is rendered with the home context, which ``context`` (``user -> dict``) adds
    to; it is called only for the roles the panel is shown to. ``stylesheets`` are static paths
    the page links in its head. ``order`` places panels (portal's own blocks come after 500).
    """

    template: str
    roles: tuple[str, ...]
    order: int = 100
    context: Callable[[Any], dict] | None = None
    stylesheets: tuple[str, ...] = ()

    def template_for(self, role: str) -> str:
        return self.template.format(role=role)


_home_panels: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if panel not in _home_panels:
        _home_panels.append(panel)


def home_panels(role: str) -> list[HomePanel]:
    return sorted(
        (panel for panel in _home_panels if role in panel.roles), key=lambda panel: panel.order
    )


# --- Cross-app figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One headline figure of an app: for the home strip, the cockpit and the yearly report.

    ``key`` is ``"<section>.<name>"`` (``appeals.closed``); ``url`` is the browser list behind
    the number, filtered so that its count equals ``value`` (empty for a rate or a sum, which
    link to the list they are computed from); ``cumulative`` figures count up to the period's
    end (people in a registry) rather than within it; ``now`` figures read today's state
    whatever the period (overdue appeals), so they have no change against last year."""

    key: str
    label: Any
    value: int | float | None
    unit: Any = ""
    url: str = ""
    cumulative: bool = False
    now: bool = False

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": str(self.label),
            "value": self.value,
            "unit": str(self.unit),
            "url": self.url,
        }


FigureSource = Callable[[Any], Iterable[Figure]]
_figure_sources: list[FigureSource] = []


def register_figures(source: FigureSource) -> FigureSource:
    """``source(user)`` yields the app's headline :class:`Figure` s that ``user`` may see."""
    if source not in _figure_sources:
        _figure_sources.append(source)
    return source


def figures_for(user) -> list[Figure]:
    return [figure for source in _figure_sources for figure in source(user)]


# --- Sections of figures for a period and a scope (the cockpit, the yearly report) -----------

# ``source(user, period, county)``: the section's figures for ``period`` (a
# ``portal.periods.Period``) in ``county`` (a county ``Region``; ``None``: the whole city), as
# far as ``user`` may see them; ``[]`` when the user sees none of that line of work.
SectionSource = Callable[[Any, Any, Any], list[Figure]]
# ``history(user, periods, county)``: the same for several periods at once, one list per period
# in the order given, in a fixed number of queries (how the cockpit gets last year and a trend).
SectionHistory = Callable[[Any, list, Any], list[list[Figure]]]


@dataclass(frozen=True)
class FigureSection:
    """One line of work's figures: ``app`` (its app label), a ``label``, a place (``order``),
    and the ``definitions`` of its figures (``{key: text}``, for a report's definitions sheet).
    It has a ``source``, a ``history`` or both; either is derived from the other."""

    app: str
    label: Any
    order: int = 100
    source: SectionSource | None = None
    history: SectionHistory | None = None
    definitions: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def figures(self, user, period, county) -> list[Figure]:
        if self.source is not None:
            return list(self.source(user, period, county))
        return self.history(user, [period], county)[0]

    def figures_over(self, user, periods: list, county) -> list[list[Figure]]:
        if self.history is not None:
            return self.history(user, list(periods), county)
        return [list(self.source(user, period, county)) for period in periods]


_sections: dict[str, FigureSection] = {}


def register_section(
    app: str,
    label: Any,
    *,
    source: SectionSource | None = None,
    history: SectionHistory | None = None,
    order: int = 100,
    definitions: dict[str, Any] | None = None,
) -> FigureSection:
    """Declare ``app``'s section of figures (see :class:`FigureSection`); registering it again
    replaces it (a reload), two apps under one name is a mistake the keys would show."""
    if source is None and history is None:
        raise ImproperlyConfigured(f"Section {app!r} needs a source or a history.")
    section = FigureSection(
        app=app,
        label=label,
        order=order,
        source=source,
        history=history,
        definitions=dict(definitions or {}),
    )
    _sections[app] = section
    return section


def sections() -> list[FigureSection]:
    """Every registered section, in order (equal orders: registration order)."""
    return sorted(_sections.values(), key=lambda section: section.order)


def section_of(key: str) -> FigureSection | None:
    """The section that defines figure ``key``."""
    return next((s for s in _sections.values() if key in s.definitions), None)


def figure(user, key: str, period, county=None) -> Figure | None:
    """One figure by its key for a period and a scope (a report's placeholder); ``None`` for
    a key no section defines or a figure ``user`` may not see."""
    section = section_of(key)
    if section is None:
        return None
    return next((f for f in section.figures(user, period, county) if f.key == key), None)


def figure_definitions() -> dict[str, Any]:
    """Every figure's key with the text that defines it, section by section."""
    return {key: text for section in sections() for key, text in section.definitions.items()}


# --- Notification kinds -----------------------------------------------------------------------

# The stored kind (``Notification.kind``) is ``"<app>.<name>"``: two apps may both have an
# ``invited`` and never mix them up. It fits the model's column.
KIND_MAX_LENGTH = 40
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notification of one app: what the notification centre calls it."""

    app: str
    name: str
    label: Any

    @property
    def full(self) -> str:
        """The kind as stored: ``"<app>.<name>"``."""
        return f"{self.app}.{self.name}"

    def __str__(self) -> str:
        return self.full


_notification_kinds: dict[str, NotificationKind] = {}


def register_notification_kind(app: str, name: str, *, label: Any) -> NotificationKind:
    """Declare kind ``name`` of ``app``'s notifications (``label``: a lazy translation).

    ``notify`` accepts only registered kinds, stored as ``"<app>.<name>"``; registering the same
    kind twice is a mistake (two modules claiming one name) and raises.
    """
    for part in (app, name):
        if not _NAME.match(part):
            raise ImproperlyConfigured(
                f"Notification kind {app!r}.{name!r}: app and name are lower-case identifiers."
            )
    kind = NotificationKind(app=app, name=name, label=label)
    if len(kind.full) > KIND_MAX_LENGTH:
        raise ImproperlyConfigured(
            f"Notification kind {kind.full!r} is longer than {KIND_MAX_LENGTH} characters."
        )
    registered = _notification_kinds.get(kind.full)
    if registered is not None and registered != kind:
        raise ImproperlyConfigured(f"Notification kind {kind.full!r} is registered twice.")
    _notification_kinds[kind.full] = kind
    return kind


def notification_kind(full: str) -> NotificationKind | None:
    """The registered kind stored as ``full``, else None."""
    return _notification_kinds.get(full)


def notification_kinds() -> list[NotificationKind]:
    return list(_notification_kinds.values())


def split_kind(full: str) -> tuple[str | None, str]:
    """``"<app>.<name>"`` as ``(app, name)``; a kind without an app (a row older than the
    namespaces) as ``(None, kind)``."""
    app, dot, name = full.partition(".")
    return (app, name) if dot else (None, full)


# --- Fields contributed to the portal's API serializers ---------------------------------------

_api_fields: dict[str, dict[str, Callable[[], Any]]] = {}


def register_api_field(serializer: str, name: str, factory: Callable[[], Any]) -> None:
    """Add field ``name`` (made by ``factory()``, a DRF field) to portal's ``serializer``
    (``"me"``, ``"notification"``): how an app tells what it knows about a user or a
    notification without portal knowing the app."""
    _api_fields.setdefault(serializer, {})[name] = factory


def api_fields(serializer: str) -> dict[str, Any]:
    return {name: factory() for name, factory in _api_fields.get(serializer, {}).items()}


# --- Scopes of roles that an app defines ------------------------------------------------------

_grant_scopes: dict[str, Callable[[Any], list[dict]]] = {}


def register_grant_scopes(role: str, scopes: Callable[[Any], list[dict]]) -> None:
    """For ``role``, whose scope an app keeps (an entrepreneur's enterprises are their verified
    memberships), ``scopes(user)`` returns ``[{"kind","id","name"}]`` for ``/api/v1/me/``."""
    _grant_scopes[role] = scopes


def grant_scopes(role: str) -> Callable[[Any], list[dict]] | None:
    return _grant_scopes.get(role)


# --- Demo data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seeder:
    name: str
    seed: Callable[[dict], dict | None]
    after: tuple[str, ...] = field(default=())


_seeders: dict[str, Seeder] = {}


def register_seeder(name: str, seed: Callable[[dict], dict | None], *, after=()) -> None:
    """An app's part of ``seed_demo``. ``seed(context)`` reads what earlier seeders left in
    the shared ``context`` dict (``users``, ``departments``, …), may add to it by returning a
    dict, and must be idempotent. It runs after the seeders named in ``after``."""
    _seeders[name] = Seeder(name=name, seed=seed, after=tuple(after))


def seeders() -> list[Seeder]:
    """The seeders in dependency order; independent ones keep their registration order."""
    for seeder in _seeders.values():
        missing = [name for name in seeder.after if name not in _seeders]
        if missing:
            raise ImproperlyConfigured(
                f"Seeder {seeder.name!r} runs after {missing}, which no app registers."
            )
    placed: list[str] = []
    pending = list(_seeders)
    while pending:
        ready = next(
            (name for name in pending if all(dep in placed for dep in _seeders[name].after)),
            None,
        )
        if ready is None:
            raise ImproperlyConfigured(f"Seeders depend on each other in a circle: {pending}")
        placed.append(ready)
        pending.remove(ready)
    return [_seeders[name] for name in placed]


# --- Metrics one app reads from another -------------------------------------------------------


@dataclass(frozen=True)
class MetricProvider:
    value: Callable[..., int | float]
    url: Callable[..., str] | None = None


_metrics: dict[str, MetricProvider] = {}


def register_metric(
    name: str, value: Callable[..., int | float], *, url: Callable[..., str] | None = None
) -> None:
    """An app offers a number other apps may read without importing it (e.g. the appeals of a
    region closed on time, for the grassroots index). ``value(**scope)`` and ``url(**scope)``
    take keyword arguments the reading app documents (``region_code``, ``start``, ``end``…)
    and ignore those they do not need."""
    _metrics[name] = MetricProvider(value=value, url=url)


def metric_value(name: str, **scope) -> int | float:
    """The metric's value for ``scope``; 0 when no app provides it."""
    provider = _metrics.get(name)
    return provider.value(**scope) if provider else 0


def metric_url(name: str, **scope) -> str:
    """Where the records behind the metric are listed; "" when no app says."""
    provider = _metrics.get(name)
    return provider.url(**scope) if provider and provider.url else ""


# --- References to another app's records --------------------------------------------------------


@dataclass(frozen=True)
class ReferenceKind:
    """Records of one kind that other apps may name by id (a typical case naming a xiangxian):
    ``labels(ids)`` returns ``{id: label}`` for the ids that exist (any others are unknown),
    ``url(id)`` the record's page (scoped there as always)."""

    kind: str
    label: Any
    labels: Callable[[Iterable[int]], dict[int, str]]
    url: Callable[[int], str]


_reference_kinds: dict[str, ReferenceKind] = {}


def register_reference(
    kind: str,
    *,
    label: Any,
    labels: Callable[[Iterable[int]], dict[int, str]],
    url: Callable[[int], str],
) -> None:
    """Let other apps refer to records of ``kind`` (``"<app>.<model>"``) by id, without
    importing the app that keeps them."""
    _reference_kinds[kind] = ReferenceKind(kind=kind, label=label, labels=labels, url=url)


def reference_kind(kind: str) -> ReferenceKind | None:
    return _reference_kinds.get(kind)


def reference_kinds() -> list[ReferenceKind]:
    return list(_reference_kinds.values())
