"""How apps contribute to shared pages without the registry importing them.

Each app may have:
  <app>/home.py  with  panels(request) -> list of {"template": str, "context": dict, "order": int}
  <app>/nav.py   with  items(user) -> list of {"label": str, "url": str, "order": int, "group": str}
  <app>/seed.py  with  seed(ctx) -> None, run by `manage.py seed_demo` in INSTALLED_APPS order
  <app>/centre_links.py  with  links(user, centre) -> list of {"label": str, "url": str, "order": int}:
                 buttons on the registry's centre page (its reports, tenants, dashboard, ...); return only
                 the links `user` may open for `centre` (check with access.user_can_on_centre)

Apps are discovered in INSTALLED_APPS order, so dependencies run first (registry ← reporting ←
incubator ← monitoring).
"""

import importlib
from functools import cache

from django.apps import apps


@cache
def modules(name: str) -> list:
    found = []
    for config in apps.get_app_configs():
        try:
            found.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    return found
