import time
from types import SimpleNamespace

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import communication.seed
import incubator.seed
import monitoring.seed
import reporting.seed
from blkportal.registry import seed as registry_seed


class Command(BaseCommand):
    help = (
        "Create deterministic demo data: centres, users per role, and each app's own data "
        "(registry, reporting, incubator, monitoring, communication: each seed builds on the ones before). "
        "A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centres", type=int, default=40)
        parser.add_argument("--months", type=int, default=18, help="Months of reports ending last month.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, centres, months, seed, **opts):
        if settings.PRODUCTION:
            raise CommandError("seed_demo tidak boleh dijalankan di produksi.")
        if centres < 3 or centres > 20000:
            raise CommandError("--centres harus antara 3 dan 20000.")
        if months < 1 or months > 120:
            raise CommandError("--months harus antara 1 dan 120.")
        started = time.monotonic()

        def log(message):
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")

        ctx = SimpleNamespace(centres=centres, months=months, seed=seed, log=log, centre_ids=[])
        registry_seed.seed(ctx)
        reporting.seed.seed(ctx)
        incubator.seed.seed(ctx)
        monitoring.seed.seed(ctx)
        communication.seed.seed(ctx)
        log("Data demo siap.")
