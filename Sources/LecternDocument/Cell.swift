import Foundation

/// Options a cell's info string can carry: ```` ```swift {#id echo=false caption="..."} ````.
public struct CellOptions: Equatable, Hashable, Sendable {
    public var eval = true
    public var echo = true
    public var output = true
    public var error = false
    public var caption: String?
    public var rtol: Double?
    public var atol: Double?

    public init() {}

    static let known = ["eval", "echo", "output", "error", "caption", "rtol", "atol"]
}

/// A fenced `swift` block: code the lecture program runs.
public struct Cell: Equatable, Sendable {
    /// Position among the document's cells, from 0.
    public var index: Int
    /// `#name` from the attributes: anchors, cross-references, messages.
    public var id: String?
    public var options: CellOptions
    public var code: String
    /// Line of the opening fence.
    public var fenceLine: Int
    /// Line of the closing fence (the last line of the file when never closed).
    public var endLine: Int
    /// Bytes of the whole fenced block, fences included, up to the end of its last line.
    public var range: Range<Int>
    /// The `output` block right after the cell, if any.
    public var expected: OutputBlock?

    /// First line of code (the line after the fence).
    public var firstCodeLine: Int { fenceLine + 1 }
    /// A name for messages: `#id` or `cell N`.
    public var label: String { id.map { "#\($0)" } ?? "cell \(index + 1)" }
    /// The cell's HTML id and figure-file prefix: `id`, else `cell-N`.
    public var anchor: String { id ?? "cell-\(index + 1)" }
}

/// A fenced block with info string `output`: what the cell above must print.
public struct OutputBlock: Equatable, Sendable {
    public var text: String
    public var fenceLine: Int
    public var endLine: Int
    /// Bytes of the whole block, fences included.
    public var range: Range<Int>
    /// Bytes between the fences (the part `check --update` rewrites).
    public var contentRange: Range<Int>
}

/// An inline `` `{swift} expr` `` span: a value, or a claim `expr ≈ literal`.
public struct InlineCode: Equatable, Sendable {
    public var index: Int
    public var expression: String
    /// The author's literal of a claim (`0.59` in `{swift} x ≈ 0.59`).
    public var claim: String?
    public var line: Int
    public var column: Int
    /// Bytes of the whole code span, backticks included.
    public var range: Range<Int>
}

/// Parses the attribute list of a cell's info string.
enum AttributeParser {
    struct Result {
        var id: String?
        var options = CellOptions()
        var diagnostics: [Diagnostic] = []
    }

