import datetime

from django.db import migrations

# A first part of the catalogue: clauses of two national determination standards. The inspections work
# completes it for every sector.
STANDARDS = [
    {
        "sectors": ["coal-mine"],
        "number": "应急管理部令第4号",
        "title": "煤矿重大事故隐患判定标准",
        "effective_from": datetime.date(2021, 1, 1),
        "clauses": [
            (
                "第三条（一）",
                "超能力、超强度或者超定员组织生产",
                "Producing beyond the approved capacity, intensity or headcount",
            ),
            ("第三条（二）", "瓦斯超限作业", "Working with gas above the limit"),
            ("第三条（五）", "通风系统不完善、不可靠", "Ventilation system incomplete or unreliable"),
            ("第三条（六）", "有严重水患，未采取有效措施", "Serious water hazard without effective measures"),
            ("第三条（十一）", "煤矿没有双回路供电系统", "No dual-circuit power supply"),
        ],
    },
    {
        "sectors": ["hazardous-chemicals", "fireworks"],
        "number": "安监总管三〔2017〕121号",
        "title": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
        "effective_from": datetime.date(2017, 11, 13),
        "clauses": [
            (
                "（一）",
                "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格",
                "Principal person or safety managers not examined and certified as required",
            ),
            ("（二）", "特种作业人员未持证上岗", "Special operations staff working without a certificate"),
            (
                "（四）",
                "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、紧急停车系统未投入使用",
                "Key hazardous processes without automatic control or emergency shutdown in use",
            ),
            (
                "（七）",
                "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统",
                "Liquefied flammable or toxic gases loaded without a universal-joint pipe loading system",
            ),
            (
                "（十二）",
                "涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家标准安装使用防爆电气设备",
                "No gas leak detection and alarm, or no explosion-proof electrical equipment where required",
            ),
        ],
    },
]


def seed_criteria(apps, schema_editor):
    Sector = apps.get_model("hazards", "Sector")
    Standard = apps.get_model("inspections", "Standard")
    Clause = apps.get_model("inspections", "Clause")
    for entry in STANDARDS:
        standard, _ = Standard.objects.update_or_create(
            number=entry["number"],
            defaults={
                "title": entry["title"],
                "scope": "national",
                "effective_from": entry["effective_from"],
            },
        )
        standard.sectors.set(Sector.objects.filter(code__in=entry["sectors"]))
        for number, text, summary_en in entry["clauses"]:
            Clause.objects.update_or_create(
                standard=standard, number=number, defaults={"text": text, "summary_en": summary_en}
            )


def remove_criteria(apps, schema_editor):
    Standard = apps.get_model("inspections", "Standard")
    for entry in STANDARDS:
        for standard in Standard.objects.filter(number=entry["number"]):
            standard.clauses.all().delete()
            standard.delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("hazards", "0002_install_sectors")]

    operations = [migrations.RunPython(seed_criteria, remove_criteria)]
