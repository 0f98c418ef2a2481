from django.core.management.base import BaseCommand

from blkportal.registry.seed import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print one demo login per role."

    def handle(self, *args, **opts):
        rows = demo_logins()
        if not rows:
            self.stdout.write("Belum ada data demo. Jalankan: python manage.py seed_demo")
            return
        self.stdout.write(f"Login demo (kata sandi semua akun: {DEMO_PASSWORD}):")
        for role, username, scope in rows:
            self.stdout.write(f"  {role:<22} {username:<12} {scope}")
