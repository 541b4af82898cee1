import Testing
@testable import LecternDocument

/// Explorable params in the front matter: the values a reader can pick, and
/// every bad input a diagnostic at its line.
@Suite struct ExplorableParams {
    func parse(_ params: String, extra: String = "") -> Document {
        Document.parse(path: "L/02-x.md", bytes: Array("---\ntitle: X\n\(extra)params:\n\(params)---\n# X\n".utf8))
    }

    func error(_ params: String, extra: String = "") -> Diagnostic? {
        parse(params, extra: extra).diagnostics.first { $0.severity == .error }
    }

    @Test func valuesRangesBoolsAndStrings() {
        let doc = parse("""
          rho: {value: 0.9, values: [0.5, 0.9, 1, 1.1, 1.5], label: "spectral radius ρ"}
          steps: {value: 30, range: [10, 100], step: 10}
          tau: {value: 0.3, range: [0.1, 0.5], step: 0.1}
          clip: {value: true}
          mode: {value: "tanh", values: ["tanh", "relu"]}
          plain: 2

        """, extra: "explore: {limit: 1000}\n")
        #expect(doc.diagnostics.isEmpty, "\(doc.diagnostics)")
        let p = doc.frontMatter.params
        #expect(p[0].explore == Explorable(values: [.double(0.5), .double(0.9), .double(1), .double(1.1), .double(1.5)],
                                           control: .choice, label: "spectral radius ρ"))
        #expect(p[1].explore?.values == stride(from: 10, through: 100, by: 10).map { .int($0) })
        #expect(p[1].explore?.control == .range && p[1].value == .int(30))
        // Rounded to the decimals written: 0.1 + 2 × 0.1 is 0.3, not 0.30000000000000004.
        #expect(p[2].explore?.values == [.double(0.1), .double(0.2), .double(0.3), .double(0.4), .double(0.5)])
        #expect(p[3].explore == Explorable(values: [.bool(false), .bool(true)], control: .checkbox))
        #expect(p[4].explore?.values == [.string("tanh"), .string("relu")])
        #expect(p[5].explore == nil)
        #expect(FrontMatter.combinationCount(p) == 5 * 10 * 5 * 2 * 2)
    }

    @Test func combinationsEnumerateEveryValueAndFindTheDefault() {
        let doc = parse("  a: {value: 2, values: [1, 2]}\n  b: {value: x, values: [x, y, z]}\n  c: 7\n",
                        extra: "explore: {limit: 10}\n")
        #expect(doc.diagnostics.isEmpty, "\(doc.diagnostics)")
        let (all, d) = FrontMatter.combinations(doc.frontMatter.params)
        #expect(all.map(\.label) == ["a=1, b=x", "a=1, b=y", "a=1, b=z", "a=2, b=x", "a=2, b=y", "a=2, b=z"])
        #expect(d == 3)
        #expect(all[5].params.map(\.value) == [.int(2), .string("z"), .int(7)])
        // No explorable param: one combination, the params as given.
        let plain = FrontMatter.combinations([Param(name: "k", value: .int(1), line: 3)])
        #expect(plain.all.count == 1 && plain.defaultIndex == 0 && plain.all[0].label == "")
    }

    @Test func badInputIsAnErrorAtItsLine() {
        // Line 4 is the first param (---, title, params:, then the params).
        let cases: [(String, String, Int)] = [
            ("  rho: {value: 0.9, values: [0.5, \"a\"]}\n", "the entries of 'values' have different types", 4),
            ("  n: {value: 3, values: [1.5, 3]}\n", "1.5 in 'values' is a Double, but 'value' (3) is an Int", 4),
            ("  s: {value: 1, range: [0, 10], step: 0}\n", "'step' must be a number greater than 0", 4),
            ("  s: {value: 1, range: [0, 10], step: -2}\n", "'step' must be a number greater than 0", 4),
            ("  s: {value: 0, range: [0, 10], step: 3}\n", "step 3 does not divide the range [0, 10]", 4),
            ("  x: 1\n  rho: {value: 0.7, values: [0.5, 0.9]}\n", "the default 0.7 is not among its values (0.5, 0.9)", 5),
            ("  rho: {value: 0.5}\n", "lists no 'values'", 4),
            ("  rho: {values: [1, 2]}\n", "needs a default", 4),
            ("  rho: {value: 1, values: [1, 2], colour: red}\n", "unknown key 'colour'", 4),
            ("  rho: {value: 1, values: [1, 1]}\n", "1 is in 'values' twice", 4),
            ("  m: {value: a, range: [0, 1], step: 1}\n", "'range' needs a number 'value'", 4),
        ]
        for (params, message, line) in cases {
            let d = error(params)
            #expect(d?.message.contains(message) == true, "\(params): \(String(describing: d))")
            #expect(d?.line == line, "\(params): \(String(describing: d))")
            #expect((d?.column ?? 0) > 0, "\(params)")
        }
    }

    @Test func tooManyCombinationsSaysHowManyAtTheParamsLine() {
        let params = "  a: {value: 1, range: [1, 10], step: 1}\n  b: {value: 1, range: [1, 10], step: 1}\n"
        let d = error(params)
        #expect(d?.line == 3)
        #expect(d?.message.contains("make 100 combinations (a (10) × b (10)), more than the limit of 64") == true, "\(String(describing: d))")
        #expect(d?.message.contains("explore: {limit: 100}") == true)
        #expect(parse(params, extra: "explore: {limit: 100}\n").diagnostics.isEmpty)
        #expect(error(params, extra: "explore: {limit: 0}\n")?.message.contains("at least 1") == true)
    }
}
