import Foundation

/// How close a computed number must be to the one written: the numpy
/// `isclose` rule, |actual − expected| ≤ atol + rtol·|expected|.
public struct Tolerance: Equatable, Sendable {
    public var rtol: Double
    public var atol: Double

    public static let `default` = Tolerance(rtol: 1e-9, atol: 1e-12)

    public init(rtol: Double, atol: Double) {
        self.rtol = rtol
        self.atol = atol
    }

    public func accepts(expected e: Double, actual a: Double) -> Bool {
        if e == a { return true }  // also equal infinities
        if e.isNaN || a.isNaN { return e.isNaN && a.isNaN }
        if e.isInfinite || a.isInfinite { return false }
        return abs(a - e) <= atol + rtol * abs(e)
    }

    /// The rule as the diagnostic states it, e.g. `rtol 1e-09, atol 1e-12`.
    public var description: String { "rtol \(short(rtol)), atol \(short(atol))" }

    /// Why two numbers failed: which bound they broke.
    public func explain(expected e: Double, actual a: Double) -> String {
        if e.isNaN || a.isNaN || e.isInfinite || a.isInfinite { return "not equal" }
        let diff = abs(a - e), allowed = atol + rtol * abs(e)
        let rule = rtol * abs(e) >= atol ? "rtol \(short(rtol))" : "atol \(short(atol))"
        return "\(rule): |difference| \(short(diff)) > allowed \(short(allowed))"
    }
}

func short(_ x: Double) -> String {
    if x == 0 { return "0" }
    let s = String(format: "%.3g", x)
    return s
}

/// Compares an `output` block with what a cell printed: both texts are cut
/// into numbers and other text; numbers must agree within the tolerance,
/// other text exactly, trailing white space ignored. White space next to a
/// number only has to be present on both sides, so columns that a longer or
/// shorter number re-aligned still match. Pipe-table rows compare cell by cell.
public enum NumberAwareComparison {
    public struct Mismatch: Equatable, Sendable {
        /// 0-based line in the expected text, and 1-based byte column in it.
        public var line: Int
        public var column: Int
        /// One-line summary: `expected 2, got 2.0001 (rtol 1e-09: …)`.
        public var message: String
        /// A line diff when the texts differ in more than one number (empty otherwise).
        public var diff: [String]
    }

    public static func compare(expected: String, actual: String, tolerance: Tolerance) -> Mismatch? {
        let e = lines(expected), a = lines(actual)
        var firstText: (line: Int, column: Int)?
        var numberMismatch: Mismatch?
        var differing = 0
        for i in 0..<max(e.count, a.count) {
            guard i < e.count, i < a.count else { differing += 1; firstText = firstText ?? (min(i, e.count), 1); continue }
            switch compareLine(e[i], a[i], tolerance) {
            case .same: continue
            case .number(let column, let message):
                differing += 1
                if numberMismatch == nil { numberMismatch = Mismatch(line: i, column: column, message: message, diff: []) }
            case .text(let column):
                differing += 1
                if firstText == nil { firstText = (i, column) }
            }
        }
        if differing == 0 { return nil }
        let diff = differing > 1 || e.count != a.count || e.count > 1 ? lineDiff(e, a) : []
        if let m = numberMismatch, firstText == nil {
            return Mismatch(line: m.line, column: m.column, message: m.message, diff: differing > 1 ? diff : [])
        }
        let (line, column) = firstText!
        var message: String
        if e.count != a.count {
            message = "output differs: expected \(e.count) line\(e.count == 1 ? "" : "s"), got \(a.count)"
        } else if e.count == 1 {
            message = "output differs: expected \"\(e[0])\", got \"\(a[0])\""
        } else {
            message = "output differs at line \(line + 1) of the block"
        }
        if let m = numberMismatch { message += "; also \(m.message)" }
        return Mismatch(line: line, column: column, message: message, diff: diff)
    }

