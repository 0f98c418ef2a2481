"""Wiring: the project layer lists every app's URLs, API routes, beat entries and seeds; apps add to
each other's pages only through contributions (blkportal/core/contributions.py)."""

import ast
from pathlib import Path

import pytest

from blkportal.core.contributions import HOME, NAV, CentreLink, NavItem, Panel, Slot, collect

ROOT = Path(__file__).resolve().parent.parent


def test_collect_sorts_the_records_of_every_provider():
    slot = Slot("no_app_has_this_module")

    @slot.provider
    def first(user):
        return [NavItem(label="Kedua", url="/b/", order=20), NavItem(label="Keempat", url="/d/", order=90)]

    @slot.provider
    def second(user):
        return [NavItem(label="Pertama", url="/a/", order=5), NavItem(label="Ketiga", url="/c/", order=20)]

    assert [r.label for r in collect(slot, None)] == ["Pertama", "Kedua", "Ketiga", "Keempat"]
    slot.provider(first)  # the same function again (a module imported twice) is not added twice
    assert len(collect(slot, None)) == 4


@pytest.mark.django_db
def test_navigation_comes_from_every_app_in_order(world):
    items = collect(NAV, world.users["directorate"])
    assert all(isinstance(item, NavItem) for item in items)
    labels = [item.label for item in items]
    assert {"Registri BLK", "Antrean laporan", "Inkubator", "Dasbor", "Pengguna"} <= set(labels)
    assert [item.order for item in items] == sorted(item.order for item in items)


@pytest.mark.django_db
def test_home_panels_are_typed_records(world, rf):
    request = rf.get("/")
    request.user = world.users["manager_a"]
    panels = collect(HOME, request)
    assert panels and all(isinstance(panel, Panel) for panel in panels)
    assert panels[0].template == "reporting/_home_manager.html" and panels[0].wide
    assert CentreLink(label="x", url="/", order=1).order == 1


def test_the_beat_schedule_lists_every_app():
    from blkportal.celery import app

    app.finalize()
    assert {"reporting-deadline-reminders", "monitoring-facts-rebuild", "core-outbox-relay"} <= set(
        app.conf.beat_schedule
    )


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_the_registry_and_the_core_import_no_app():
    # Only the project layer (urls, api router, celery, seed_demo) imports the apps by name.
    for package in ["blkportal/registry", "blkportal/core"]:
        for path in (ROOT / package).rglob("*.py"):
            for module in _imports(path):
                assert module.split(".")[0] not in {"reporting", "incubator", "monitoring"}, f"{path}: {module}"
