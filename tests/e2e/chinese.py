"""Finding strings a Chinese page shows in English: what the end-to-end journey asserts on every page.

A page is collected as its visible text (`document.body.innerText`), its title, and the text a user meets
outside the body's text: placeholders, the values of input buttons, aria-labels, title tooltips and the
options of every select. Every run of Latin letters in it must be a token that no translation would change;
a run that contains a digit is a product number or code (hazard numbers, credit codes) and passes, and so
does the extension of a file's name.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The only words in Latin letters a Chinese page may show, each because no translation would change it.
ALLOWED = frozenset(
    {
        # Format and product names, written this way in Chinese too.
        "PDF",
        "Excel",
        "CSV",
        "API",
        "JPEG",
        "PNG",
        "WebP",
        # The language menu names each language in itself.
        "English",
        # The demo users' login names (a name shown when a user has no full name).
        "admin",
        "inspector",
        "supervisor",
        "enterprise",
    }
)

# A run of letters and digits (with inner hyphens, dots, slashes or underscores: "YH-210102-0001", "v1.2").
TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*")
# The extension of a file's name ("评估报告.pdf"): the name is the user's, kept as uploaded.
FILE_EXTENSION = re.compile(r"(?<=\S)\.(?:pdf|jpe?g|png|webp|xlsx|csv)\b", re.IGNORECASE)
LATIN = re.compile(r"[A-Za-z]")
DIGIT = re.compile(r"[0-9]")

# What a page shows: run in the page by Playwright's page.evaluate.
COLLECT_JS = """() => {
  const texts = [document.title, document.body.innerText];
  const attribute = (selector, name) =>
    document.querySelectorAll(selector).forEach(element => texts.push(element.getAttribute(name)));
  attribute("[placeholder]", "placeholder");
  attribute("[aria-label]", "aria-label");
  attribute("[title]", "title");
  attribute("input[type=submit][value], input[type=button][value], input[type=reset][value]", "value");
  document.querySelectorAll("select option").forEach(option => texts.push(option.textContent));
  return texts.filter(Boolean);
}"""


@dataclass(frozen=True)
class Untranslated:
    words: tuple[str, ...]
    line: str

    def __str__(self) -> str:
        return f"{' '.join(self.words)!r} in {self.line!r}"


def untranslated(texts: Iterable[str], allowed: Iterable[str] = ALLOWED) -> list[Untranslated]:
    """Each line (once) with words in Latin letters that are neither allowed nor part of a number or code."""
    allowed = set(allowed)
    found = {}
    for text in texts:
        for line in text.splitlines():
            words = [
                word
                for token in TOKEN.findall(FILE_EXTENSION.sub("", line))
                if LATIN.search(token) and not DIGIT.search(token)
                for word in re.split(r"[-_./]", token)
                if word and word not in allowed
            ]
            line = line.strip()[:160]
            if words and line not in found:
                found[line] = Untranslated(tuple(words), line)
    return list(found.values())