    /// Lines with trailing white space removed, trailing empty lines dropped.
    static func lines(_ text: String) -> [String] {
        var out = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var s = Substring(line)
            while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
            return String(s)
        }
        while out.last == "" { out.removeLast() }
        return out
    }

    enum LineResult: Equatable {
        case same
        case number(column: Int, message: String)
        case text(column: Int)
    }

    static func compareLine(_ e: String, _ a: String, _ tol: Tolerance) -> LineResult {
        if e == a { return .same }
        if let ec = tableCells(e), let ac = tableCells(a) {
            guard ec.count == ac.count else { return .text(column: 1) }
            for (x, y) in zip(ec, ac) {
                let r = compareTokens(x.text, y.text, tol)
                switch r {
                case .same: continue
                case .number(let c, let m): return .number(column: x.column + c - 1, message: m)
                case .text(let c): return .text(column: x.column + c - 1)
                }
            }
            return .same
        }
        return compareTokens(e, a, tol)
    }

    /// Cells of a pipe-table row `| a | b |`, trimmed, with their 1-based byte
    /// columns. A separator row keeps only its alignment colons, so the dash
    /// count (column width) does not matter.
    static func tableCells(_ line: String) -> [(text: String, column: Int)]? {
        let bytes = Array(line.utf8)
        guard bytes.first == UInt8(ascii: "|"), bytes.count >= 2, bytes.last == UInt8(ascii: "|") else { return nil }
        var cells: [(String, Int)] = []
        var start = 1, i = 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            if bytes[i] == UInt8(ascii: "|") {
                var lo = start, hi = i
                while lo < hi, bytes[lo] == UInt8(ascii: " ") { lo += 1 }
                while hi > lo, bytes[hi - 1] == UInt8(ascii: " ") { hi -= 1 }
                var text = String(decoding: bytes[lo..<hi], as: UTF8.self)
                if !text.isEmpty, text.allSatisfy({ $0 == "-" || $0 == ":" }), text.contains("-") {
                    text = (text.hasPrefix(":") ? ":" : "") + "-" + (text.hasSuffix(":") && text.count > 1 ? ":" : "")
                }
                cells.append((text, lo + 1))
                start = i + 1
            }
            i += 1
        }
        return cells
    }

    enum Token: Equatable {
        case number(Double, text: String, column: Int)
        case space(String, column: Int)
        case text(String, column: Int)
        var column: Int {
            switch self { case .number(_, _, let c), .space(_, let c), .text(_, let c): c }
        }
        var isNumber: Bool { if case .number = self { true } else { false } }
    }

    static func compareTokens(_ e: String, _ a: String, _ tol: Tolerance) -> LineResult {
        if e == a { return .same }
        let et = tokens(e), at = tokens(a)
        var numberFailure: LineResult?
        for k in 0..<max(et.count, at.count) {
            guard k < et.count else { return .text(column: (e.utf8.count) + 1) }
            guard k < at.count else { return .text(column: et[k].column) }
            switch (et[k], at[k]) {
            case let (.number(x, xs, c), .number(y, ys, _)):
                if !tol.accepts(expected: x, actual: y), numberFailure == nil {
                    numberFailure = .number(column: c, message: "expected \(xs), got \(ys) (\(tol.explain(expected: x, actual: y)))")
                }
            case let (.space(x, c), .space(y, _)):
                let nearNumber = (k > 0 && et[k - 1].isNumber) || (k + 1 < et.count && et[k + 1].isNumber)
                    || (k > 0 && at[k - 1].isNumber) || (k + 1 < at.count && at[k + 1].isNumber)
                if !nearNumber && x != y { return .text(column: c) }
            case let (.text(x, c), .text(y, _)):
                if x != y { return .text(column: c + commonPrefix(x, y)) }
            default:
                return .text(column: et[k].column)
            }
        }
        return numberFailure ?? .same
    }

    private static func commonPrefix(_ x: String, _ y: String) -> Int {
        zip(x.utf8, y.utf8).prefix { $0 == $1 }.count
    }

    /// Numbers (`-1.5e-3`, `.5`, `42`), runs of white space, and other text.
    /// A digit right after a letter or `_` belongs to a name (`h1`, `W_2`);
    /// a sign is part of a number only where it cannot be an operator.
    static func tokens(_ s: String) -> [Token] {
        let b = Array(s.utf8)
        var out: [Token] = []
        var i = 0, textStart = 0
        func isDigit(_ k: Int) -> Bool { k < b.count && b[k] >= 48 && b[k] <= 57 }
        func isWordByte(_ c: UInt8) -> Bool {
            (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c >= 0x80
        }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 }
        func flushText(_ upTo: Int) {
            if upTo > textStart {
                out.append(.text(String(decoding: b[textStart..<upTo], as: UTF8.self), column: textStart + 1))
            }
        }
        while i < b.count {
            if isSpace(b[i]) {
                flushText(i)
                let start = i
                while i < b.count, isSpace(b[i]) { i += 1 }
                out.append(.space(String(decoding: b[start..<i], as: UTF8.self), column: start + 1))
                textStart = i
                continue
            }
            let prev: UInt8? = i > 0 ? b[i - 1] : nil
            let afterName = prev.map { isWordByte($0) || ($0 >= 48 && $0 <= 57) || $0 == 46 } ?? false
            var j = i
            if (b[i] == 45 || b[i] == 43), !(prev.map { isWordByte($0) || ($0 >= 48 && $0 <= 57) || $0 == 41 || $0 == 93 } ?? false) {
                j += 1  // a sign where no operand precedes it
            }
            let startsNumber = !afterName && (isDigit(j) || (j < b.count && b[j] == 46 && isDigit(j + 1)))
            if !startsNumber { i += 1; continue }
            var k = j
            while isDigit(k) { k += 1 }
            if k < b.count, b[k] == 46, isDigit(k + 1) || k > j { k += 1; while isDigit(k) { k += 1 } }
            if k < b.count, b[k] == 101 || b[k] == 69 {
                var m = k + 1
                if m < b.count, b[m] == 45 || b[m] == 43 { m += 1 }
                if isDigit(m) { k = m; while isDigit(k) { k += 1 } }
            }
            // A number glued to a following letter is part of a word (`3rd`, `2x`), except `i` of a complex number.
            if k < b.count, isWordByte(b[k]), !(b[k] == 105 && !(k + 1 < b.count && isWordByte(b[k + 1]))) {
                i = k; continue
            }
            let text = String(decoding: b[i..<k], as: UTF8.self)
            guard let value = Double(text) else { i = k; continue }
            flushText(i)
            out.append(.number(value, text: text, column: i + 1))
            i = k
            textStart = k
        }
        flushText(b.count)
        return out
    }

    /// A minimal line diff (longest common subsequence): `- expected`, `+ actual`, `  same`.
    static func lineDiff(_ e: [String], _ a: [String]) -> [String] {
        let n = e.count, m = a.count
        guard n * m <= 4_000_000 else {
            return e.map { "- " + $0 } + a.map { "+ " + $0 }
        }
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = e[i] == a[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, e[i] == a[j] { out.append("  " + e[i]); i += 1; j += 1 }
            else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] { out.append("+ " + a[j]); j += 1 }
            else { out.append("- " + e[i]); i += 1 }
        }
        return out
    }
}
