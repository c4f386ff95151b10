"""The professional fields (专业领域) as the bureau first ships them: the
eight 国家重点支持的高新技术领域 and their sub-fields, as numbered in the annex of
《高新技术企业认定管理办法》(国科发火〔2016〕32号). Pure data: the data
migration writes it into ProfessionalField, where the administrator keeps it.
Codes are two digits per level: 01 电子信息, 0101 软件."""

from __future__ import annotations

HIGH_TECH_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "电子信息",
        (
            "软件",
            "微电子技术",
            "计算机产品及其网络应用技术",
            "通信技术",
            "广播影视技术",
            "新型电子元器件",
            "信息安全技术",
            "智能交通和轨道交通技术",
        ),
    ),
    (
        "生物与新医药",
        (
            "医药生物技术",
            "中药、天然药物",
            "化学药研发技术",
            "药物新剂型与制剂创制技术",
            "医疗仪器、设备与医学专用软件",
            "轻工和化工生物技术",
            "农业生物技术",
        ),
    ),
    ("航空航天", ("航空技术", "航天技术")),
    (
        "新材料",
        (
            "金属材料",
            "无机非金属材料",
            "高分子材料",
            "生物医用材料",
            "精细和专用化学品",
            "与文化艺术产业相关的新材料",
        ),
    ),
    (
        "高技术服务",
        (
            "研发与设计服务",
            "检验检测认证与标准服务",
            "信息技术服务",
            "高技术专业化服务",
            "知识产权与成果转化服务",
            "电子商务与现代物流技术",
            "城市管理与社会服务",
            "文化创意产业支撑技术",
        ),
    ),
    (
        "新能源与节能",
        (
            "可再生清洁能源",
            "核能及氢能",
            "新型高效能量转换与储存技术",
            "高效节能技术",
        ),
    ),
    (
        "资源与环境",
        (
            "水污染控制与水资源利用技术",
            "大气污染控制技术",
            "固体废弃物处置与综合利用技术",
            "物理性污染防治技术",
            "环境监测及环境事故应急处理技术",
            "生态环境建设与保护技术",
            "清洁生产技术",
            "资源勘查、高效开采与综合利用技术",
        ),
    ),
    (
        "先进制造与自动化",
        (
            "工业生产过程控制系统",
            "安全生产技术",
            "高性能、智能化仪器仪表",
            "先进制造工艺与装备",
            "新型机械",
            "电力系统与设备",
            "汽车及轨道车辆相关技术",
            "高技术船舶与海洋工程装备设计制造技术",
            "传统文化产业改造技术",
        ),
    ),
)


def field_rows() -> list[tuple[str, str, str]]:
    """(code, name, parent code or "") for every field, parents first."""
    rows: list[tuple[str, str, str]] = []
    for number, (name, children) in enumerate(HIGH_TECH_FIELDS, start=1):
        code = f"{number:02d}"
        rows.append((code, name, ""))
        rows.extend(
            (f"{code}{sub:02d}", child, code)
            for sub, child in enumerate(children, start=1)
        )
    return rows


def split_names(text: str) -> list[str]:
    """The names in a free-text list ("电子信息，新材料" or "电子信息;新材料");
    not split on 、, which some names contain (中药、天然药物)."""
    for separator in ("，", ";", "；"):
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]
