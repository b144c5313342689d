import uuid

from django.db import migrations

# A first checklist for every sector: version 1, with what an inspector checks on site. An item that points to
# a criterion (standard number, clause number) makes a failed check a major hazard; the clause must belong to a
# standard of the checklist's sector. Items without one are general checks. Fireworks items point to no clause
# yet: the clauses installed for 安监总管三〔2017〕121号 are those of its chemicals part.
CHECKLISTS = [
    (
        "urban-gas",
        "城镇燃气企业安全检查表",
        [
            ("是否取得燃气经营许可证并在许可的经营类别和区域内经营", ("建城规〔2023〕4号", "第四条（一）")),
            ("是否建立事故隐患排查治理制度并按制度开展排查、建立台账", ("建城规〔2023〕4号", "第四条（三）")),
            ("燃气储罐压力、罐容或液位监测装置是否完好，是否具有超限报警功能", ("建城规〔2023〕4号", "第五条（一）")),
            ("厂站内可能泄漏燃气的区域是否设置固定式可燃气体浓度报警装置并正常运行", ("建城规〔2023〕4号", "第五条（五）")),
            ("中压及以上地下燃气管线保护范围内是否有占压管线的建筑物、构筑物", None),
            ("调压箱（柜）是否完好，安全放散、切断装置是否有效，警示标志是否齐全", None),
            ("是否按规定对燃气用户设施开展定期入户安全检查并建立检查档案", None),
            ("液化石油气钢瓶与灶具间距是否不小于1米，钢瓶是否在检验有效期内", None),
            ("餐饮用户是否安装燃气泄漏报警器并与紧急切断阀联动", None),
        ],
    ),
    (
        "coal-mine",
        "煤矿安全检查表",
        [
            ("矿井是否按核定生产能力组织生产，有无超能力、超强度、超定员生产", ("应急管理部令第21号", "第三条（一）")),
            ("采掘工作面及回风流瓦斯浓度是否在规定范围内，有无瓦斯超限作业", ("应急管理部令第21号", "第三条（二）")),
            ("主要通风机运转是否正常，通风系统是否完善可靠，有无无风、微风作业地点", ("应急管理部令第21号", "第三条（五）")),
            ("矿井是否采用双回路供电，两回路是否均处于可用状态", ("应急管理部令第21号", "第三条（十三）")),
            ("安全监控系统传感器是否按规定设置、定期调校，断电功能是否可靠", None),
            ("探放水是否执行“预测预报、有疑必探、先探后掘、先治后采”", None),
            ("入井人员是否随身携带自救器和人员定位卡", None),
            ("特种作业人员是否持证上岗，入井人员是否经安全培训合格", None),
        ],
    ),
    (
        "non-coal-mine",
        "非煤矿山安全检查表",
        [
            ("矿井直达地面的独立安全出口是否不少于2个，且与设计一致", ("矿安〔2022〕88号", "一（一）1")),
            ("安全出口是否畅通，梯子、踏步等设施是否完好可用", ("矿安〔2022〕88号", "一（一）5")),
            ("是否使用国家明令禁止使用的设备、材料或者工艺", ("矿安〔2022〕88号", "一（二）")),
            ("与相邻矿山或本矿其他独立生产系统的井巷有无擅自贯通", ("矿安〔2022〕88号", "一（三）")),
            ("井下作业人员是否随身携带便携式气体检测报警仪和自救器", None),
            ("采空区是否按设计处理，未处理区域是否封闭并设置警示标志", None),
            ("露天采场边坡有无裂缝、滑移迹象，边坡监测是否正常运行", None),
            ("尾矿库安全超高和干滩长度是否满足设计要求，排洪设施是否畅通", None),
        ],
    ),
    (
        "hazardous-chemicals",
        "危险化学品企业安全检查表",
        [
            ("主要负责人和安全生产管理人员是否依法经考核合格", ("安监总管三〔2017〕121号", "（一）")),
            ("特种作业人员是否持证上岗", ("安监总管三〔2017〕121号", "（二）")),
            (
                "重点监管危险化工工艺装置是否实现自动化控制，紧急停车系统是否投入使用",
                ("安监总管三〔2017〕121号", "（四）"),
            ),
            (
                "可燃和有毒气体泄漏场所是否按标准设置检测报警装置并正常运行",
                ("安监总管三〔2017〕121号", "（十二）"),
            ),
            ("液化烃、液氨、液氯等充装是否使用万向管道充装系统", None),
            ("动火、受限空间等特殊作业是否办理作业票证并落实专人监护", None),
            ("危险化学品是否分区、分类储存，禁配物料有无混存", None),
            ("安全仪表系统和联锁是否投用，摘除联锁是否经审批并有记录", None),
        ],
    ),
    (
        "fireworks",
        "烟花爆竹企业安全检查表",
        [
            ("工（库）房内实际作业人员是否超过核定人数", None),
            ("工（库）房内实际滞留、存储药量是否超过核定药量", None),
            ("防静电、防雷设施是否完好并按期检测", None),
            ("涉药作业人员是否经培训合格，是否穿戴防静电工作服", None),
            ("是否擅自改变工（库）房设计用途", None),
            ("厂区、库区有无住人、烟火管理是否严格", None),
            ("零售点烟花爆竹是否专柜存放，存放量是否符合规定", None),
        ],
    ),
    (
        "metallurgy",
        "冶金企业安全检查表",
        [
            (
                "会议室、休息室、操作室等人员聚集场所是否设在铁水、钢水、液渣吊运跨的地坪区域内",
                ("应急管理部令第10号", "第四条（一）"),
            ),
            ("生产期间事故坑、炉下渣坑、炉前平台等区域是否有积水", ("应急管理部令第10号", "第四条（二）")),
            (
                "炼钢连铸流程是否设置事故钢水罐、中间罐漏钢坑（槽）和溢流坑（槽）",
                ("应急管理部令第10号", "第四条（三）"),
            ),
            ("主要负责人、安全生产管理人员是否经考核合格", ("应急管理部令第10号", "第三条（三）")),
            ("煤气区域固定式一氧化碳检测报警装置是否完好，作业人员是否携带便携式报警仪", None),
            ("吊运熔融金属的起重机是否为冶金铸造起重机并定期检验", None),
            ("煤气设备检修前是否可靠切断煤气来源并办理作业票", None),
            ("承包、承租单位是否签订安全管理协议并纳入统一管理", None),
        ],
    ),
    (
        "industry-trade",
        "工贸企业安全检查表",
        [
            ("是否对承包、承租单位统一协调、管理，并定期进行安全检查", ("应急管理部令第10号", "第三条（一）")),
            ("特种作业人员是否经专门培训并取得相应资格后上岗", ("应急管理部令第10号", "第三条（二）")),
            (
                "粉尘爆炸危险场所是否设在非框架结构多层建筑内，场所内有无宿舍、办公室等人员聚集场所",
                ("应急管理部令第10号", "第十一条（一）"),
            ),
            ("干式除尘系统是否采取泄爆、惰化、抑爆等爆炸防控措施", ("应急管理部令第10号", "第十一条（三）")),
            ("不同类别粉尘、不同防火分区的除尘系统是否分别设置", None),
            ("作业现场及设备内部积尘是否及时规范清理并有记录", None),
            ("有限空间是否辨识并设置警示标志，作业是否做到“先通风、再检测、后作业”", None),
            ("液氨制冷车间是否设置氨气泄漏报警并与事故通风联锁", None),
        ],
    ),
    (
        "construction",
        "建筑施工安全检查表",
        [
            ("施工企业是否取得安全生产许可证并在资质范围内承揽工程", ("建质规〔2024〕5号", "第四条（一）")),
            (
                "危大工程是否编制并审核专项施工方案，超过一定规模的是否经专家论证",
                ("建质规〔2024〕5号", "第四条（四）"),
            ),
            ("脚手架连墙件是否按方案设置，有无整层缺失", ("建质规〔2024〕5号", "第七条（二）")),
            ("塔式起重机、施工升降机等是否经验收合格并办理使用登记", ("建质规〔2024〕5号", "第八条（一）")),
            ("临边、洞口防护是否到位，电梯井口是否设置防护门", None),
            ("施工临时用电是否采用TN-S系统，是否做到“一机一闸一漏一箱”", None),
            ("基坑周边堆载是否超过设计要求，基坑监测是否按方案开展", None),
            ("特种作业人员是否持有效操作资格证书上岗", None),
        ],
    ),
    (
        "fire-safety",
        "消防安全检查表",
        [
            ("疏散通道、安全出口是否畅通，有无锁闭、堵塞", None),
            ("火灾自动报警系统是否处于正常工作状态，有无故障、屏蔽未处理", None),
            ("自动喷水灭火系统、消火栓系统压力是否正常，阀门是否处于开启状态", None),
            ("消防控制室是否24小时双人值班，值班人员是否持证", None),
            ("应急照明和疏散指示标志是否完好有效", None),
            ("电动自行车是否在室内、楼道、安全出口处停放或充电", None),
            ("灭火器配置是否符合要求并在有效期内", None),
        ],
    ),
    (
        "road-transport",
        "道路运输企业安全检查表",
        [
            ("营运车辆是否安装并正常使用具有行驶记录功能的卫星定位装置", None),
            ("驾驶员是否具备相应从业资格并按规定参加继续教育", None),
            ("是否落实动态监控，对超速、疲劳驾驶等违法行为及时提醒纠正并记录", None),
            ("车辆是否按期进行综合性能检测和二级维护", None),
            ("危险货物运输车辆是否配备押运人员和应急处置器材", None),
            ("客运车辆是否存在超员，是否遵守凌晨2时至5时停车休息规定", None),
            ("是否落实出车前安全检查和驾驶员安全告诫制度", None),
        ],
    ),
]

