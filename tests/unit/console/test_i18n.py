"""The console speaks Chinese by default and English on request; every text added has both."""

from __future__ import annotations

import re
from pathlib import Path

from services.console.domain.i18n import EN, TEXTS, ZH, Translator, choose_locale
from services.console.settings import ConsoleSettings

TEMPLATES = Path(__file__).resolve().parents[3] / "services" / "console" / "templates"


def test_chinese_unless_the_person_the_account_or_the_browser_says_english():
    assert choose_locale(None, None, None) == ZH
    assert choose_locale(None, None, "en-GB,en;q=0.9") == EN
    assert choose_locale(None, "en", "zh-CN") == EN, "the account's language over the browser's"
    assert choose_locale("zh-CN", "en", "en") == ZH, "the language chosen on the page wins"
    assert choose_locale(None, None, "fr-FR, zh-TW;q=0.5") == ZH
    assert choose_locale(None, None, "de, en;q=0.8, zh;q=0.9") == ZH, "by quality"
    assert choose_locale(None, None, "zh;q=0, en") == EN, "q=0 means not wanted"
    assert choose_locale("klingon", None, None, default="en") == EN


def test_every_text_has_chinese_and_english_with_the_same_placeholders():
    for key, (zh, en) in TEXTS.items():
        assert zh and en, key
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: the Chinese text has no Chinese"
        assert set(re.findall(r"\{(\w+)\}", zh)) == set(re.findall(r"\{(\w+)\}", en)), key


def test_every_text_a_template_asks_for_exists():
    departments = ("console", *ConsoleSettings().service_urls())
    asked = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        asked |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']\s*[,)]""", text))
        # a department's name by the service it is (``t("dept." ~ a.service)``)
        asked |= {f"dept.{s}" for s in departments} if '"dept." ~' in text else set()
    assert asked and asked <= set(TEXTS), sorted(asked - set(TEXTS))


def test_translator_fills_values_in_the_chosen_language():
    assert Translator(ZH)("replay.done", count=2, queue="q") == "已从 q 重新投递 2 条消息"
    assert Translator(EN)("replay.done", count=2, queue="q") == "Replayed 2 message(s) from q"
    assert Translator(ZH).other == EN and Translator(EN).other == ZH
