from django.core.management.base import BaseCommand, CommandError

from blkportal.registry.regions import DEFAULT_DIR, RegionDataError, load_regions


class Command(BaseCommand):
    help = "Load provinces and kabupaten/kota from data/regions (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(DEFAULT_DIR), help="Folder with the idn-area-data CSVs.")

    def handle(self, *args, **opts):
        try:
            provinces, regencies = load_regions(opts["dir"])
        except RegionDataError as exc:
            raise CommandError(f"Data wilayah tidak dimuat: {exc}") from exc
        self.stdout.write(f"Wilayah: {provinces} provinsi dan {regencies} kabupaten/kota baru atau berubah.")
