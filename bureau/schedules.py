"""Every periodic task, in one place. `python manage.py setup_periodic_tasks`
writes missing entries into django-celery-beat, where the admin can then
change or disable them; it never overwrites an entry that exists unless run
with --reset. Cron fields are in TIME_ZONE (Asia/Shanghai by default)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str
    hour: str
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    description: str = ""


SCHEDULES: tuple[Schedule, ...] = (
    # 0 2 25 1,4,7,10 *  — 02:00 on 25 Jan, Apr, Jul, Oct (after the 20-day deadline)
    Schedule(
        name="季度监测",
        task="enterprises.quarterly_monitoring",
        minute="0",
        hour="2",
        day_of_month="25",
        month_of_year="1,4,7,10",
        description="监测上一季度：未报、逾期、营收下滑、证书将到期；生成各街道报告并通知。",
    ),
    # 0 2 1 * *  — 02:00 on the 1st of every month
    Schedule(
        name="人才生活补贴到期标记",
        task="talent.allowances_mark_due",
        minute="0",
        hour="2",
        day_of_month="1",
        description="把本月应发的生活补贴标记为待发放；已离开的人员停止发放。",
    ),
    # 10 1 * * *  — 01:10 every day
    Schedule(
        name="梯队资格到期处理",
        task="enterprises.certifications_expire",
        minute="10",
        hour="1",
        description="把已过有效期的梯队资格标记为已过期。",
    ),
    # 30 1 1 6 *  — 01:30 on 1 June (the day after the 31 May deadline)
    Schedule(
        name="高企年报缺报检查",
        task="enterprises.hnte_missed_reports_revoke",
        minute="30",
        hour="1",
        day_of_month="1",
        month_of_year="6",
        description="有效期内累计两次未按时报送年度发展情况报表的，取消高企资格。",
    ),
    # 30 8 * * *  — 08:30 every day (a reminder arrives in office hours)
    Schedule(
        name="科小入库与高企重新认定提醒",
        task="enterprises.ladder_reminders_send",
        minute="30",
        hour="8",
        description="每天08:30检查：科技型中小企业年度信息更新截止日（默认3月31日）前提醒上年入库企业和有效高企（可直接确认入库）；高企证书到期年份在申报期开始前提醒重新认定。每家企业每年每类只提醒一次。",
    ),
    # 0 3 * * *  — 03:00 every day
    Schedule(
        name="梯队预审结果更新",
        task="enterprises.eligibility_snapshots_refresh",
        minute="0",
        hour="3",
        description="用已报送的年度报表重新预审每家企业的上一梯队，更新后备培育名单。",
    ),
    # */10 * * * *  — every ten minutes
    Schedule(
        name="补发未发送的通知邮件",
        task="bureau.notifications_send_pending",
        minute="*/10",
        hour="*",
        description="每10分钟检查一次：把因消息队列不可用而未发出的通知邮件补发出去。",
    ),
    # 30 3 * * *  — 03:30 every day
    Schedule(
        name="清理过期的登录失败记录",
        task="bureau.login_throttles_prune",
        minute="30",
        hour="3",
        description="每天03:30删除已过统计窗口且未锁定的登录失败记录。",
    ),
    # 45 3 * * *  — 03:45 every day
    Schedule(
        name="清理过期的接口令牌",
        task="bureau.api_tokens_prune",
        minute="45",
        hour="3",
        description="每天03:45删除已过期的接口令牌。",
    ),
    # 0 4 * * *  — 04:00 every day
    Schedule(
        name="核验审计日志完整性",
        task="bureau.audit_chain_verify",
        minute="0",
        hour="4",
        description="每天04:00逐条核验审计日志的SM3摘要链，发现被篡改、插入或删除的记录时告警。",
    ),
    # 20 4 * * *  — 04:20 every day
    Schedule(
        name="停用长期未登录的账号",
        task="bureau.accounts_dormant_disable",
        minute="20",
        hour="4",
        description="每天04:20停用超过规定天数（ACCOUNT_DORMANT_DAYS，默认90天）未登录的账号；三员账号和新建未满该天数的账号除外，每个账号记一条审计日志。",
    ),
    # 15 2 * * *  — 02:15 every day
    Schedule(
        name="重算自动统计的指标",
        task="indicators.indicators_recompute",
        minute="15",
        hour="2",
        description="每天02:15用企业、项目数据重算今年和去年的自动统计指标（新认定高企、科技型中小企业、项目资金等）。",
    ),
    # 30 7 * * *  — 07:30 every day
    Schedule(
        name="任务督办和工作日历提醒",
        task="bureau.reminders_send",
        minute="30",
        hour="7",
        description="每天07:30提醒：任务到期前TASK_REMINDER_DAYS天（默认3天）、到期当天、逾期各提醒一次责任人；工作日历中的节点按各自的提前天数提醒相关角色，每个节点每人只提醒一次。",
    ),
    # 5 * * * *  — five minutes past every hour
    Schedule(
        name="清理过期的后台导出文件",
        task="bureau.jobs_expire",
        minute="5",
        hour="*",
        description="每小时删除保存期（JOB_KEEP_HOURS，默认24小时）已过的后台导出文件和任务记录，以及一天未完成的任务。",
    ),
)
