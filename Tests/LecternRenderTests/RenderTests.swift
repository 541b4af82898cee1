import Foundation
import Testing
@testable import LecternRender
import LecternResults
import LecternDocument

func lecture(_ s: String, path: String = "Lectures/01-demo.md") -> Document {
    Document.parse(path: path, bytes: Array(s.utf8))
}

func body(_ doc: Document) -> String {
    let r = HTMLRenderer(document: doc, run: .notRun(doc),
                         refs: CrossReferences(doc))
    return r.body()
}

/// Headings nested in quotes and lists take their anchors in document order,
/// repeats numbered on GitHub-style. Expected HTML written out by hand.
@Test func nestedHeadingsHaveUniqueAnchors() {
    func h2(_ id: String) -> String {
        "<h2 id=\"\(id)\">Part<a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a></h2>\n"
    }
    let doc = lecture("## Part\n\n> ## Part\n\n- item\n\n  ## Part\n\n## Part\n")
    #expect(body(doc) == h2("part") + "<blockquote>\n" + h2("part-1") + "</blockquote>\n"
        + "<ul>\n<li><p>item</p>\n" + h2("part-2") + "</li>\n</ul>\n" + h2("part-3"))
}

@Suite struct HTMLGolden {
    // Expected HTML written out by hand from the Markdown, not produced by the code.
    @Test func proseMathTablesAndLists() {
        let doc = lecture("""
        ## Powers of $W$

        A *small* weight $w<1$ & a **large** one, see [docs](https://example.org "Docs").
        Unsafe [link](javascript:alert(1)) and <b>raw</b>.

        | $L$ | bound |
        |:---|---:|
        | 1 | $a\\|b$ |

        1. [x] done
        2. two

        ```python
        print("<hi>")
        ```

        """)
        #expect(body(doc) == """
        <h2 id="powers-of-w">Powers of <span class="math inline">W</span><a class="anchor" href="#powers-of-w" aria-label="Link to this section">#</a></h2>
        <p>A <em>small</em> weight <span class="math inline">w&lt;1</span> &amp; a <strong>large</strong> one, see <a href="https://example.org" title="Docs">docs</a>.
        Unsafe <a>link</a> and <!-- raw HTML omitted -->raw<!-- raw HTML omitted -->.</p>
        <div class="table-wrap"><table>
        <thead>
        <tr><th style="text-align: left"><span class="math inline">L</span></th><th style="text-align: right">bound</th></tr>
        </thead>
        <tbody>
        <tr><td style="text-align: left">1</td><td style="text-align: right"><span class="math inline">a\\|b</span></td></tr>
        </tbody>
        </table></div>
        <ol class="tasks">
        <li class="task"><input type="checkbox" disabled checked> done
        </li>
        <li>two
        </li>
        </ol>
        <pre class="code"><code class="language-python">print(&quot;&lt;hi&gt;&quot;)
        </code></pre>

        """)
    }

    @Test func cellBeforeItRunsIsHighlightedCodeOnly() {
        let doc = lecture("""
        See @fig-decay.

        ```swift {#fig-decay caption="Decay of $w^t$"}
        let w = 0.5 // weight
        print("w = \\(w)")
        ```
        ```output
        w = 0.5
        ```

        """)
        #expect(body(doc) == """
        <p>See <a class="xref" href="#fig-decay">Figure 1</a>.</p>
        <figure class="cell" id="fig-decay">
        <pre class="code swift"><code class="language-swift"><span class="hl-k">let</span> w = <span class="hl-n">0.5</span> <span class="hl-c">// weight</span>
        <span class="hl-f">print</span>(<span class="hl-s">&quot;w = \\(w)&quot;</span>)
        </code></pre>
        <figcaption><span class="label">Figure 1</span>: Decay of <span class="math inline">w^t</span></figcaption>
        </figure>

        """)
    }

    @Test func printedTextIsEscaped() {
        #expect(CellOutputHTML.render(.text("<script>alert(1)</script>\n"))
                == "<pre class=\"stdout\">&lt;script&gt;alert(1)&lt;/script&gt;\n</pre>\n")
    }

    @Test func missingReferenceIsReportedAtItsLine() {
        let doc = lecture("Intro\n\nAs @fig-nowhere shows, and mail a@fig-x.org.\n")
        let r = LectureRenderer.render(doc, courseTitle: "C", previous: nil, next: nil)
        #expect(r.diagnostics.map(\.description) == [
            "Lectures/01-demo.md:3:4: warning: reference '@fig-nowhere' names no cell; name one with ```swift {#fig-nowhere}",
        ])
    }
}

@Suite struct MarkdownSplice {
    @Test func proseIsByteForByteAndOnlyCellsAndValuesChange() {
        let prose = "Keep *this* \\_as\\_ written: $a_1 \\| b$ and $$\\sum_i x_i$$, see @tbl-powers.\n\n"
        let src = "---\ntitle: Demo\n---\n\n" + prose
            + "```swift {#tbl-powers echo=false}\nprint(1)\n```\n```output\n1\n```\n\nValue `{swift} 2 * x` and claim `{swift} y ≈ 0.59`.\n"
        let doc = lecture(src)
        let md = MarkdownRenderer(document: doc, run: .notRun(doc), refs: CrossReferences(doc),
                                  figures: [],
                                  references: LectureRenderer.references(in: doc)).render()
        let expectedProse = prose.replacingOccurrences(of: "@tbl-powers", with: "[Table 1](#tbl-powers)")
        #expect(md == "# Demo\n\n" + expectedProse
                + "<a id=\"tbl-powers\"></a>\n\n**Table 1**\n\nValue `2 * x` and claim 0.59.\n")
    }

    @Test func crlfIsKept() {
        let src = "# T\r\n\r\n```swift\r\nlet x = 1\r\n```\r\n\r\nEnd\r\n"
        let doc = lecture(src)
        let md = MarkdownRenderer(document: doc, run: .notRun(doc), refs: CrossReferences(doc),
                                  figures: [],
                                  references: LectureRenderer.references(in: doc)).render()
        #expect(md == "# T\r\n\r\n```swift\r\nlet x = 1\r\n```\r\n\r\nEnd\r\n")
    }
}

@Suite struct Highlighting {
    @Test func tokens() {
        #expect(SwiftHighlighter.html("/* a /* b */ c */ let s = \"x\\\"y\" + 1e-3") ==
                "<span class=\"hl-c\">/* a /* b */ c */</span> <span class=\"hl-k\">let</span> s = <span class=\"hl-s\">&quot;x\\&quot;y&quot;</span> + <span class=\"hl-n\">1e-3</span>")
        #expect(SwiftHighlighter.html("@MainActor func f(_ m: Matrix)") ==
                "<span class=\"hl-a\">@MainActor</span> <span class=\"hl-k\">func</span> <span class=\"hl-f\">f</span>(_ m: <span class=\"hl-t\">Matrix</span>)")
    }
}

@Suite struct EscapingTests {
    @Test func controlCharactersBecomeVisibleInHTML() {
        #expect(escapeHTML("a\u{0}b\u{1B}[0m\u{7F}\t\n") == "a\u{2400}b\u{241B}[0m\u{2421}\t\n")
        #expect(escapeHTML("<\u{8}>") == "&lt;\u{2408}&gt;")
    }

    @Test func figureLinksAreEncoded() {
        #expect(percentEncodedPath("my lecture/fig-a-1.svg") == "my%20lecture/fig-a-1.svg")
        #expect(percentEncodedPath("φ/x(1).svg") == "%CF%86/x%281%29.svg")
    }
}
