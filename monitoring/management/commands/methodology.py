from django.core.management.base import BaseCommand
from django.utils import translation

from monitoring.indicators import methodology_markdown


class Command(BaseCommand):
    help = "Tulis metodologi indikator (Markdown) dari definisi di monitoring/indicators.py."

    def handle(self, *args, **options):
        with translation.override("id"):
            self.stdout.write(methodology_markdown(), ending="")
