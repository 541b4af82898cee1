#!/usr/bin/env python3
"""Normalises HTML as cmark-gfm's test/normalize.py does, so that two
renderings can be compared without caring about attribute order or white
space between blocks. Reads a JSON list of HTML strings on stdin and writes
the list of normalised strings as JSON on stdout."""
import html
import json
import re
import sys
from html.entities import name2codepoint
from html.parser import HTMLParser

whitespace_re = re.compile(r'\s+')
block_tags = {'article', 'header', 'aside', 'hgroup', 'blockquote', 'hr',
              'iframe', 'body', 'li', 'map', 'button', 'object', 'canvas',
              'ol', 'output', 'dl', 'p', 'pre', 'video', 'caption', 'table',
              'tbody', 'tfoot', 'thead', 'tr', 'td', 'th', 'dd', 'dt',
              'address', 'div', 'fieldset', 'figure', 'figcaption', 'footer',
              'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'main', 'nav',
              'noscript', 'section', 'ul', 'audio', 'center', 'col',
              'colgroup', 'details', 'dialog', 'dir', 'frame', 'frameset',
              'legend', 'menu', 'menuitem', 'optgroup', 'option', 'param',
              'search', 'source', 'summary', 'title', 'track', 'base',
              'basefont', 'head', 'html', 'link', 'meta', 'script', 'style',
              'textarea', 'tbody'}


class Normaliser(HTMLParser):
    def __init__(self):
        HTMLParser.__init__(self, convert_charrefs=False)
        self.last = "starttag"
        self.in_pre = False
        self.output = ""
        self.last_tag = ""

    def handle_data(self, data):
        after_tag = self.last in ("endtag", "starttag")
        after_block_tag = after_tag and self.last_tag in block_tags
        if after_tag and self.last_tag == "br":
            data = data.lstrip('\n')
        if not self.in_pre:
            data = whitespace_re.sub(' ', data)
        if after_block_tag and not self.in_pre:
            if self.last == "starttag":
                data = data.lstrip()
            elif self.last == "endtag":
                data = data.strip()
        self.output += data
        self.last = "data"

    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_pre = False
        elif tag in block_tags:
            self.output = self.output.rstrip()
        self.output += "</" + tag + ">"
        self.last_tag = tag
        self.last = "endtag"

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.in_pre = True
        if tag in block_tags:
            self.output = self.output.rstrip()
        self.output += "<" + tag
        for (k, v) in sorted(attrs, key=lambda a: (a[0], a[1] or "")):
            self.output += " " + k
            if v is not None:
                self.output += '="' + html.escape(v, quote=True) + '"'
        self.output += ">"
        self.last_tag = tag
        self.last = "starttag"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.last_tag = tag
        self.last = "endtag"

    def handle_comment(self, data):
        self.output += '<!--' + data + '-->'
        self.last = "comment"

    def handle_decl(self, data):
        self.output += '<!' + data + '>'
        self.last = "decl"

    def unknown_decl(self, data):
        self.output += '<!' + data + '>'
        self.last = "decl"

    def handle_pi(self, data):
        self.output += '<?' + data + '>'
        self.last = "pi"

    def handle_entityref(self, name):
        c = chr(name2codepoint[name]) if name in name2codepoint else None
        self.output_char(c, '&' + name + ';')
        self.last = "ref"

    def handle_charref(self, name):
        try:
            c = chr(int(name[1:], 16)) if name.lower().startswith("x") else chr(int(name))
        except (ValueError, OverflowError):
            c = None
        self.output_char(c, '&' + name + ';')
        self.last = "ref"

    def output_char(self, c, fallback):
        if c == '<':
            self.output += "&lt;"
        elif c == '>':
            self.output += "&gt;"
        elif c == '&':
            self.output += "&amp;"
        elif c == '"':
            self.output += "&quot;"
        elif c is None:
            self.output += fallback
        else:
            self.output += c


chunk_re = re.compile(r"(<!\[CDATA\[.*?\]\]>|<[^>]*>|[^<]+)", re.S)


def normalise(text):
    parser = Normaliser()
    for chunk in chunk_re.finditer(text):
        if chunk.group(0)[:8] == "<![CDATA":
            parser.output += chunk.group(0)
        else:
            parser.feed(chunk.group(0))
    parser.close()
    return parser.output


if __name__ == "__main__":
    json.dump([normalise(h) for h in json.load(sys.stdin)], sys.stdout)
