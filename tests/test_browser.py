"""The review site in a real browser (issue 17): headless Chromium, the
distribution's package, renders the index and a table's page; the DOM has
every table's row and a click on a heading sorts it; a table's page printed
to PDF (Chromium's --print-to-pdf) holds the traces of its differing rows.

Skipped, with the reason, only where no Chromium is installed and not in
CI: ``.ci/run`` installs it (CI=true without Chromium fails here)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from perfrules import cli
from perfrules.testing.tables import variant

SEED = Path(__file__).resolve().parents[1] / "examples" / "tianjin-kjj-2024-zhengti.txt"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _find(name: str, usual: str) -> str | None:
    return usual if os.path.exists(usual) else shutil.which(name)


CHROMIUM = _find("chromium", "/usr/bin/chromium")
DRIVER = _find("chromedriver", "/usr/bin/chromedriver")


def _need(what: str | None, package: str) -> str:
    if what:
        return what
    message = f"no {package} installed (apt-get install chromium chromium-driver; .ci/run does; pip install -e '.[test]')"
    if os.environ.get("CI"):
        pytest.fail(f"CI must have a browser: {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    for n, unit in enumerate(("甲区科学技术局", "乙区科学技术局", "丙区科学技术局", "丁区科学技术局")):
        (folder / f"{n}.txt").write_text(variant(unit=unit, year=2023 + n % 2, seed=n), encoding="utf-8")
    out = tmp_path_factory.mktemp("site") / "site"
    assert cli.main(["review", str(folder), str(SEED), "--format", "html", "-o", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = _need(CHROMIUM, "chromium")
    driver_path = _need(DRIVER, "chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need(None, "selenium (the test extra)")

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('profile')}", "--window-size=1400,1000"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def _cells(driver, key: str) -> list[str]:
    column = [th.get_attribute("data-key") for th in driver.find_elements("css selector", "table.summary th")]
    i = column.index(key)
    return [row.find_elements("tag name", "td")[i].get_attribute("data-v")
            for row in driver.find_elements("css selector", "table.summary tbody tr")]


def test_index_lists_every_table_and_sorts_on_a_click(browser, site):
    browser.get((site / "index.html").as_uri())
    assert browser.title == "绩效自评表审核汇总"
    units = _cells(browser, "unit")
    assert sorted(units) == sorted(["甲区科学技术局", "乙区科学技术局", "丙区科学技术局", "丁区科学技术局",
                                    "天津市科学技术局"])
    head = browser.find_element("css selector", "th[data-key='gap'] button")
    head.click()
    gaps = [Decimal(v) for v in _cells(browser, "gap")]
    assert gaps == sorted(gaps)
    assert browser.find_element("css selector", "th[data-key='gap']").get_attribute("aria-sort") == "ascending"
    head.click()
    gaps = [Decimal(v) for v in _cells(browser, "gap")]
    assert gaps == sorted(gaps, reverse=True)
    browser.find_element("css selector", "th[data-key='unit'] button").click()
    collated = browser.execute_script(
        "return arguments[0].slice().sort(function (a, b) { return a.localeCompare(b, 'zh-CN'); })", units)
    assert _cells(browser, "unit") == collated
    # Each line links to its table's page.
    link = browser.find_element("css selector", "table.summary tbody tr a")
    link.click()
    assert browser.find_elements("css selector", "table.rows tbody tr")
    assert "返回汇总" in browser.find_element("tag name", "nav").text


def test_a_table_page_shows_each_differing_rows_trace(browser, site):
    page = next(p for p in sorted(site.glob("*.html")) if p.name.endswith("tianjin-kjj-2024-zhengti.html"))
    browser.get(page.as_uri())
    scored = perfrules.score(SEED)
    rows = browser.find_elements("css selector", "table.rows tbody tr:not(.trace)")
    assert len(rows) == len(scored.rows) + 1  # and the budget row
    for entry in scored.differs():
        trace = browser.find_element("css selector", f"#row-{entry.index} + tr.trace")
        assert trace.is_displayed()
        for step in entry.result.trace:
            assert f"{step.label}: {step.value}" in trace.text


def test_print_to_pdf_holds_the_traces(site, tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    chromium = _need(CHROMIUM, "chromium")
    page = next(p for p in sorted(site.glob("*.html")) if p.name.endswith("tianjin-kjj-2024-zhengti.html"))
    pdf = tmp_path / "letter.pdf"
    subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
    with pdfplumber.open(pdf) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
        landscape = all(p.width > p.height for p in document.pages)
    flat = re.sub(r"\s+", "", text)
    scored = perfrules.score(SEED)
    assert landscape  # the print stylesheet's A4 landscape
    for entry in scored.differs():
        for step in entry.result.trace:
            line = re.sub(r"\s+", "", f"{step.label}: {step.value}")
            if line.isascii():  # (CJK text extracts only where a CJK font is installed)
                assert line in flat, line
    assert "completion" in flat and "rule:" in flat
