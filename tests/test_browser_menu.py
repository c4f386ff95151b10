"""Headless Chromium checks the grouped main menu: it fits 1280 px for every
role of the cast, and on a phone it folds behind the menu button
(test-artifacts/menu-*.png)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bureau.models import User
from bureau.tests.base import CAST_ROLES, CastTestCase
from tests.browser import BrowserTestCase, watch_console

if TYPE_CHECKING:
    from playwright.sync_api import Page

MEASURE = """() => {
  const bar = document.querySelector('.topbar').getBoundingClientRect();
  const nav = document.querySelector('.mainnav').getBoundingClientRect();
  const account = document.querySelector('.account').getBoundingClientRect();
  return {bar: bar.height, scroll: document.documentElement.scrollWidth,
          navRight: nav.right, accountLeft: account.left, accountRight: account.right};
}"""


class BrowserMenuTests(BrowserTestCase):
    leader: Any

    def setUp(self) -> None:
        CastTestCase.setUpTestData.__func__(self)  # type: ignore[attr-defined]

    def _page(self, user: User, width: int) -> tuple[Page, list[str]]:
        page = self.open_page(width=width, height=800)
        errors = watch_console(page)
        self.log_in(page, user.username, CastTestCase.password)
        return page, errors

    def test_the_menu_fits_1280_px_for_every_role(self) -> None:
        for name in CAST_ROLES:
            user = getattr(self, name)
            page, errors = self._page(user, 1280)
            box = page.evaluate(MEASURE)
            self.assertEqual(box["bar"], 56, msg=name)  # one line
            self.assertLessEqual(box["scroll"], 1280, msg=name)
            self.assertLess(box["navRight"], box["accountLeft"], msg=name)
            self.assertLessEqual(box["accountRight"], 1280, msg=name)
            self.assertEqual(errors, [], msg=name)  # e.g. no missing favicon
            if name == "officer":
                page.locator("[data-nav-group] > summary").first.click()
                self.shot(page, "menu-officer-1280", full_page=False)
            page.context.close()

    def test_on_a_phone_the_menu_folds_behind_a_button(self) -> None:
        page, errors = self._page(self.leader, 390)
        menu = page.locator("#site-menu")
        self.assertFalse(menu.is_visible())
        page.click("[data-nav-toggle]")
        self.assertTrue(menu.is_visible())
        # 指标考核 is a group (看板, 技术合同, 科技成果, 研发统计): it opens in place.
        page.locator("[data-nav-group] > summary", has_text="指标考核").click()
        self.assertTrue(page.get_by_role("link", name="指标看板").is_visible())
        self.assertLessEqual(page.evaluate(MEASURE)["scroll"], 390)
        self.shot(page, "menu-leader-390")
        page.keyboard.press("Escape")  # closes the open group first
        self.assertTrue(menu.is_visible())
        page.keyboard.press("Escape")  # then the menu
        self.assertFalse(menu.is_visible())
        self.assertEqual(errors, [])
