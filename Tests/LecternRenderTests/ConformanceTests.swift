import Foundation
import Testing

/// Every example of cmark-gfm's own test files (`../shared/conformance/`),
/// through Lectern and through the `cmark-gfm` program in Lectern's
/// configuration. The expected HTML is cmark-gfm's, never Lectern's.
@Suite(.serialized) struct CmarkConformance {
    /// The examples where Lectern differs from cmark-gfm on purpose, each with
    /// its reason (docs/MARKDOWN.md says the same for authors). Any other
    /// difference fails the test, and so does an example listed here that
    /// agrees (the list must stay true).
    static let byDesign: [String: String] = [
        "spec.txt:66": "a `---` block at the very top is front matter (YAML), not a thematic break and a setext heading",
        "spec.txt:68": "a `---` block at the very top is front matter (YAML), not a thematic break and a setext heading",
        "spec.txt:308": "`\\[\\\\\\]` is display math `\\\\` (the `\\[...\\]` math syntax), not three escaped characters",
    ]

    static func allExamples() throws -> [Conformance.Example] {
        try Conformance.files.flatMap(Conformance.examples)
    }

    @Test func htmlAgreesWithCmarkGFM() throws {
        if let why = Conformance.missing {
            print("CmarkConformance.htmlAgreesWithCmarkGFM skipped: \(why)")
            return
        }
        let examples = try Self.allExamples()
        #expect(examples.count == 720)
        let expected = try Conformance.normalised(try Conformance.references(examples.map(\.markdown)))
        let actual = try Conformance.normalised(examples.map { Conformance.undecorated(Conformance.lecternHTML($0.markdown)) })
        var agree = 0
        var failures: [String] = []
        for (k, e) in examples.enumerated() {
            let same = expected[k] == actual[k]
            if same { agree += 1 }
            if same == (Self.byDesign[e.name] == nil) { continue }
            if same {
                failures.append("\(e.name) (line \(e.line)) is listed as differing by design but agrees")
            } else {
                failures.append("\(e.name) (line \(e.line), \(e.section))\n--- markdown\n\(e.markdown)--- cmark-gfm\n\(expected[k])\n--- lectern\n\(actual[k])\n")
            }
        }
        print("CmarkConformance: \(agree) of \(examples.count) examples agree with cmark-gfm; \(Self.byDesign.count) differ by design")
        #expect(failures.isEmpty, "\(failures.count) examples:\n\(failures.joined(separator: "\n"))")
    }

    /// The GFM output read by cmark-gfm means what the input read by cmark-gfm means.
    @Test func markdownOutputMeansTheSame() throws {
        if let why = Conformance.missing {
            print("CmarkConformance.markdownOutputMeansTheSame skipped: \(why)")
            return
        }
        let examples = try Self.allExamples()
        let outputs = examples.map { Conformance.lecternMarkdown($0.markdown) }
        let expected = try Conformance.normalised(try Conformance.references(examples.map(\.markdown)))
        let actual = try Conformance.normalised(try Conformance.references(outputs))
        var failures: [String] = []
        var identical = 0
        for (k, e) in examples.enumerated() {
            if outputs[k] == e.markdown { identical += 1 }
            let same = expected[k] == actual[k]
            if same == (Self.byDesign[e.name] == nil) { continue }
            if same {
                failures.append("\(e.name) (line \(e.line)) is listed as differing by design but its .md agrees")
            } else {
                failures.append("\(e.name) (line \(e.line))\n--- markdown\n\(e.markdown)--- .md\n\(outputs[k])--- cmark-gfm of the markdown\n\(expected[k])\n--- cmark-gfm of the .md\n\(actual[k])\n")
            }
        }
        print("CmarkConformance: \(identical) of \(examples.count) .md outputs are the input byte for byte")
        #expect(failures.isEmpty, "\(failures.count) examples:\n\(failures.joined(separator: "\n"))")
    }

    /// Every example's page passes the strict HTML5 parser with no control character.
    @Test func everyExamplePageIsValidHTML5() throws {
        if let why = Conformance.missing {
            print("CmarkConformance.everyExamplePageIsValidHTML5 skipped: \(why)")
            return
        }
        let pages = try Self.allExamples().map { ($0.name, Conformance.page(Conformance.lecternHTML($0.markdown))) }
        let problems = try Conformance.validationProblems(pages)
        #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(60).joined(separator: "\n"))")
    }
}

/// Every page of the built course (`Output/*.html`, as committed) passes the
/// strict HTML5 parser and holds no control character.
@Test func coursePagesAreValidHTML5() throws {
    guard Conformance.python != nil else {
        print("coursePagesAreValidHTML5 skipped: python3 is not installed (scripts/install-deps test)")
        return
    }
    let output = Conformance.repository.appendingPathComponent("Output")
    let names = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".html") }.sorted()
    #expect(!names.isEmpty)
    let pages = try names.map { ("Output/" + $0, try String(contentsOf: output.appendingPathComponent($0), encoding: .utf8)) }
    let problems = try Conformance.validationProblems(pages)
    #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(60).joined(separator: "\n"))")
}
