import Foundation
import Testing
@testable import LecternRender
import LecternDocument
import LecternResults

/// Lectern's own cases for the math rule, math in links, emphasis next to
/// math, footnotes and inline values. Expected math spans are pandoc's
/// (`pandoc -f markdown+tex_math_single_backslash`, run by hand); expected HTML
/// around math is cmark-gfm's for the same text with each span written as `$`
/// (a span is punctuation, exactly as `$` is).
@Suite struct MarkdownRules {
    func math(_ s: String) -> [String] { Document.parse(path: "t.md", bytes: Array((s + "\n").utf8)).math.map(\.source) }

    @Test(arguments: [
        ("$x$$y$", ["$x$", "$y$"]), ("\\(\\)", []), ("$$x$", ["$x$"]), ("$a `b$ c` d", ["$a `b$"]),
        ("`a $b` c$", []), ("$5 and $10", []), ("$x$5", []), ("$x $", []), ("$ x$", []), ("\\(x\\)5", []),
        ("$$a\\$$", ["$$a\\$$"]), ("$a\\$b$", ["$a\\$b$"]), ("$$$x$$", ["$$$x$$"]), ("\\(a $b\\)", []),
        ("$a\nb$", ["$a\nb$"]), ("$a\n\nb$", []), ("\\[foo]", []), ("a$x$b", ["$x$"]), ("$$a$$$", ["$$a$$"]),
        ("\\(a\\\\)b\\)", ["\\(a\\\\)b\\)"]), ("\\[a\\\\]", ["\\[a\\\\]"]), ("$a\\\\$b$", ["$a\\\\$"]),
        ("\\\\(x\\\\)", []), ("$x$$$y$$", ["$x$", "$$y$$"]), ("$a $b$", ["$b$"]), ("\\( x \\)", ["\\( x \\)"]),
    ])
    func pandocRule(_ c: (String, [String])) {
        #expect(math(c.0) == c.1)
    }

    @Test func escapedBracketIsNoUnterminatedMath() {
        #expect(Document.parse(path: "t.md", bytes: Array("See \\[foo] and \\[bar\\].\n".utf8)).diagnostics.isEmpty)
    }

    /// Math is never looked for in any kind of link, and no mask byte reaches the page.
    @Test(arguments: [
        ("[a](http://example.com/$x$)", #"<p><a href="http://example.com/$x$">a</a></p>"#),
        ("[a](u \"$x$ t\")", #"<p><a href="u" title="$x$ t">a</a></p>"#),
        ("[link](\\(foo\\))", #"<p><a href="(foo)">link</a></p>"#),
        ("<http://example.com/$x$>", #"<p><a href="http://example.com/$x$">http://example.com/$x$</a></p>"#),
        ("[r]\n\n[r]: /u/$x$ \"$t$\"", #"<p><a href="/u/$x$" title="$t$">r</a></p>"#),
        ("![i](/p/$x$.png \"$y$\")", #"<p><img src="/p/$x$.png" alt="i" title="$y$"></p>"#),
        ("<span>$</span>5 and <span>$</span>10", "<p><!-- raw HTML omitted -->$<!-- raw HTML omitted -->5 and <!-- raw HTML omitted -->$<!-- raw HTML omitted -->10</p>"),
    ])
    func noMathInLinks(_ c: (String, String)) {
        let html = Conformance.lecternHTML(c.0 + "\n")
        #expect(html.trimmingCharacters(in: .newlines) == c.1)
        #expect(!html.unicodeScalars.contains { $0.value < 0x09 })
    }

    /// Emphasis next to math: as cmark-gfm puts it next to `$`.
    @Test(arguments: [
        ("_text_$x$", "<p><em>text</em><span class=\"math inline\">x</span></p>"),
        ("**$x$**y", "<p>**<span class=\"math inline\">x</span>**y</p>"),
        ("a*$x$*", "<p>a*<span class=\"math inline\">x</span>*</p>"),
    ])
    func emphasisNextToMath(_ c: (String, String)) throws {
        #expect(Conformance.lecternHTML(c.0 + "\n").trimmingCharacters(in: .newlines) == c.1)
        // The same with the span as a dollar, through cmark-gfm when it is here.
        guard Conformance.cmark != nil else { return }
        let dollar = c.0.replacingOccurrences(of: "$x$", with: "$")
        let expected = c.1.replacingOccurrences(of: "<span class=\"math inline\">x</span>", with: "$")
        #expect(try Conformance.reference(dollar + "\n").trimmingCharacters(in: .newlines) == expected)
    }

    @Test func footnotesAsCmarkGFM() throws {
        let text = "Text[^n] more[^n] and[^m].\n\n[^m]: Em.\n[^n]: The *note*.\n"
        let html = Conformance.lecternHTML(text)
        #expect(html.contains(##"<sup class="footnote-ref"><a href="#fn-n" id="fnref-n-2" data-footnote-ref>1</a></sup>"##))
        guard Conformance.missing == nil else { return }
        let both = try Conformance.normalised([Conformance.undecorated(html), try Conformance.reference(text)])
        #expect(both[0] == both[1])
    }

    /// Inline values in every Markdown context: what cmark-gfm (standing in for
    /// GitHub, raw HTML allowed) shows of the `.md` is the text of the page.
    @Test(arguments: ["~~struck~~", "&amp;", "$x^2$", "1. item", "- dash", "---", "a\nb", "a  \nb",
                      "http://e.org www.e.org a@b.org", "x | y", "*a* _b_ `c` [d](e) <f> #g :smile:", "=== 3) 2.5"])
    func inlineValuesShowAsOnThePage(_ value: String) throws {
        guard Conformance.missing == nil else { print("MarkdownRules.inlineValuesShowAsOnThePage skipped: \(Conformance.missing!)"); return }
        let contexts = ["`{swift} v`\n", "Prose `{swift} v` here.\n", "- item `{swift} v`\n",
                        "| a | b |\n|---|---|\n| `{swift} v` | 2 |\n", "## H `{swift} v`\n", "[`{swift} v`](u)\n",
                        "line\n`{swift} v`\n"]
        for context in contexts {
            let doc = Document.parse(path: "t.md", bytes: Array(context.utf8))
            var run = LectureRun.notRun(doc)
            run.inlines = [.value(value)]
            let md = MarkdownRenderer(document: doc, run: run, refs: CrossReferences(doc), figures: [],
                                      references: []).render()
            let page = HTMLRenderer(document: doc, run: run, refs: CrossReferences(doc)).body()
            let (data, _) = try Conformance.run(Conformance.cmark!, Conformance.cmarkArguments + ["--unsafe"], input: Data(md.utf8))
            let github = String(decoding: data, as: UTF8.self)
            #expect(Self.text(github) == Self.text(Conformance.undecorated(page)), "\(context.debugDescription) -> \(md.debugDescription)")
            #expect(Self.tags(github) == Self.tags(Conformance.undecorated(page).replacingOccurrences(of: "<span class=\"value\">", with: "").replacingOccurrences(of: "</span>", with: "")),
                    "\(context.debugDescription) -> \(md.debugDescription)")
        }
    }

    /// Text content with white space collapsed.
    static func text(_ html: String) -> String {
        // Inline spans join their text; other elements separate it.
        let noTags = html.replacingOccurrences(of: "</?span[^>]*>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        let decoded = noTags.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        return decoded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The element structure (tag names only), spans left out.
    static func tags(_ html: String) -> [String] {
        let re = try! NSRegularExpression(pattern: "</?([a-z0-9]+)")
        return re.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range, in: html).map { String(html[$0]) }
        }.filter { $0 != "<span" && $0 != "</span" }
    }
}
