"""Chinese names of the nationalities a person may have (ISO 3166-1 alpha-2
codes, as stored on Talent.nationality). Pure data: pages show the name,
never the code."""

from __future__ import annotations

COUNTRY_NAMES: dict[str, str] = {
    "CN": "中国",
    "HK": "中国香港",
    "MO": "中国澳门",
    "TW": "中国台湾",
    "AE": "阿联酋",
    "AR": "阿根廷",
    "AT": "奥地利",
    "AU": "澳大利亚",
    "BE": "比利时",
    "BR": "巴西",
    "BY": "白俄罗斯",
    "CA": "加拿大",
    "CH": "瑞士",
    "CL": "智利",
    "CZ": "捷克",
    "DE": "德国",
    "DK": "丹麦",
    "EG": "埃及",
    "ES": "西班牙",
    "FI": "芬兰",
    "FR": "法国",
    "GB": "英国",
    "GR": "希腊",
    "HU": "匈牙利",
    "ID": "印度尼西亚",
    "IE": "爱尔兰",
    "IL": "以色列",
    "IN": "印度",
    "IR": "伊朗",
    "IT": "意大利",
    "JP": "日本",
    "KR": "韩国",
    "KZ": "哈萨克斯坦",
    "LK": "斯里兰卡",
    "MX": "墨西哥",
    "MY": "马来西亚",
    "NG": "尼日利亚",
    "NL": "荷兰",
    "NO": "挪威",
    "NZ": "新西兰",
    "PH": "菲律宾",
    "PK": "巴基斯坦",
    "PL": "波兰",
    "PT": "葡萄牙",
    "RU": "俄罗斯",
    "SA": "沙特阿拉伯",
    "SE": "瑞典",
    "SG": "新加坡",
    "TH": "泰国",
    "TR": "土耳其",
    "UA": "乌克兰",
    "US": "美国",
    "UZ": "乌兹别克斯坦",
    "VN": "越南",
    "ZA": "南非",
}


def country_name(code: str) -> str:
    """The Chinese name of `code`; an unlisted code is shown as it is."""
    value = (code or "").upper()
    return COUNTRY_NAMES.get(value, value or "—")


def country_choices() -> list[tuple[str, str]]:
    """(code, Chinese name) for a select: 中国 and its regions first, then
    the rest as listed."""
    return list(COUNTRY_NAMES.items())
