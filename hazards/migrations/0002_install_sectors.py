from django.db import migrations

# The industries under supervision; each major-hazard criteria standard belongs to one of them.
SECTORS = [
    ("urban-gas", "Urban gas", "城镇燃气"),
    ("coal-mine", "Coal mine", "煤矿"),
    ("non-coal-mine", "Non-coal mine", "非煤矿山"),
    ("hazardous-chemicals", "Hazardous chemicals", "危险化学品"),
    ("fireworks", "Fireworks", "烟花爆竹"),
    ("metallurgy", "Metallurgy", "冶金"),
    ("industry-trade", "Industry and trade", "工贸"),
    ("construction", "Construction", "建筑施工"),
    ("fire-safety", "Fire safety", "消防"),
    ("road-transport", "Road transport", "道路运输"),
]


def install_sectors(apps, schema_editor):
    Sector = apps.get_model("hazards", "Sector")
    for code, name_en, name_zh in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_zh": name_zh})


def remove_sectors(apps, schema_editor):
    apps.get_model("hazards", "Sector").objects.filter(code__in=[code for code, _, _ in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]

    operations = [migrations.RunPython(install_sectors, remove_sectors)]
