import Testing
@testable import LecternRender

@Suite struct MathMarkupTests {
    let page = Array("""
    <p>A <span class="math inline" data-at="12">w&lt;1</span> and</p>
    <figure class="cell" id="fig-decay">
    <div class="math display">\\frac{1}{2}</div>
    <figcaption><span class="math inline">w^t</span></figcaption>
    </figure>
    <p><span class="math display" data-at="99">x &amp; y</span><span class="math inline">unclosed
    """.utf8)

    @Test func findsEveryElementWithWhereItCameFrom() {
        let e = MathMarkup.elements(in: page)
        #expect(e.map(\.tex) == ["w<1", "\\frac{1}{2}", "w^t", "x & y"])
        #expect(e.map(\.display) == [false, true, false, true])
        #expect(e.map(\.block) == [false, true, false, false])
        #expect(e.map(\.sourceOffset) == [12, nil, nil, 99])
        #expect(e.map(\.cellAnchor) == [nil, "fig-decay", "fig-decay", nil])
    }

    @Test func spliceReplacesEachElementAndKeepsTheRest() {
        let e = MathMarkup.elements(in: page)
        let out = String(decoding: MathMarkup.splice(page, e, [.html("<b>K</b>"), .browser, .error("bad <tex>"), .browser]),
                         as: UTF8.self)
        #expect(out.contains("<p>A <span class=\"math inline\"><b>K</b></span> and</p>"))
        #expect(out.contains("<div class=\"math display\">\\frac{1}{2}</div>"))
        #expect(out.contains("<span class=\"math inline math-error\" role=\"note\"><code>w^t</code><span class=\"math-message\">bad &lt;tex&gt;</span></span>"))
        #expect(out.contains("<span class=\"math display\">x &amp; y</span>"))
        #expect(!out.contains("data-at"))
        #expect(out.hasSuffix("<span class=\"math inline\">unclosed"))
    }
}
