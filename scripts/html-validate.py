#!/usr/bin/env python3
"""Checks HTML pages with html5lib's strict parser (Debian: python3-html5lib):
any parse error, and any control character other than tab, newline and
carriage return, is reported. Arguments are files; with none, a JSON list of
{"name": ..., "html": ...} objects is read from stdin. Prints one line per
problem (name:line:col: message) and exits 1 when there is one."""
import json
import re
import sys

import html5lib

control_re = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]')


def problems(name, text):
    out = []
    for m in control_re.finditer(text):
        line = text.count('\n', 0, m.start()) + 1
        col = m.start() - (text.rfind('\n', 0, m.start()) + 1) + 1
        out.append('%s:%d:%d: control character U+%04X' % (name, line, col, ord(m.group(0))))
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(text)
    for (line, col), code, data in parser.errors:
        out.append('%s:%d:%d: %s %s' % (name, line, col + 1, code, data or ''))
    return out


def main():
    if len(sys.argv) > 1:
        pages = []
        for path in sys.argv[1:]:
            with open(path, encoding='utf-8') as f:
                pages.append({"name": path, "html": f.read()})
    else:
        pages = json.load(sys.stdin)
    found = []
    for page in pages:
        found += problems(page["name"], page["html"])
    for line in found:
        print(line)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
