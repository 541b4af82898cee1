import Testing
@testable import LecternDocument

@Suite struct FrontMatterParsing {
    func parse(_ s: String) -> Document { Document.parse(path: "L/02-x.md", bytes: Array(s.utf8)) }

    @Test func allKeys() {
        let doc = parse("""
        ---
        title: "Spectral view"
        subtitle: Eigenvalues
        order: 3
        params:
          theta: 0.5
          L: 20
          name: "Q"
          clip: true
        timeout: 30
        rtol: 1e-6
        atol: 0
        ---
        # Body

        """)
        #expect(doc.diagnostics.isEmpty)
        let fm = doc.frontMatter
        #expect(fm.title == "Spectral view" && fm.subtitle == "Eigenvalues" && fm.order == 3)
        #expect(fm.params.map(\.name) == ["theta", "L", "name", "clip"])
        #expect(fm.params.map(\.value) == [.double(0.5), .int(20), .string("Q"), .bool(true)])
        #expect(fm.timeout == 30 && fm.rtol == 1e-6 && fm.atol == 0)
        #expect(doc.order == 3)
        #expect(doc.headings.first?.line == 14)  // line numbers survive the front matter
    }

    @Test func orderDefaultsToTheFileNumber() {
        #expect(parse("# A\n").order == 2)
    }

    @Test func invalidYAMLPointsAtTheLine() {
        let d = parse("---\ntitle: [unclosed\n---\n").diagnostics
        #expect(d.count == 1)
        #expect(d[0].severity == .error && d[0].line >= 2 && d[0].line <= 3)
        #expect(d[0].message.hasPrefix("invalid YAML in front matter"))
    }

    @Test func unknownKeyWithSuggestion() {
        let d = parse("---\ntitle: A\nsubtitel: B\n---\n").diagnostics.map(\.description)
        #expect(d == ["L/02-x.md:3:1: error: unknown front matter key 'subtitel' (did you mean 'subtitle'?); known keys: title, subtitle, order, params, timeout, rtol, atol, explore"])
    }

    @Test func wrongTypes() {
        let d = parse("---\norder: first\ntimeout: soon\nparams:\n  ok: 1\n  bad: [1, 2]\n---\n").diagnostics.map(\.description)
        #expect(d == [
            "L/02-x.md:2:8: error: 'order' must be an integer, got 'first'",
            "L/02-x.md:3:10: error: 'timeout' must be a number of seconds, at least 0.1, got 'soon'",
            "L/02-x.md:6:8: error: parameter 'bad' must be a number, string or bool, or an explorable {value:, values:} / {value:, range:, step:}, got a list",
        ])
    }

    @Test func aZeroTimeoutAndAKeywordParameterAreRefusedAtTheirLines() {
        let d = parse("---\ntimeout: 0\nparams:\n  guard: 1\n  rho: 0.9\n---\n").diagnostics.map(\.description)
        #expect(d == [
            "L/02-x.md:2:10: error: 'timeout' must be a number of seconds, at least 0.1, got '0'",
            "L/02-x.md:4:3: error: parameter name 'guard' is a Swift keyword; choose another name",
        ])
    }

    @Test func aByteOrderMarkDoesNotHideTheFrontMatter() {
        let doc = Document.parse(path: "L/02-x.md", bytes: [0xEF, 0xBB, 0xBF] + Array("---\ntitle: With BOM\n---\n\n# Body\n".utf8))
        #expect(doc.diagnostics.isEmpty)
        #expect(doc.frontMatter.title == "With BOM")
        #expect(doc.headings.map(\.text) == ["Body"])
    }

    @Test func unclosedFrontMatter() {
        let d = parse("---\ntitle: A\n\nBody\n").diagnostics.map(\.description)
        #expect(d == ["L/02-x.md:1:1: error: front matter opened with '---' is never closed (expected a line '---')"])
    }

    @Test func paramOverrideTypeCheck() {
        #expect(ParamValue.parse("0.7", as: .double(0.5)) == .double(0.7))
        #expect(ParamValue.parse("3", as: .double(0.5)) == .double(3))
        #expect(ParamValue.parse("3.5", as: .int(2)) == nil)
        #expect(ParamValue.parse("yes", as: .bool(false)) == .bool(true))
        #expect(ParamValue.parse("x", as: .double(1)) == nil)
    }
}

@Suite struct BadInput {
    @Test func nonUTF8IsRepairedAndReported() {
        var bytes = Array("# T\n\nok\n".utf8)
        bytes += [0xFF, 0xFE, 0x0A]
        let doc = Document.parse(path: "b.md", bytes: bytes)
        #expect(doc.diagnostics.map(\.description) == ["b.md:4: warning: file is not valid UTF-8; invalid bytes are shown as U+FFFD"])
        #expect(doc.source.text.contains("\u{FFFD}"))
    }

    @Test func emptyFile() {
        let doc = Document.parse(path: "e.md", bytes: [])
        #expect(doc.blocks.isEmpty)
        #expect(doc.diagnostics.map(\.description) == ["e.md: warning: lecture is empty"])
    }

    @Test func tenMegabytes() {
        let para = "Some prose with $x_1$ math and `{swift} 1` values, **bold** and a [link](https://example.org).\n\n"
        let big = String(repeating: para, count: 10_000_000 / para.utf8.count)
        let doc = Document.parse(path: "big.md", bytes: Array(big.utf8))
        #expect(doc.math.count == doc.inlines.count)
        #expect(doc.blocks.count == 10_000_000 / para.utf8.count)
    }
}
