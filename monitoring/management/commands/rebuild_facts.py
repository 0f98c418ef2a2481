from django.core.management.base import BaseCommand

from monitoring.services import facts_rebuild, rankings_recompute_live


class Command(BaseCommand):
    help = "Bangun ulang seluruh fakta monitoring (BLK × bulan) dari laporan dan data inkubator."

    def add_arguments(self, parser):
        parser.add_argument("--rankings", action="store_true", help="Hitung ulang juga peringkat terkini.")

    def handle(self, *args, rankings=False, **options):
        result = facts_rebuild()
        self.stdout.write(
            f"Fakta dibangun ulang: {result['rows']} baris dalam {result['seconds']} detik "
            f"(ditambah VACUUM {result['vacuum_seconds']} detik)."
        )
        if rankings:
            snapshots = rankings_recompute_live()
            self.stdout.write(f"Peringkat terkini dihitung ulang: {len(snapshots)} skema.")
