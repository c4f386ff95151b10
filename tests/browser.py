"""What every browser test shares: Debian's Chromium launched headless with
a Chinese locale, the checks that it and a CJK font are there (skipped on a
developer's machine without them, failed in CI), logging in through the
login page, and the watch for console errors and English or raw codes in
the visible text."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.db import connections

from bureau.models import OrgUnit
from bureau.tests.factories import PASSWORD, OrgUnitFactory
from tests.helpers import require_service

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # The browser's own words (a date box's 年/月/日) in Chinese too.
    "--lang=zh-CN",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

# What must never show on a Chinese page: snake_case codes (audit actions,
# field names), Python's None/True/False, English error pages and degree
# names (as /work/shared/tools/crawl-portal looks for them).
CODE_RE = re.compile(
    r"\b(?!demo_)[a-z]+(?:_[a-z]+)+(?:\.[a-z_]+)?\b"
    r"|\b(?:None|True|False|doctorate|bachelor|master|Forbidden|Not Found)\b"
)


def cjk_fonts() -> str:
    """The Chinese font families fontconfig knows (empty without one)."""
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh-cn", "family"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except FileNotFoundError:
        return ""
    return result.stdout.strip()


def leaks(text: str) -> list[str]:
    """The raw codes and English words in `text`."""
    return sorted(set(CODE_RE.findall(text)))


def page_text(html: str) -> str:
    """The text of a page's HTML, hidden parts included (a closed menu, a
    folded form), without scripts, styles, comments and attributes."""
    html = re.sub(r"(?is)<(script|style|template)[^>]*>.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    return re.sub(r"&[a-z#0-9]+;", " ", re.sub(r"<[^>]+>", " ", html))


def home_district() -> OrgUnit:
    """杭州市拱墅区, the bureau's own district, under its city."""
    city = OrgUnitFactory(code="330100", name="杭州市", level=OrgUnit.Level.CITY)
    district = OrgUnitFactory(
        code="330105",
        name="拱墅区",
        level=OrgUnit.Level.DISTRICT,
        parent=city,
        is_home=True,
    )
    return cast(OrgUnit, district)


def street(
    district: OrgUnit, code: str = "330105001", name: str = "米市巷街道"
) -> OrgUnit:
    """A street of `district` (米市巷街道 unless told)."""
    unit = OrgUnitFactory(
        code=code, name=name, level=OrgUnit.Level.STREET, parent=district
    )
    return cast(OrgUnit, unit)


class BrowserTestCase(StaticLiveServerTestCase):
    """A live server and one headless Chromium for the class."""

    host = "127.0.0.1"
    playwright: Any
    browser: Any

    @classmethod
    def setUpClass(cls) -> None:
        require_service(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
        # Without a CJK font Chinese renders as boxes: fontconfig must know one.
        require_service(bool(cjk_fonts()), "a Chinese font (fonts-wqy-microhei)")
        # Playwright's sync API runs an event loop in this thread.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

    @classmethod
    def tearDownClass(cls) -> None:
        if hasattr(cls, "browser"):
            cls.browser.close()
            cls.playwright.stop()
        super().tearDownClass()

    @classmethod
    def _fixture_setup(cls) -> None:
        """With `serialized_rollback`, start from an empty database: an
        earlier TransactionTestCase's flush ran post_migrate, which made the
        role groups, content types and permissions again under new ids, and
        the migrations' rows restored next would clash with them."""
        if cls.serialized_rollback:
            names = cls._databases_names(include_mirrors=False)  # type: ignore[attr-defined]
            for name in names:
                if hasattr(connections[name], "_test_serialized_contents"):
                    call_command(
                        "flush",
                        verbosity=0,
                        interactive=False,
                        database=name,
                        inhibit_post_migrate=True,
                    )
        super()._fixture_setup()  # type: ignore[misc]

    def new_context(
        self, width: int = 1366, height: int = 900, **options: Any
    ) -> BrowserContext:
        return self.browser.new_context(  # type: ignore[no-any-return]
            viewport={"width": width, "height": height}, locale="zh-CN", **options
        )

    def open_page(
        self,
        username: str | None = None,
        *,
        password: str = PASSWORD,
        width: int = 1366,
        height: int = 900,
        **options: Any,
    ) -> Page:
        """A tab in a fresh context (its own cookies), logged in as
        `username` if one is given; the context closes after the test."""
        context = self.new_context(width, height, **options)
        self.addCleanup(context.close)
        page = context.new_page()
        if username is not None:
            self.log_in(page, username, password)
        return page

    def log_in(
        self,
        page: Page,
        username: str,
        password: str = PASSWORD,
        *,
        lands_on: str = "/",
    ) -> None:
        """Through the login page, as a person does; ends on `lands_on` (the
        home page unless the login leads elsewhere first, e.g. to enrol a
        second factor or change a first password)."""
        page.goto(f"{self.live_server_url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}{lands_on}")

    def shot(self, page: Page, name: str, *, full_page: bool = True) -> Path:
        """Photograph `page` to test-artifacts/<name>.png (`name` may hold a
        folder)."""
        path = ARTIFACTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def download(self, page: Page, selector: str, to: Path | None = None) -> Path:
        """Click `selector`, wait for the file it sends and save it to `to`
        (by default test-artifacts/<the file's own name>)."""
        with page.expect_download() as info:
            page.click(selector)
        download = info.value
        path = to if to is not None else ARTIFACTS / download.suggested_filename
        path.parent.mkdir(parents=True, exist_ok=True)
        download.save_as(path)
        return path


def watch_console(page: Page) -> list[str]:
    """The console errors and uncaught exceptions of `page`, as they come."""
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    return errors
