from django.db import migrations


def load(apps, schema_editor):
    from blkportal.registry.reference import load_kejuruan
    from blkportal.registry.regions import load_regions

    load_regions(province_model=apps.get_model("registry", "Province"), regency_model=apps.get_model("registry", "Regency"))
    load_kejuruan(apps.get_model("registry", "Kejuruan"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
