#!/usr/bin/env python3
"""Browser test of `mhalearn export html`: exports the bundled course to a temporary folder, opens it
from disk in headless Chromium (Debian's chromium + chromium-driver, driven by selenium), and checks
what a learner would do: read a lesson whose numbers match the terminal's, answer questions right and
wrong in several notations, ask for a hint, reload and find progress kept. Saves screenshots at 1280
and 390 px wide into the output folder and prints each page's first render time.

    python3 scripts/browser_test.py [--binary .build/debug/mhalearn] [--out .build/browser-test]

Exits 0 when every check passes, 1 when one fails; skips (exit 0, reason printed) only when Chromium,
chromedriver or selenium is absent.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time

os.environ["SE_OFFLINE"] = "true"        # selenium's driver manager must not download a browser
os.environ["SE_AVOID_STATS"] = "true"    # nor send usage statistics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)
    return condition


STATE = tempfile.mkdtemp(prefix="mhalearn-browser-state-")  # the learner's own progress is never touched


def run(args):
    environment = dict(os.environ, XDG_STATE_HOME=STATE, NO_COLOR="1")
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=environment)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/mhalearn"))
    parser.add_argument("--out", default=os.path.join(ROOT, ".build/browser-test"))
    options = parser.parse_args()

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError:
        webdriver = None
    if not chromium or not driver_path or webdriver is None:
        missing = [name for name, found in [("chromium", chromium), ("chromedriver", driver_path), ("selenium", webdriver)] if not found]
        print("skipped: the browser tests need " + ", ".join(missing) + " (bash scripts/setup.sh installs them)")
        return 0
    if not os.path.exists(options.binary):
        built = run(["swift", "build", "--product", "mhalearn"])
        if built.returncode != 0:
            print(built.stderr)
            return 1
    os.makedirs(options.out, exist_ok=True)

    site = tempfile.mkdtemp(prefix="mhalearn-site-")
    started = time.time()
    exported = run([options.binary, "export", "html", site, "--force"])
    print(exported.stdout.strip())
    if not check(exported.returncode == 0, "export html writes the bundled course (exit %d)" % exported.returncode):
        print(exported.stderr)
        return 1
    size = sum(os.path.getsize(os.path.join(folder, name)) for folder, _, names in os.walk(site) for name in names)
    print("export took %.1f s (this binary; the budget is for a release build), %.2f MB" % (time.time() - started, size / 1e6))
    check(size < 5_000_000, "the whole export is under 5 MB (%d bytes)" % size)
    wasm_size = os.path.getsize(os.path.join(ROOT, "Sources/WebExport/Resources/grader.wasm"))
    check(wasm_size < 1_000_000, "grader.wasm is under 1 MB (%d bytes)" % wasm_size)

    browser_options = webdriver.ChromeOptions()
    browser_options.binary_location = chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
        browser_options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=browser_options)
    wait = WebDriverWait(driver, 20)
    try:
        def open_page(path):
            driver.get("file://" + os.path.join(site, path))
            wait.until(lambda d: d.execute_script("return document.documentElement.getAttribute('data-grader')"))
            timing = driver.execute_script(
                "const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd];")
            print("first render of %s: %.0f ms to DOMContentLoaded, %.0f ms to load (from disk)" % (path, timing[0], timing[1]))
            check(driver.execute_script("return document.documentElement.getAttribute('data-grader')") == "ready",
                  "%s: grader.wasm loaded" % path)

        def screenshot(name):
            for width in (1280, 390):
                driver.set_window_size(width, 900)
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(max(height, 600), 1600))
                driver.execute_script("window.scrollTo(0, 0)")
                time.sleep(0.1)
                driver.save_screenshot(os.path.join(options.out, "%s-%d.png" % (name, width)))
                if width == 390:
                    overflow = driver.execute_script("return document.documentElement.scrollWidth")
                    check(overflow <= 390 + 1, "%s fits a 390 px phone without sideways scrolling (%d px)" % (name, overflow))
            driver.set_window_size(1280, 900)

        def answer(section, text):
            field = section.find_element(By.CSS_SELECTOR, "input[name=answer]")
            field.clear()
            field.send_keys(text + Keys.ENTER)   # keyboard only: Enter submits
            time.sleep(0.2)
            wait.until(lambda d: section.find_element(By.CSS_SELECTOR, ".feedback").text.strip() != "")
            return section.find_element(By.CSS_SELECTOR, ".feedback").text

        # A lesson: its numbers are the terminal's.
        open_page("lessons/attention.html")
        page_text = driver.find_element(By.TAG_NAME, "article").text
        terminal = run([options.binary, "lesson", "attention", "--color", "never", "--no-pager", "--width", "200"]).stdout
        numbers = set(re.findall(r"(?<![\w.])\d[\d,]*\.\d+|(?<![\w.,])\d{2,}(?:,\d{3})*(?![\w.])", terminal))
        missing = sorted(n for n in numbers if n not in page_text)
        check(len(numbers) > 10 and not missing, "every number of `mhalearn lesson attention` (%d) is on the page%s"
              % (len(numbers), "; missing: " + ", ".join(missing[:10]) if missing else ""))

        # Its first checkpoint asks what `check --sheet` says, and the sheet's key is graded right.
        section = driver.find_element(By.CSS_SELECTOR, "aside.checkpoint section.question")
        exercise = section.get_attribute("data-exercise")
        sheet = run([options.binary, "check", "--sheet", "--id", exercise, "--seed", "2"]).stdout
        key = re.search(r"^\s*key: (.+)$", sheet, re.M)
        if check(key is not None, "check --sheet gives the key of checkpoint %s" % exercise):
            feedback = answer(section, key.group(1).strip())
            check("Correct" in feedback, "the checkpoint accepts the sheet's key %r: %r" % (key.group(1), feedback))
        screenshot("lesson")

        # A practice page: right and wrong in several notations, a hint, an unreadable answer.
        open_page("practice/multi-head.html")
        section = driver.find_element(By.CSS_SELECTOR, "section.question[data-exercise='dk-from-d-model']")
        sheet = run([options.binary, "check", "--sheet", "--id", "dk-from-d-model", "--seed", "1"]).stdout
        given = re.search(r"d_model = (\d+), h = (\d+)", sheet)
        prompt = section.find_element(By.CSS_SELECTOR, ".prompt").text
        if check(given is not None and given.group(1) in prompt and given.group(2) in prompt,
                 "the practice prompt poses the sheet's variant (d_model = %s, h = %s)" % (given.group(1), given.group(2)) if given else "sheet variant"):
            d_model, heads = int(given.group(1)), int(given.group(2))
            check("not a number" in answer(section, "sixty-ish") and "did not use an attempt" in section.text,
                  "an unreadable answer gets a format message and costs no attempt")
            wrong = answer(section, str(d_model))
            check("attempt" in wrong and "Correct" not in wrong, "d_model itself is wrong, with the file's feedback: %r" % wrong)
            section.find_element(By.CSS_SELECTOR, "button.hint").click()
            hint = section.find_element(By.CSS_SELECTOR, ".hints").text
            check("Hint 1 of" in hint, "a hint is shown on request: %r" % hint[:80])
            right = answer(section, "%d/%d" % (d_model, heads))
            check("Correct" in right, "the key as arithmetic (%d/%d) is right: %r" % (d_model, heads, right))
            check(section.find_element(By.CSS_SELECTOR, "details.reveal").get_attribute("open") is not None,
                  "the answer and explanation open after the question is over")
        other = driver.find_element(By.CSS_SELECTOR, "section.question[data-exercise='dk-scale-divisor']")
        other_sheet = run([options.binary, "check", "--sheet", "--id", "dk-scale-divisor", "--seed", "1"]).stdout
        other_key = re.search(r"^\s*key: (.+)$", other_sheet, re.M)
        if other_key:
            value = float(other_key.group(1).split()[0].replace(",", ""))
            square = round(value * value)
            written = "sqrt(%d)" % square if abs(square - value * value) < 1e-3 else "%g" % value
            check("Correct" in answer(other, written), "another key in another notation (%s) is right" % written)
        screenshot("practice")

        # Reload: progress kept; the index counts it.
        driver.refresh()
        wait.until(lambda d: d.execute_script("return document.documentElement.getAttribute('data-grader')"))
        section = driver.find_element(By.CSS_SELECTOR, "section.question[data-exercise='dk-from-d-model']")
        check("Answered before: correct" in section.text, "after a reload the question shows it was answered right")
        open_page("index.html")
        due = driver.find_element(By.ID, "due").text
        check("answered in this browser" in due, "the index counts the answers kept in this browser: %r" % due)
        labels = driver.execute_script("return [...document.querySelectorAll('input')].every(i => i.labels && i.labels.length > 0)")
        check(labels, "every input on the index has a label")
        screenshot("index")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        open_page("practice/attention.html")
        background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        check(background != "rgb(255, 255, 255)", "dark mode follows prefers-color-scheme (%s)" % background)
        driver.save_screenshot(os.path.join(options.out, "practice-dark-1280.png"))
    finally:
        driver.quit()
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(STATE, ignore_errors=True)
    print("screenshots in " + options.out)
    if failures:
        print("%d browser check(s) failed" % len(failures))
        return 1
    print("every browser check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