# Item keys are derived from the checklist's name and the item's number, so a rerun finds the same items.
KEY_NAMESPACE = uuid.UUID("6f1c2f5e-3b0a-5c7e-9d41-2a8f0c6b7e15")


def item_key(template_name: str, number: str) -> str:
    return uuid.uuid5(KEY_NAMESPACE, f"{template_name}#{number}").hex


def seed_checklists(apps, schema_editor):
    Sector = apps.get_model("hazards", "Sector")
    Clause = apps.get_model("inspections", "Clause")
    ChecklistTemplate = apps.get_model("inspections", "ChecklistTemplate")
    ChecklistVersion = apps.get_model("inspections", "ChecklistVersion")
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    for sector_code, name, items in CHECKLISTS:
        sector = Sector.objects.get(code=sector_code)
        template, _ = ChecklistTemplate.objects.get_or_create(sector=sector, name=name)
        version, _ = ChecklistVersion.objects.get_or_create(template=template, number=1)
        if version.inspections.exists():
            continue  # a version in use is frozen
        for position, (text, criterion) in enumerate(items):
            clause = None
            if criterion:
                standard_number, clause_number = criterion
                clause = Clause.objects.get(
                    standard__number=standard_number, standard__sectors=sector, number=clause_number
                )
            number = str(position + 1)
            ChecklistItem.objects.update_or_create(
                version=version,
                number=number,
                defaults={"key": item_key(name, number), "text": text, "clause": clause, "position": position},
            )


def remove_checklists(apps, schema_editor):
    ChecklistTemplate = apps.get_model("inspections", "ChecklistTemplate")
    for sector_code, name, _ in CHECKLISTS:
        for template in ChecklistTemplate.objects.filter(sector__code=sector_code, name=name):
            for version in template.versions.filter(inspections__isnull=True):
                version.items.all().delete()
                version.delete()
            if not template.versions.exists():
                template.delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_complete_catalogue")]

    operations = [migrations.RunPython(seed_checklists, remove_checklists)]
