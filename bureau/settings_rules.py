"""Business rules held as settings: the readings of the official texts that
domain/RULES.md tags [I] (interpretation) or [U] (unknown, set per round), and
the dated national rules of the policy calculators. Star-imported by
bureau/settings.py, so they are read as `settings.X` at call time and
bureau/settings_test.py or override_settings can still change them.

Deployment settings (hosts, database, cache, e-mail, security) stay in
bureau/settings.py.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from bureau.lib.env import env_bool, env_int, env_str

# --- Expert review panels --------------------------------------------------
# A section head decides (立项) only once the call's review panel is closed,
# so every score is in and unsealed; an assignment not scored within
# REVIEW_DUE_DAYS of the draw is overdue and may go to another expert.
APPROVAL_REQUIRES_CLOSED_PANEL = env_bool("APPROVAL_REQUIRES_CLOSED_PANEL", True)
REVIEW_DUE_DAYS = env_int("REVIEW_DUE_DAYS", 14, minimum=1)

# --- Policy rewards and innovation vouchers (RULES §8, §11.7 [U]) ------------
# 创新券: a fee below the scheme's threshold is paid in full by the voucher.
# Whether a fee exactly AT the threshold is too (the text read as "1万元以下",
# which includes the number) or is already co-paid ("不满1万元", the default).
VOUCHER_FULL_PAY_AT_THRESHOLD = env_bool("VOUCHER_FULL_PAY_AT_THRESHOLD", False)
# A rate-based reward (按增量的X%) is rounded half up to this many 元 ("0.01"
# to the fen, "1" to the yuan, "100" to the hundred yuan).
REWARD_ROUNDING_YUAN = env_str("REWARD_ROUNDING_YUAN", "0.01")

# --- Talent (RULES §7, §10) -------------------------------------------------

# §10 Zhejiang leading teams: checked as warnings on application.
TALENT_TEAM_RULES = {
    "min_core_members": 5,
    "max_leader_age": 55,
    "max_member_average_age": 45,
}
# §7 commissioner grades by score out of 100 [U]: at or above each.
TALENT_COMMISSIONER_GRADES = {"excellent": 90, "good": 80, "pass": 60}

# --- Indicators (RULES §5.2 [I]) ----------------------------------------------
# A street is amber when its progress trails the time schedule by up to the
# tolerance, red (黑榜) beyond it, and on the 红榜 when ahead by the margin.
INDICATOR_LISTS = {"amber_tolerance": "0.05", "honour_margin": "0.05"}

# --- Eligibility rules: readings the official texts leave open -------------
# See enterprises/eligibility.py `Policy` and domain/RULES.md ([I]/[U] tags).

ELIGIBILITY = {
    "growth_year1_zero": "last_two",  # §2.5: year 1 = 0 → g = X3/X2 − 1
    "growth_two_years": "simple",  # §2.5: two years → g = X2/X1 − 1
    "transfer_divisor": "operated",  # §2.5: divide by years operated if < 3
    "other_rd_cap_of_rest": "0.25",  # §2.4: other ≤ 25% of categories 1–7
    "incident_lookback_days": 365,  # §2.2 condition 8
    "sme_rd_measure": "best",  # §3.2: the better of the two R&D measures
    "sme_direct_lookback_years": 5,  # §3.3: "近五年"
}
# The ladder's lifecycle rules (RULES §2.7, §3.5).
LADDER = {
    # §2.7 [I]: a 3-year certificate ends the day before its third anniversary.
    "certificate_end_minus_one_day": env_bool("CERTIFICATE_END_MINUS_ONE_DAY", True),
    # §2.7: the 高企 annual report for year Y is due on this day of Y+1.
    "hnte_report_deadline": "05-31",
    "hnte_missed_reports_to_revoke": 2,
    # §3.5 [U]: 科小 update their information (and 高企 holders may enter by
    # the direct route, §3.3) by this day each year; holders are reminded
    # this many days before it (enterprises.tasks.ladder_reminders_send).
    "tech_sme_update_deadline": "03-31",
    "tech_sme_reminder_days": env_int("TECH_SME_REMINDER_DAYS", 30, minimum=1),
    # Quarterly monitoring: reports are due this many days after quarter end.
    "quarterly_filing_days": env_int("QUARTERLY_FILING_DAYS", 20, minimum=1),
    # A certificate is flagged as expiring (and a 高企 holder reminded of
    # 重新认定) from this many days before the 高企 application window of
    # the re-application (HNTE_APPLICATION_WINDOWS), not from its expiry.
    "expiry_warning_days_before_window": env_int(
        "EXPIRY_WARNING_DAYS_BEFORE_WINDOW", 30, minimum=0
    ),
    # Which tiers 季度监测 covers [U, §6.4]: tier codes, or None for every
    # tier on the ladder.
    "monitored_tiers": None,
    # §2.7/§3.5: no new award in the year the same tier was cancelled. [V] for
    # 高企, [V2] for 科小; for other (local) tiers it is our reading [I].
    "reaward_bar_tiers": ["hnte", "tech_sme"],
    "reaward_bar_local_tiers": True,
    # 年度考核 of the district tier [U, §6.4]: how many echelons (1 is the
    # top) and what a fall below the last one means: "leave" (退出梯队, the
    # award ends) or "stay" (kept in the last echelon).
    "echelon_count": 3,
    "echelon_drop": "leave",
    # Flag year-on-year revenue falls beyond this fraction.
    "decline_threshold": "-0.10",
    # 年度考核 of the district tier [U]: promote at or above, keep at or above.
    "assessment_promote_score": 80,
    "assessment_keep_score": 50,
}

# §5.1 规模以上工业企业: proposed to staff from the latest return's main
# business revenue (元, inclusive) in these industry sections (blank: any).
ABOVE_SCALE = {
    "min_main_revenue": "20000000",
    "industry_sections": ["B", "C", "D"],
}

# §2.6 [U]: the 高企 application window per year (first day, last day) as
# the provincial notice sets it; a year not listed takes the default month
# and day below. 高企 holders in their expiry year re-apply in it.
HNTE_APPLICATION_WINDOWS: dict[int, tuple[str, str]] = {
    2026: ("2026-05-01", "2026-09-30"),
}
HNTE_APPLICATION_WINDOW_DEFAULT = ("05-01", "09-30")

# §6.1 Hangzhou 雏鹰 (2022 round); change per round.
ELIGIBILITY_CHUYING = {
    "founded_from": "2016-06-01",
    "founded_to": "2021-05-31",
    "max_sales": "50000000",
    "min_staff": "10",
    "min_tech_staff_ratio": "0.15",
    "min_rd": "500000",
    "small_sales_below": "30000000",
    "small_rd_ratio": "0.05",
    "large_rd_ratio": "0.04",
}

# §6.2 Hangzhou 新雏鹰 (2024 round, 杭州市科学技术局 2024-09-09); change per round.
ELIGIBILITY_NEW_CHUYING = {
    "max_age_years": 5,
    "min_rd_staff_ratio": "0.20",
    "min_rd_ratio": "0.10",
    "min_core_ip_applications": 3,
    "min_core_ip_granted": 1,
    "min_pct_applications": 1,
    "best_award_rank": 2,
    "strong_rd_last_year": "10000000",
    "strong_rd_3y": "20000000",
    "strong_equity": "20000000",
}
# How many days a fact staff recorded for the pre-check stays valid, by
# subject (enterprises.models.FactSubject); a subject not listed stays valid
# until a newer check replaces it. Incident and credit checks go stale [I].
ELIGIBILITY_FACT_VALID_DAYS = {
    "incidents": env_int("FACT_INCIDENTS_VALID_DAYS", 365, minimum=1),
    "credit": env_int("FACT_CREDIT_VALID_DAYS", 365, minimum=1),
}
# §3.4: the 科小 R&D measure is the super-deduction figure. When a return
# leaves it blank the measure is pending; true lets an estimate labelled 估算
# stand in (enterprises.assessment.tech_sme_rd_estimate), never the HNTE figure.
TECH_SME_RD_ESTIMATE = env_bool("TECH_SME_RD_ESTIMATE", False)
# Tiers the pre-check assesses beside the next rung, not as the next rung:
# 新雏鹰 is a selective programme for some 科小, not a step every firm takes.
PRECHECK_SIDE_TIERS = ["new_chuying"]

# --- Policy calculators (CALCULATORS_API.md; RULES §4, §10) ------------------
# National rules as dated data: a new announcement is a new row here, never a
# code change. enterprises/deduction.py and talent/points.py read these at call
# time.

SUPER_DEDUCTION: dict[str, Any] = {
    # RULES §4: the extra deduction on expensed R&D, by accounting year. A row
    # with "list" applies only to enterprises on that official list; "to" is
    # inclusive, None means open-ended. A year with no row is refused (rates
    # before 2023 depended on sector and 科小 status: add rows to cover them).
    "rates": [
        {
            "from": 2023,
            "to": None,
            "list": "",
            "rate": "1.00",
            "source": "财政部 税务总局公告2023年第7号",
        },
        {
            "from": 2023,
            "to": 2027,
            "list": "ic",
            "rate": "1.20",
            "source": "财政部 税务总局 国家发展改革委 工业和信息化部公告2023年第44号",
        },
        {
            "from": 2023,
            "to": 2027,
            "list": "machine_tool",
            "rate": "1.20",
            "source": "财政部 税务总局 国家发展改革委 工业和信息化部公告2023年第44号",
        },
    ],
    # RULES §4.2: the negative list by GB/T 4754 — a section letter ("F") or a
    # section and division ("C16"); MOF/STA may designate more.
    "excluded_industries": [
        {"code": "C16", "name": _("tobacco manufacturing")},
        {"code": "H", "name": _("accommodation and catering")},
        {"code": "F", "name": _("wholesale and retail")},
        {"code": "K", "name": _("real estate")},
        {"code": "L", "name": _("leasing and business services")},
        {"code": "R90", "name": _("entertainment")},
    ],
    # RULES §4.3 (财税〔2015〕119号, 财税〔2018〕64号).
    "entrusted_share": "0.80",
    "overseas_cap_of_domestic": "2/3",
    "other_costs_share": "0.10",
}

WORK_PERMIT: dict[str, Any] = {
    # RULES §10: the city's average annual wage of the previous year, in 元
    # (the salary-multiple route); set it to the local statistics bureau's figure.
    "local_average_salary": env_str("WORK_PERMIT_AVERAGE_SALARY", "120000"),
    "class_a_points": 85,
    "class_b_points": 60,
    "class_a_salary_multiple": "6",
    "class_b_salary_multiple": "4",
    # Education + experience route: this degree or above and this many years.
    "class_b_min_degree": "bachelor",
    "class_b_min_work_years": 2,
    # The points table of 《外国人来华工作分类标准（试行）》 [V2]: bands are
    # (lower bound inclusive, points), best first; money in 元.
    "points": {
        "salary": [
            ["450000", 20],
            ["350000", 17],
            ["250000", 14],
            ["150000", 11],
            ["70000", 8],
            ["50000", 5],
        ],
        "education": {"doctorate": 20, "master": 15, "bachelor": 10},
        "work_years": {"from_years": 2, "points": 5, "per_extra_year": 1, "max": 20},
        "months_per_year": [[9, 15], [6, 10], [3, 5]],
        "chinese_level_max": 5,
        "region": 10,
        # (youngest, oldest, points), both ages inclusive.
        "age": [[18, 25, 10], [26, 45, 15], [46, 55, 10], [56, 60, 5]],
        "other_bonus_items": {
            "top_university": _("graduated from a renowned university abroad"),
            "fortune_500": _("worked for a Fortune Global 500 company"),
            "intellectual_property": _("holds patents or other IP"),
            "five_years_in_china": _("has worked in China for 5 years in a row"),
        },
        "other_bonus_each": 5,
        "other_bonus_max": 5,
        "local_bonus_max": 10,
    },
    # Achievement route (class A): the recognised achievements.
    "achievements": {
        "talent_programme": _("selected for a national talent programme"),
        "international_award": _("winner of a major international award"),
        "academician": _("academician of a national academy"),
        "innovation_entrepreneur": _(
            "innovator or entrepreneur with a major invention or core technology"
        ),
        "outstanding_young": _("outstanding young talent (postdoc under 40)"),
    },
}
