// `expect` (tolerance checks with the result recorded) and the claim rule.

/// The rule text stored in check records.
private func toleranceRule(rtol: Double, atol: Double) -> String {
    "|actual − expected| ≤ atol + rtol·|expected| (rtol \(Format.number(rtol)), atol \(Format.number(atol)))"
}

private func tolerances(_ rtol: Double, _ atol: Double) -> String {
    "(rtol \(Format.number(rtol)), atol \(Format.number(atol)))"
}

/// Whether `a` is within `atol + rtol·|e|` of `e`. NaN never passes; equal infinities pass.
public func isClose(_ a: Double, _ e: Double, rtol: Double = 1e-9, atol: Double = 1e-12) -> Bool {
    if a == e { return true }
    guard a.isFinite, e.isFinite else { return false }
    return Swift.abs(a - e) <= atol + rtol * Swift.abs(e)
}

/// Complex version: `|a − e| ≤ atol + rtol·|e|` with the modulus.
public func isClose(_ a: Complex<Double>, _ e: Complex<Double>, rtol: Double = 1e-9, atol: Double = 1e-12) -> Bool {
    if a == e { return true }
    guard a.isFinite, e.isFinite else { return false }
    return (a - e).length <= atol + rtol * e.length
}

/// The outcome of a comparison, before it is recorded.
public struct ExpectResult: Equatable, Sendable {
    public var passed: Bool
    public var message: String
    public var actual: String
    public var expected: String
    public var rule: String
}

/// Pure comparison functions behind `expect` (no record is emitted).
public enum Expectation {
    public static func compare(_ actual: Double, _ expected: Double, rtol: Double, atol: Double) -> ExpectResult {
        let ok = isClose(actual, expected, rtol: rtol, atol: atol)
        let a = ok ? Format.number(actual) : Format.distinguishing(actual, from: expected)
        let e = Format.number(expected)
        let msg = ok ? "\(a) ≈ \(e) \(tolerances(rtol, atol))"
                     : "expected \(e), got \(a) \(tolerances(rtol, atol))"
        return ExpectResult(passed: ok, message: msg, actual: a, expected: e, rule: toleranceRule(rtol: rtol, atol: atol))
    }

    public static func compare(_ actual: Complex<Double>, _ expected: Complex<Double>, rtol: Double, atol: Double) -> ExpectResult {
        let ok = isClose(actual, expected, rtol: rtol, atol: atol)
        let a = Format.complex(actual, digits: ok ? 6 : 10), e = Format.complex(expected)
        let msg = ok ? "\(a) ≈ \(e) \(tolerances(rtol, atol))"
                     : "expected \(e), got \(a) \(tolerances(rtol, atol))"
        return ExpectResult(passed: ok, message: msg, actual: a, expected: e, rule: toleranceRule(rtol: rtol, atol: atol))
    }

    public static func compare<T: Equatable & LecternFormattable>(exactly actual: T, _ expected: T) -> ExpectResult {
        let ok = actual == expected
        let a = actual.lecternText, e = expected.lecternText
        return ExpectResult(passed: ok, message: ok ? "\(a) == \(e)" : "expected \(e), got \(a)",
                            actual: a, expected: e, rule: "exact equality")
    }

    /// Elementwise comparison of lists (same length required).
    public static func compare(_ actual: [Double], _ expected: [Double], rtol: Double, atol: Double,
                               shapes: (String, String)? = nil) -> ExpectResult {
        let a = "[" + Format.numbers(actual).joined(separator: ", ") + "]"
        let e = "[" + Format.numbers(expected).joined(separator: ", ") + "]"
        let rule = toleranceRule(rtol: rtol, atol: atol) + ", elementwise"
        if let (sa, se) = shapes, sa != se {
            return ExpectResult(passed: false, message: "shape mismatch: expected \(se), got \(sa)",
                                actual: a, expected: e, rule: rule)
        }
        if actual.count != expected.count {
            return ExpectResult(passed: false,
                                message: "shape mismatch: expected length \(expected.count), got length \(actual.count)",
                                actual: a, expected: e, rule: rule)
        }
        var bad: [Int] = []
        for i in actual.indices where !isClose(actual[i], expected[i], rtol: rtol, atol: atol) { bad.append(i) }
        if bad.isEmpty {
            return ExpectResult(passed: true, message: "\(actual.count) entries ≈ expected \(tolerances(rtol, atol))",
                                actual: a, expected: e, rule: rule)
        }
        let i = bad[0]
        let where_ = shapes != nil ? "entry \(i)" : "index \(i)"
        return ExpectResult(passed: false,
                            message: "\(bad.count) of \(actual.count) entries differ; first at \(where_): expected \(Format.number(expected[i])), got \(Format.distinguishing(actual[i], from: expected[i])) \(tolerances(rtol, atol))",
                            actual: a, expected: e, rule: rule)
    }

