"""The names, trades and figures the demo enterprises are drawn from."""

from __future__ import annotations

import random
from decimal import Decimal

BRANDS = [
    "云河",
    "拱宸",
    "运河",
    "湖墅",
    "星辰",
    "智谷",
    "数联",
    "睿思",
    "恒拓",
    "华辰",
    "青芒",
    "博远",
    "启明",
    "中科",
    "汇智",
    "万象",
    "天擎",
    "微光",
    "创维",
    "鼎新",
    "远图",
    "极客",
    "安和",
    "卓越",
    "宸宇",
    "北辰",
    "光合",
    "晨曦",
    "浙联",
    "钱江",
    "西溪",
    "康桥",
    "半山",
    "祥符",
    "上塘",
    "石桥",
]


TRADES = {
    "electronics": ["智能科技", "信息技术", "软件", "电子科技", "网络科技", "数据科技"],
    "biomedicine": ["生物医药", "生物科技", "医疗器械", "药业"],
    "materials": ["新材料", "高分子材料", "纳米科技"],
    "services": ["检测技术", "科技服务", "设计咨询"],
    "energy": ["新能源", "储能科技", "节能技术"],
    "environment": ["环保科技", "环境工程"],
    "manufacturing": ["智能装备", "机器人", "精密机械", "自动化"],
    "aerospace": ["航空科技"],
}


SECTIONS = {
    "electronics": ("I", "65"),
    "biomedicine": ("C", "27"),
    "materials": ("C", "26"),
    "services": ("M", "74"),
    "energy": ("C", "38"),
    "environment": ("N", "77"),
    "manufacturing": ("C", "34"),
    "aerospace": ("C", "37"),
}


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "华",
]


WAN = Decimal(10_000)


def _money(value: float) -> Decimal:
    return (Decimal(str(round(value, 2)))).quantize(Decimal("0.01"))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
    )