    /// - Parameters:
    ///   - text: the info string after the language word (may start with spaces).
    ///   - column: 1-based byte column of `text`'s first byte in the fence line.
    static func parse(_ text: String, file: String, line: Int, column: Int) -> Result {
        var r = Result()
        let b = Array(text.utf8)
        var i = 0
        func col(_ k: Int) -> Int { column + k }
        func error(_ k: Int, _ msg: String) {
            r.diagnostics.append(Diagnostic(.error, file: file, line: line, column: col(k), msg))
        }
        func skipSpace() { while i < b.count && (b[i] == 0x20 || b[i] == 0x09) { i += 1 } }
        func isNameByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".")
                || c >= 0x80
        }
        skipSpace()
        if i == b.count { return r }
        guard b[i] == UInt8(ascii: "{") else {
            error(i, "cell attributes must be written in braces, e.g. ```swift {#name echo=false}")
            return r
        }
        i += 1
        var seen = Set<String>()
        while true {
            skipSpace()
            guard i < b.count else { error(i, "attribute list is not closed: expected '}'"); return r }
            let c = b[i]
            if c == UInt8(ascii: "}") {
                i += 1
                skipSpace()
                if i < b.count { error(i, "unexpected text after the attribute list") }
                return r
            }
            if c == UInt8(ascii: "#") {
                let start = i + 1
                i += 1
                while i < b.count && isNameByte(b[i]) { i += 1 }
                if i == start { error(start - 1, "expected a name after '#'"); return r }
                if r.id != nil { error(start - 1, "a cell has one id; '#\(String(decoding: b[start..<i], as: UTF8.self))' is a second") }
                r.id = String(decoding: b[start..<i], as: UTF8.self)
                continue
            }
            if c == UInt8(ascii: ".") {  // a class: accepted and ignored, as in Pandoc attributes
                i += 1
                while i < b.count && isNameByte(b[i]) { i += 1 }
                continue
            }
            let keyStart = i
            while i < b.count && isNameByte(b[i]) && b[i] != UInt8(ascii: "=") { i += 1 }
            if i == keyStart { error(i, "unexpected character '\(String(decoding: [b[i]], as: UTF8.self))' in attributes"); return r }
            let key = String(decoding: b[keyStart..<i], as: UTF8.self)
            guard i < b.count && b[i] == UInt8(ascii: "=") else {
                error(i, "expected '=' after '\(key)' (write \(key)=value)")
                return r
            }
            i += 1
            guard i < b.count else { error(i, "expected a value after '\(key)='"); return r }
            let valueStart = i
            var value = ""
            if b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                let quote = b[i]
                i += 1
                var bytes: [UInt8] = []
                var closed = false
                while i < b.count {
                    // Only \" and \\ are escapes: other backslashes stay, so TeX survives.
                    if b[i] == UInt8(ascii: "\\") && i + 1 < b.count && (b[i + 1] == quote || b[i + 1] == UInt8(ascii: "\\")) {
                        bytes.append(b[i + 1]); i += 2; continue
                    }
                    if b[i] == quote { closed = true; i += 1; break }
                    bytes.append(b[i]); i += 1
                }
                if !closed { error(valueStart, "quoted value of '\(key)' is never closed"); return r }
                value = String(decoding: bytes, as: UTF8.self)
            } else {
                while i < b.count && b[i] != 0x20 && b[i] != 0x09 && b[i] != UInt8(ascii: "}") { i += 1 }
                value = String(decoding: b[valueStart..<i], as: UTF8.self)
                if value.isEmpty { error(valueStart, "expected a value after '\(key)='"); return r }
            }
            if seen.contains(key) {
                r.diagnostics.append(Diagnostic(.warning, file: file, line: line, column: col(keyStart), "option '\(key)' is given twice; the last one wins"))
            }
            seen.insert(key)
            apply(key, value, at: col(keyStart), valueColumn: col(valueStart), file: file, line: line, into: &r)
        }
    }

    static func apply(_ key: String, _ value: String, at column: Int, valueColumn: Int,
                      file: String, line: Int, into r: inout Result) {
        func bool() -> Bool? {
            switch value {
            case "true", "TRUE", "True": return true
            case "false", "FALSE", "False": return false
            default:
                r.diagnostics.append(Diagnostic(.error, file: file, line: line, column: valueColumn,
                                                "option '\(key)' takes true or false, not '\(value)'"))
                return nil
            }
        }
        func number() -> Double? {
            if let d = Double(value), d >= 0 { return d }
            r.diagnostics.append(Diagnostic(.error, file: file, line: line, column: valueColumn,
                                            "option '\(key)' takes a non-negative number, not '\(value)'"))
            return nil
        }
        switch key {
        case "eval": if let v = bool() { r.options.eval = v }
        case "echo": if let v = bool() { r.options.echo = v }
        case "output": if let v = bool() { r.options.output = v }
        case "error": if let v = bool() { r.options.error = v }
        case "caption": r.options.caption = value
        case "rtol": if let v = number() { r.options.rtol = v }
        case "atol": if let v = number() { r.options.atol = v }
        default:
            let hint = CellOptions.known.min { editDistance($0, key) < editDistance($1, key) }
                .flatMap { editDistance($0, key) <= 2 ? " (did you mean '\($0)'?)" : nil } ?? ""
            r.diagnostics.append(Diagnostic(.warning, file: file, line: line, column: column,
                                            "unknown cell option '\(key)'\(hint); ignored"))
        }
    }
}

/// Splits `{swift} expr ≈ literal` into expression and claim literal.
public enum InlineParser {
    static func split(_ body: String) -> (expression: String, claim: String?) {
        // The last separator splits (an expression may itself hold `≈` in a string).
        let bytes = Array(body.utf8)
        for sep in [Array("≈".utf8), Array("~=".utf8)] where bytes.count >= sep.count {
            for k in stride(from: bytes.count - sep.count, through: 0, by: -1) where bytes[k..<(k + sep.count)].elementsEqual(sep) {
                return (String(decoding: bytes[..<k], as: UTF8.self).trimmed,
                        String(decoding: bytes[(k + sep.count)...], as: UTF8.self).trimmed)
            }
        }
        return (body.trimmed, nil)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line endings.
    public var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
