#!/usr/bin/python3
"""The help as one HTML file (help/help-html.py), as the browser F1 opens it in the
Flatpak sees it: every page in it under its own anchor with its title, every link
inside it reaching an anchor, nothing it needs outside it. TAP.

Usage: test-help-html.py HELP.html PAGE.page…
"""
import os
import re
import sys
from html.parser import HTMLParser


class Document(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []      # (section, href)
        self.resources = []  # src and stylesheet links
        self.scripts = 0
        self.section = None
        self.headings = {}   # section -> text of its first h1
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "section" and "gh-help-page" in (attrs.get("class") or ""):
            self.section = attrs.get("id")
        if tag == "a" and "href" in attrs:
            self.links.append((self.section, attrs["href"]))
        if "src" in attrs or (tag == "link" and "href" in attrs):
            self.resources.append(attrs.get("src") or attrs.get("href"))
        if tag == "script":
            self.scripts += 1
        if tag == "h1" and self.section not in self.headings:
            self._in_h1 = True
            self.headings[self.section] = ""

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.headings[self.section] += data


def page_title(path):
    """The page's own title: its first <title> without a type (not a link title)."""
    with open(path, encoding="utf-8") as page:
        text = page.read()
    text = re.sub(r"<info>.*?</info>", "", text, flags=re.S)
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", title).split())


def main():
    output, pages = sys.argv[1], sys.argv[2:]
    document = Document()
    with open(output, encoding="utf-8") as source:
        document.feed(source.read())
    results = []

    for page in pages:
        name = os.path.splitext(os.path.basename(page))[0]
        title = page_title(page)
        heading = " ".join(document.headings.get(name, "").split())
        results.append((name in document.ids and heading == title,
                        f"page {name}: an anchor #{name} with its title “{title}”"
                        + ("" if heading == title else f" (found “{heading}”)")))

    internal = [(s, h) for s, h in document.links if h.startswith("#")]
    broken = [f"{s}: {h}" for s, h in internal if h[1:] not in document.ids]
    results.append((internal and not broken,
                    f"{len(internal)} links between and within pages reach an anchor"
                    + "".join(f"\n# broken: {b}" for b in broken)))

    outside = [f"{s}: {h}" for s, h in document.links
               if not h.startswith("#") and not re.match(r"^(https?|mailto):", h)]
    results.append((not outside, "no link to a file beside the document"
                    + "".join(f"\n# {o}" for o in outside)))

    external = [r for r in document.resources if not r.startswith("data:")]
    results.append((not external and document.scripts == 0,
                    "no script, style sheet or image outside the document"
                    + "".join(f"\n# {r}" for r in external)))

    print(f"1..{len(results)}")
    for number, (passed, description) in enumerate(results, 1):
        print(f"{'ok' if passed else 'not ok'} {number} - {description}")
    return 0 if all(p for p, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