    public static func compare(_ actual: Matrix, _ expected: Matrix, rtol: Double, atol: Double) -> ExpectResult {
        var r = compare(actual.rowArrays.flatMap { $0 }, expected.rowArrays.flatMap { $0 }, rtol: rtol, atol: atol,
                        shapes: (actual.shapeDescription, expected.shapeDescription))
        r.actual = actual.lecternText
        r.expected = expected.lecternText
        if !r.passed, actual.rows == expected.rows, actual.cols == expected.cols, actual.cols > 0,
           let range = r.message.range(of: "entry "),
           let idx = Int(r.message[range.upperBound...].prefix(while: \.isNumber)) {
            r.message = r.message.replacingOccurrences(of: "entry \(idx)",
                                                       with: "(\(idx / actual.cols), \(idx % actual.cols))")
        }
        return r
    }

    public static func compare(_ actual: [Complex<Double>], _ expected: [Complex<Double>], rtol: Double, atol: Double) -> ExpectResult {
        let a = "[" + Format.complexes(actual).joined(separator: ", ") + "]"
        let e = "[" + Format.complexes(expected).joined(separator: ", ") + "]"
        let rule = toleranceRule(rtol: rtol, atol: atol) + ", elementwise"
        if actual.count != expected.count {
            return ExpectResult(passed: false,
                                message: "shape mismatch: expected length \(expected.count), got length \(actual.count)",
                                actual: a, expected: e, rule: rule)
        }
        let bad = actual.indices.filter { !isClose(actual[$0], expected[$0], rtol: rtol, atol: atol) }
        if let i = bad.first {
            return ExpectResult(passed: false,
                                message: "\(bad.count) of \(actual.count) entries differ; first at index \(i): expected \(Format.complex(expected[i])), got \(Format.complex(actual[i], digits: 10)) \(tolerances(rtol, atol))",
                                actual: a, expected: e, rule: rule)
        }
        return ExpectResult(passed: true, message: "\(actual.count) entries ≈ expected \(tolerances(rtol, atol))",
                            actual: a, expected: e, rule: rule)
    }
}

/// Emits the check record of an outcome (used by `expect` and the worked-example directives).
func recordCheck(_ r: ExpectResult, _ file: String, _ line: Int, _ column: Int?) -> Bool {
    DisplayRuntime.emit(.check(.init(passed: r.passed, message: r.message, file: file, line: line, column: column,
                               actual: r.actual, expected: r.expected, rule: r.rule, out: -1)))
    return r.passed
}

/// Records whether `actual` is within `atol + rtol·|expected|` of `expected`. Returns the outcome.
@discardableResult
public func expect(_ actual: Double, _ expected: Double, rtol: Double = 1e-9, atol: Double = 1e-12,
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    recordCheck(Expectation.compare(actual, expected, rtol: rtol, atol: atol), file, line, column)
}

/// Integers compare exactly.
@discardableResult
public func expect(_ actual: Int, _ expected: Int,
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    recordCheck(Expectation.compare(exactly: actual, expected), file, line, column)
}

@discardableResult
public func expect(_ actual: Bool, _ expected: Bool,
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    recordCheck(Expectation.compare(exactly: actual, expected), file, line, column)
}

/// Records that `condition` holds; `message` says what was expected.
@discardableResult
public func expect(_ condition: Bool, _ message: String = "condition",
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    let r = ExpectResult(passed: condition, message: condition ? "\(message): holds" : "\(message): does not hold",
                         actual: condition ? "true" : "false", expected: "true", rule: "condition")
    return recordCheck(r, file, line, column)
}

@discardableResult
public func expect(_ actual: Complex<Double>, _ expected: Complex<Double>, rtol: Double = 1e-9, atol: Double = 1e-12,
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    recordCheck(Expectation.compare(actual, expected, rtol: rtol, atol: atol), file, line, column)
}

@discardableResult
public func expect(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-9, atol: Double = 1e-12,
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    recordCheck(Expectation.compare(actual, expected, rtol: rtol, atol: atol), file, line, column)
}

