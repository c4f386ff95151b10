"""Demo rewards and vouchers for `seed_demo`: the district's R&D reward
programme with its rules (fixed, rate-based with a cap and a minimum, rank
bands with a floor on the year before, first awards and renewals, a rate
on the technology contracts absorbed), last year's draft batch built from the demo
enterprises, this year's innovation-voucher scheme, five service providers
and claims in every state. Idempotent: running it again adds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bureau.models import User
from enterprises.models import Enterprise
from projects.models import (
    Programme,
    RewardBatch,
    RewardRule,
    ServiceProvider,
    VoucherScheme,
)
from projects.services.rewards import reward_batch_build
from projects.services.vouchers import (
    voucher_cancel,
    voucher_claim,
    voucher_redeem,
    voucher_use,
)

PROGRAMME = "研发投入奖励"

WAN = Decimal(10_000)

# The district's reward policy, worded as such policies are ("研发投入增长前
# 10名", "按增量的5%给予奖励，最高50万元", "科技型中小企业研发投入前20名").
RULES: list[dict[str, Any]] = [
    {
        "name": "新认定国家高新技术企业奖励",
        "kind": RewardRule.Kind.NEW_TIER,
        "target": "hnte",
        "award_round": RewardRule.AwardRound.FIRST,
        "amount": 20 * WAN,
    },
    {
        "name": "国家高新技术企业重新认定奖励",
        "kind": RewardRule.Kind.NEW_TIER,
        "target": "hnte",
        "award_round": RewardRule.AwardRound.RENEWAL,
        "amount": 5 * WAN,
    },
    {
        "name": "研发投入增长前10名奖励",
        "kind": RewardRule.Kind.RANKING,
        "figure": RewardRule.Figure.RD,
        "base": RewardRule.Base.GROWTH,
        # 上年度研发投入100万元以上方可参与增幅排名.
        "minimum_previous": 100 * WAN,
        "tiers": [
            {"up_to_rank": 3, "amount": "300000"},
            {"up_to_rank": 10, "amount": "100000"},
        ],
    },
    {
        "name": "研发投入增量奖励",
        "kind": RewardRule.Kind.RATE,
        "figure": RewardRule.Figure.RD,
        "base": RewardRule.Base.INCREMENT,
        "rate": Decimal("0.05"),
        "cap": 50 * WAN,
        "minimum_amount": 1 * WAN,
        "minimum_previous": 200 * WAN,
    },
    {
        "name": "科技型中小企业研发投入前20名奖励",
        "kind": RewardRule.Kind.RANKING,
        "figure": RewardRule.Figure.RD,
        "base": RewardRule.Base.TOTAL,
        "target": "tech_sme",
        "tiers": [
            {"up_to_rank": 5, "amount": "100000"},
            {"up_to_rank": 20, "amount": "50000"},
        ],
    },
    {
        # 年度吸纳技术交易额50万元以上的，按10%补助，最高50万元 (the
        # contracts the enterprise bought, registered in the year).
        "name": "技术合同吸纳补助",
        "kind": RewardRule.Kind.RATE,
        "figure": RewardRule.Figure.CONTRACTS_ABSORBED,
        "base": RewardRule.Base.TOTAL,
        "rate": Decimal("0.10"),
        "cap": 50 * WAN,
        "minimum_current": 50 * WAN,
    },
    {
        "name": "新认定省级研发机构奖励",
        "kind": RewardRule.Kind.NEW_RD_INSTITUTION,
        "target": "provincial",
        "amount": 50 * WAN,
    },
]

PROVIDERS = [
    ("浙江大学杭州国际科创中心", "高校及科研平台"),
    ("浙江省检验检疫科学技术研究院", "检验检测机构"),
    ("杭州市质量技术监督检测院", "检验检测机构"),
    ("浙江省化工研究院有限公司", "科研院所"),
    ("浙江工业大学莫干山研究院", "高校及科研平台"),
]

# (service, fee, what happens next); fees on both sides of the 1万元 threshold.
CLAIMS = [
    ("新材料成分检测与性能分析", Decimal("8600"), "redeemed"),
    ("产品电磁兼容（EMC）检测", Decimal("36000"), "redeemed"),
    ("中试工艺验证技术服务", Decimal("52000"), "used"),
    ("芯片失效分析", Decimal("9200"), "used"),
    ("", None, "claimed"),
    ("", None, "claimed"),
    ("", None, "cancelled"),
]


@transaction.atomic
def seed_rewards(*, by: User) -> dict[str, int]:
    """Create what is missing; `by` (a staff user) builds the batch and
    stands in for the enterprises in the voucher audit trail."""
    today = timezone.localdate()
    counts = {"rules": 0, "providers": 0, "entitlements": 0, "claims": 0}
    programme, _ = Programme.objects.get_or_create(
        name=PROGRAMME,
        defaults={
            "level": Programme.Level.DISTRICT,
            "kind": Programme.Kind.REWARD,
        },
    )
    for rule in RULES:
        _, created = RewardRule.objects.get_or_create(
            programme=programme,
            name=rule["name"],
            defaults={k: v for k, v in rule.items() if k != "name"},
        )
        counts["rules"] += created

    last_year = today.year - 1
    # The year before's too: last year's work summary prints rewards by rule.
    for year in (last_year - 1, last_year):
        if not RewardBatch.objects.filter(year=year).exists():
            batch = reward_batch_build(year=year, by=by)
            counts["entitlements"] += batch.entitlements.count()

    scheme, _ = VoucherScheme.objects.get_or_create(
        year=today.year,
        defaults={
            "quota_total": Decimal("5000000"),
            "amount_per_claim": Decimal("20000"),
            "annual_cap_per_enterprise": Decimal("100000"),
            "full_pay_below": Decimal("10000"),
            "copay_ratio": Decimal("0.5"),
        },
    )
    providers = []
    for name, kind in PROVIDERS:
        provider, created = ServiceProvider.objects.get_or_create(
            name=name, defaults={"kind": kind}
        )
        providers.append(provider)
        counts["providers"] += created

    if scheme.claims.exists():
        return counts
    # The demo-login enterprise first, so its page has vouchers to show.
    enterprises = list(
        Enterprise.objects.filter(users__role="enterprise").distinct()[:1]
    ) + list(Enterprise.objects.exclude(users__role="enterprise").order_by("id")[:6])
    for i, (service, fee, state) in enumerate(CLAIMS):
        if not enterprises:
            break
        enterprise = enterprises[i % len(enterprises)]
        claim = voucher_claim(scheme=scheme, enterprise=enterprise, by=by)
        counts["claims"] += 1
        if state == "cancelled":
            voucher_cancel(claim=claim, by=by, reason="企业放弃本次服务")
        elif state in ("used", "redeemed") and fee is not None:
            voucher_use(
                claim=claim,
                provider=providers[i % len(providers)],
                service=service,
                service_fee=fee,
                by=by,
            )
            if state == "redeemed":
                voucher_redeem(claim=claim, by=by)
    return counts
