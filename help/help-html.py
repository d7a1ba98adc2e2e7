#!/usr/bin/python3
"""The help as one self-contained HTML file, for the Flatpak build.

Inside the sandbox F1 cannot reach a help viewer that sees /app/share/help, so the app
hands the host a file through the OpenURI portal (src/app/gh-sandbox.c). The portal
passes one file, perhaps through the document portal, so nothing beside it can be
reached: links between pages, the style sheet and images must all be inside it. This
runs `yelp-build html` on the Mallard pages and joins its pages into one document:

- each page becomes <section id="PAGE">, in the order given (index first);
- an id X inside page P becomes P--X, so that ids of different pages cannot clash;
- links are rewritten: Q.html -> #Q, Q.html#X -> #Q--X, #X (within P) -> #P--X;
- the style sheet is inlined; yelp's scripts (syntax highlighting, expanders) are left
  out; an image would be a data: URI.

A link to a page that is not in the file is an error, as is a resource that cannot be
inlined. tests/data/test-help-html.py checks the result.

Usage: help-html.py --yelp-build PROGRAM --output FILE PAGE.page…
"""
import argparse
import base64
import html
import mimetypes
import os
import re
import subprocess
import sys
import tempfile

HREF = re.compile(r'(href|src)="([^"]*)"')
ID = re.compile(r'(?<=\s)id="([^"]*)"')


def page_body(text):
    """The page's content: what is inside <main>."""
    match = re.search(r"<main>(.*)</main>", text, re.S)
    if not match:
        raise ValueError("no <main> in yelp-build's page")
    return match.group(1)


def rewrite(page, body, pages, directory):
    def link(match):
        attr, target = match.groups()
        target = html.unescape(target)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:, data:
            return match.group(0)
        if attr == "src":
            path = os.path.join(directory, target)
            if not os.path.isfile(path):
                raise ValueError(f"{page}: {target} cannot be inlined")
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(path, "rb") as data:
                encoded = base64.b64encode(data.read()).decode("ascii")
            return f'src="data:{kind};base64,{encoded}"'
        name, _, fragment = target.partition("#")
        if name == "":
            name = page
        elif name.endswith(".html") and name[:-5] in pages:
            name = name[:-5]
        else:
            raise ValueError(f"{page}: a link to {target}, which is not a page of the help")
        anchor = f"{name}--{fragment}" if fragment else name
        return f'href="#{html.escape(anchor)}"'

    body = ID.sub(lambda m: f'id="{page}--{m.group(1)}"', body)
    return HREF.sub(link, body)


def combine(directory, pages):
    with open(os.path.join(directory, "C.css"), encoding="utf-8") as css:
        style = css.read()
    title = None
    sections = []
    for page in pages:
        with open(os.path.join(directory, page + ".html"), encoding="utf-8") as source:
            text = source.read()
        if title is None:
            title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        sections.append(f'<section id="{page}" class="gh-help-page">\n'
                        f"{rewrite(page, page_body(text), pages, directory)}\n</section>\n")
    return ("<!DOCTYPE html>\n<html>\n<head>\n"
            '<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f"<title>{title}</title>\n<style>\n{style}\n"
            # yelp lays <main> out as a row (a sidebar beside the page); here it holds
            # the pages, one below the other.
            "main { display: block; }\n"
            "section.gh-help-page + section.gh-help-page { border-top: 1px solid #deddda; }\n"
            "</style>\n</head>\n<body>\n<main>\n" + "".join(sections) +
            "</main>\n</body>\n</html>\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--yelp-build", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    names = [os.path.splitext(os.path.basename(p))[0] for p in args.pages]
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([args.yelp_build, "html", "-o", directory + "/", *args.pages],
                       check=True)
        try:
            document = combine(directory, names)
        except (OSError, ValueError) as error:
            sys.exit(f"help-html: {error}")
    with open(args.output + ".tmp", "w", encoding="utf-8") as output:
        output.write(document)
    os.replace(args.output + ".tmp", args.output)


if __name__ == "__main__":
    main()
