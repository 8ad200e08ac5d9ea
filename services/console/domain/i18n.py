# Chinese text takes full-width punctuation, which RUF001 takes for look-alikes of ASCII.
# ruff: noqa: RUF001
"""The console's words in Chinese (the default: the company works in Chinese) and English.

The language is the one a person chose on the page (a cookie), else their account's (the token's
``locale`` claim), else the browser's first of the two, else Chinese. Every text added since
sign-in exists in both; the rest of the pages follow in a later change.
"""

from __future__ import annotations

from dataclasses import dataclass

ZH, EN = "zh-CN", "en"
LOCALES = (ZH, EN)
DEFAULT = ZH

TEXTS: dict[str, tuple[str, str]] = {
    # sign-in
    "login.title": ("登录", "Sign in"),
    "login.heading": ("登录订单流程控制台", "Sign in to the Orderflow console"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.refused": (
        "用户名或密码不正确，或账户已停用",
        "Wrong username or password, or the account is disabled",
    ),
    "login.unavailable": (
        "身份认证服务暂时无法访问，请稍后再试",
        "The sign-in service cannot be reached just now; try again shortly",
    ),
    "login.not_accepted": (
        "登录成功，但控制台不接受该令牌：{reason}",
        "Signed in, but the console does not accept the token: {reason}",
    ),
    "login.expired": ("登录已过期，请重新登录", "Your sign-in has expired; sign in again"),
    "login.done": ("已登录", "Signed in"),
    "logout": ("退出", "Sign out"),
    "logout.done": ("已退出", "Signed out"),
    "signed_in_as": ("当前用户", "Signed in as"),
    "language": ("语言", "Language"),
    # guards
    "guard.origin": (
        "请求来源不是本控制台，已拒绝",
        "Refused: the request did not come from this console's pages",
    ),
    "guard.csrf": (
        "安全令牌缺失或已失效，请刷新页面后重试",
        "Missing or stale security token: reload the page and try again",
    ),
    "guard.json": ("只接受 JSON 请求", "Only JSON requests are accepted"),
    "guard.forbidden": ("您的角色无权执行此操作", "Your roles do not allow this"),
    # actions
    "action.none_for_role": (
        "您的角色在此阶段没有可执行的操作",
        "Your roles have no action open at this stage",
    ),
    "action.roles_unknown": (
        "{service} 未提供其接口的角色声明，相关操作暂不显示",
        "{service} did not publish its routes' roles; its actions are not shown",
    ),
    "part.hidden": (
        "{service} 的这部分数据不对您的角色开放",
        "{service} does not show this part to your roles",
    ),
    "action.unknown": ("没有这个操作：{what}", "No such action: {what}"),
    "allowance.waiting": (
        "折让 {amount} {currency} 待审批（可审批角色：{roles}）",
        "Allowance of {amount} {currency} waiting for approval (by: {roles})",
    ),
    "allowance.approve": ("批准折让", "Approve allowance"),
    "allowance.refuse": ("拒绝折让", "Refuse allowance"),
    "allowance.reason": ("原因", "Reason"),
    "sign.signatory": ("客户签字人", "Signed for the customer by"),
    "sign.signed_on": ("信函上的签字日期", "Date written on the letter"),
    "resolve.discount": ("折让金额", "Discount"),
    "resolve.currency": ("币种", "Currency"),
    "consent.customer_name": ("客户方答复人", "Answered by (customer)"),
    "confirm": ("确认", "Confirm"),
    "cancel": ("取消", "Cancel"),
    "replay.button": ("重新投递", "Replay"),
    "replay.confirm": (
        "将 {count} 条消息从 {queue} 重新投递到原队列？",
        "Replay {count} message(s) from {queue} to the queue they died in?",
    ),
    "replay.done": (
        "已从 {queue} 重新投递 {count} 条消息",
        "Replayed {count} message(s) from {queue}",
    ),
    "replay.unknown_queue": (
        "queue：{queue} 不是任何服务的死信队列",
        "queue: {queue} is no service's dead-letter queue",
    ),
    "replay.unknown_message": (
        "message_id：{message_id} 不在 {queue} 中",
        "message_id: {message_id} is not in {queue}",
    ),
    "rebuild.title": ("重建订单时间线", "Rebuild the order timelines"),
    "rebuild.button": ("重建", "Rebuild"),
    "rebuild.explain": (
        "客服服务将从存储的全部事件重新生成每条时间线；重建期间客服服务暂停处理。",
        "Customer service folds every stored event again into every timeline; it pauses its"
        " work meanwhile.",
    ),
    "rebuild.confirm": (
        "确定要重建全部订单时间线吗？",
        "Rebuild every order timeline from the stored events?",
    ),
    "rebuild.done": ("时间线已重建：{summary}", "Timelines rebuilt: {summary}"),
    # the order's audit trail
    "audit.title": ("操作记录（谁在何时做了什么）", "Who did what"),
    "audit.when": ("时间", "When"),
    "audit.department": ("部门", "Department"),
    "audit.who": ("操作人", "Who"),
    "audit.roles": ("角色", "Roles"),
    "audit.what": ("操作", "What"),
    "audit.empty": ("暂无操作记录", "Nothing recorded yet"),
    "audit.system": ("系统", "system"),
    # pages and errors
    "nav.orders": ("订单", "Orders"),
    "nav.after_sales": ("售后", "After-sales"),
    "nav.planning": ("计划", "Planning"),
    "nav.kpis": ("指标", "KPIs"),
    "nav.dead_letters": ("运维", "Operations"),
    "error.title": ("错误 {status}", "Error {status}"),
    "error.retry": (
        "本页面每隔几秒自动重试。",
        "This page tries again by itself every few seconds.",
    ),
    "error.back": ("返回订单看板", "Back to the order board"),
    "dept.sales": ("销售", "Sales"),
    "dept.production": ("生产", "Production"),
    "dept.warehouse": ("仓库", "Warehouse"),
    "dept.logistics": ("物流", "Logistics"),
    "dept.customer_service": ("客服", "Customer service"),
    "dept.console": ("控制台", "Console"),
}


def choose_locale(
    chosen: str | None, account: str | None, accept_language: str | None, default: str = DEFAULT
) -> str:
    for candidate in (chosen, account):
        found = _known(candidate)
        if found:
            return found
    for candidate, _quality in _by_quality(accept_language or ""):
        found = _known(candidate)
        if found:
            return found
    return _known(default) or DEFAULT


def _known(tag: str | None) -> str | None:
    """``zh``, ``zh-CN``, ``zh-Hans`` -> zh-CN; ``en-GB`` -> en; anything else: None."""
    primary = (tag or "").strip().lower().split("-", 1)[0].split("_", 1)[0]
    return {"zh": ZH, "en": EN}.get(primary)


def _by_quality(header: str) -> list[tuple[str, float]]:
    found = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            found.append((tag, quality, index))
    found.sort(key=lambda t: (-t[1], t[2]))
    return [(tag, quality) for tag, quality, _ in found]


@dataclass(frozen=True)
class Translator:
    locale: str

    def __call__(self, key: str, **values: object) -> str:
        zh, en = TEXTS[key]
        text = zh if self.locale == ZH else en
        return text.format(**values) if values else text

    @property
    def other(self) -> str:
        """The language a page offers to switch to."""
        return EN if self.locale == ZH else ZH
