import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from blkportal.core.errors import DomainError
from monitoring.services import facts_rebuild, facts_refresh, facts_refresh_centre, rankings_recompute_live


class Command(BaseCommand):
    help = (
        "Bangun ulang seluruh fakta monitoring (BLK × bulan) dari laporan dan data inkubator, atau hanya "
        "satu BLK (--centre) atau satu BLK-bulan (--centre dan --month YYYY-MM)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rankings", action="store_true", help="Hitung ulang juga peringkat terkini.")
        parser.add_argument("--centre", type=int, help="id BLK: perbarui hanya fakta BLK ini.")
        parser.add_argument("--month", help="YYYY-MM (dengan --centre): perbarui hanya bulan ini.")

    def handle(self, *args, rankings=False, centre=None, month=None, **options):
        if centre is not None or month:
            if centre is None:
                raise CommandError("--month membutuhkan --centre.")
            try:
                if month:
                    # Only the format here: a month before the monitoring start gets that reason
                    # from facts_refresh, not "invalid".
                    try:
                        period = dt.datetime.strptime(str(month).strip(), "%Y-%m").date()
                    except ValueError:
                        raise CommandError(f"Bulan {month!r} tidak valid; gunakan format YYYY-MM.") from None
                    rows = facts_refresh(centre_id=centre, month=period)
                else:
                    rows = facts_refresh_centre(centre_id=centre)
            except DomainError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Fakta diperbarui: {rows} baris.")
            return
        result = facts_rebuild()
        self.stdout.write(
            f"Fakta dibangun ulang: {result['rows']} baris dalam {result['seconds']} detik "
            f"(ditambah VACUUM {result['vacuum_seconds']} detik)."
        )
        if rankings:
            snapshots = rankings_recompute_live()
            self.stdout.write(f"Peringkat terkini dihitung ulang: {len(snapshots)} skema.")