@discardableResult
public func expect(_ actual: Vector, _ expected: Vector, rtol: Double = 1e-9, atol: Double = 1e-12,
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    recordCheck(Expectation.compare(actual.elements, expected.elements, rtol: rtol, atol: atol), file, line, column)
}

@discardableResult
public func expect(_ actual: Matrix, _ expected: Matrix, rtol: Double = 1e-9, atol: Double = 1e-12,
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    recordCheck(Expectation.compare(actual, expected, rtol: rtol, atol: atol), file, line, column)
}

@discardableResult
public func expect(_ actual: [Complex<Double>], _ expected: [Complex<Double>], rtol: Double = 1e-9, atol: Double = 1e-12,
                   file: String = #filePath, line: Int = #line, column: Int = #column) -> Bool {
    recordCheck(Expectation.compare(actual, expected, rtol: rtol, atol: atol), file, line, column)
}

// MARK: - Claims

/// The claim rule: a number written in the prose (`literal`) holds for a
/// computed `value` when the value, rounded to the last decimal place the
/// author wrote, equals the literal:
/// `|value − literal| ≤ ½ · 10^(place of the last written digit)`
/// (plus a relative slack of 1e-12 for floating-point at the boundary).
///
/// `0.59` → tolerance 0.005; `2` → 0.5; `1.0e-3` → 0.05e-3; `3.14e5` → 500.
/// Trailing zeros of an integer without a point count as written (`1200` → 0.5).
public enum Claim {
    /// Parsed form of a literal.
    public struct Literal: Equatable, Sendable {
        public var value: Double
        /// Half a unit in the last written place.
        public var tolerance: Double
        /// Significant digits written.
        public var significantDigits: Int
    }

    /// Parses `0.59`, `-0.5`, `2`, `1.0e-3`, `3.14E+5`, `.5` (a leading `+`, `−` and `_` separators allowed).
    public static func parse(_ literal: String) -> Literal? {
        var s = literal.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "−", with: "-")
            .replacingOccurrences(of: "_", with: "")
        var negative = false
        if s.hasPrefix("-") { negative = true; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        var mantissa = s
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(s[..<e])
            guard let x = Int(s[s.index(after: e)...]) else { return nil }
            exponent = x
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let intPart = String(parts[0])
        let fracPart = parts.count == 2 ? String(parts[1]) : ""
        guard !(intPart.isEmpty && fracPart.isEmpty),
              (intPart + fracPart).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let v = Double((negative ? "-" : "") + (intPart.isEmpty ? "0" : intPart) + "." + (fracPart.isEmpty ? "0" : fracPart) + "e\(exponent)") else { return nil }
        let place = -fracPart.count + exponent
        let tol = 0.5 * pow10(place)
        // 1e400 overflows to infinity, which every value would be within; 1e-400 has no tolerance left.
        guard v.isFinite, tol.isFinite, tol > 0 else { return nil }
        let digits = (intPart + fracPart).drop(while: { $0 == "0" }).count
        return Literal(value: v, tolerance: tol, significantDigits: Swift.max(1, digits))
    }

    /// Checks `value` against `literal`. Pure.
    public static func check(value: Double, literal: String) -> (passed: Bool, message: String) {
        guard let lit = parse(literal) else {
            return (false, "claim ≈ \(literal): cannot read the number \(literal)")
        }
        let tolText = Format.number(lit.tolerance)
        guard value.isFinite else {
            return (false, "claim ≈ \(literal) does not hold: computed \(Format.number(value)) (needs |x − \(literal)| ≤ \(tolText))")
        }
        let slack = 1e-12 * Swift.max(Swift.abs(lit.value), lit.tolerance)
        let ok = Swift.abs(value - lit.value) <= lit.tolerance + slack
        // Enough digits that the printed value visibly agrees/disagrees with the literal.
        var d = Swift.min(17, lit.significantDigits + 2)
        var shown = Format.number(value, digits: d)
        while d < 17, let back = Double(shown), (Swift.abs(back - lit.value) <= lit.tolerance + slack) != ok {
            d += 1
            shown = Format.number(value, digits: d)
        }
        if ok { return (true, "claim ≈ \(literal) holds: computed \(shown)") }
        return (false, "claim ≈ \(literal) does not hold: computed \(shown) (needs |x − \(literal)| ≤ \(tolText))")
    }

    /// 10^n computed from an exact decimal string (so 0.5·10^-2 is the double nearest 0.005).
    static func pow10(_ n: Int) -> Double { Double("1e\(n)") ?? 0 }
}
