import LecternResults
/// Server-side Swift syntax highlighting: code is coloured at build time, so
/// pages need no script for it, print highlighted, and stay byte-deterministic.
public enum SwiftHighlighter {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while",
        "as", "catch", "false", "is", "nil", "self", "Self", "super", "throw", "throws", "true", "try",
        "async", "await", "some", "any", "mutating", "nonmutating", "lazy", "weak", "override", "final",
        "convenience", "required", "indirect", "borrowing", "consuming", "nonisolated", "actor",
    ]

    /// HTML for `code`, with tokens wrapped in `<span class="hl-X">`.
    public static func html(_ code: String) -> String {
        let s = Array(code.unicodeScalars)
        var out = ""
        out.reserveCapacity(code.utf8.count * 2)
        var i = 0
        // Text outside tokens is gathered into runs and escaped once per run.
        var plain = 0
        func text(_ from: Int, _ to: Int) -> String { String(String.UnicodeScalarView(s[from..<to])) }
        func emit(_ cls: String?, _ from: Int, _ to: Int) {
            guard let cls else { return }
            if plain < from { appendEscapedHTML(text(plain, from), to: &out) }
            out += "<span class=\"hl-\(cls)\">"
            appendEscapedHTML(text(from, to), to: &out)
            out += "</span>"
            plain = to
        }
        func isIdentStart(_ c: Unicode.Scalar) -> Bool {
            c.isASCII ? (c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)) : c.properties.isAlphabetic
        }
        func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) }
        while i < s.count {
            let c = s[i]
            // Comments
            if c == "/" && i + 1 < s.count && s[i + 1] == "/" {
                var j = i
                while j < s.count && s[j] != "\n" { j += 1 }
                emit("c", i, j); i = j; continue
            }
            if c == "/" && i + 1 < s.count && s[i + 1] == "*" {
                var j = i + 2, depth = 1
                while j < s.count && depth > 0 {
                    if s[j] == "/" && j + 1 < s.count && s[j + 1] == "*" { depth += 1; j += 2; continue }
                    if s[j] == "*" && j + 1 < s.count && s[j + 1] == "/" { depth -= 1; j += 2; continue }
                    j += 1
                }
                emit("c", i, min(j, s.count)); i = min(j, s.count); continue
            }
            // Strings, with multi-line """ and escapes
            if c == "\"" {
                let triple = i + 2 < s.count && s[i + 1] == "\"" && s[i + 2] == "\""
                var j = i + (triple ? 3 : 1)
                while j < s.count {
                    if s[j] == "\\" { j += 2; continue }
                    if triple {
                        if s[j] == "\"" && j + 2 < s.count && s[j + 1] == "\"" && s[j + 2] == "\"" { j += 3; break }
                    } else {
                        if s[j] == "\"" { j += 1; break }
                        if s[j] == "\n" { break }
                    }
                    j += 1
                }
                j = min(j, s.count)
                emit("s", i, j); i = j; continue
            }
            // Numbers (decimal, hex, with _ separators and exponents)
            if ("0"..."9").contains(c) && (i == 0 || !isIdent(s[i - 1])) {
                var j = i + 1
                while j < s.count {
                    let d = s[j]
                    if isIdent(d) || d == "." && j + 1 < s.count && ("0"..."9").contains(s[j + 1]) {
                        j += 1
                    } else if (d == "-" || d == "+") && (s[j - 1] == "e" || s[j - 1] == "E" || s[j - 1] == "p") {
                        j += 1
                    } else { break }
                }
                emit("n", i, j); i = j; continue
            }
            // Attributes and compiler directives
            if (c == "@" || c == "#") && i + 1 < s.count && isIdentStart(s[i + 1]) {
                var j = i + 1
                while j < s.count && isIdent(s[j]) { j += 1 }
                emit("a", i, j); i = j; continue
            }
            if isIdentStart(c) {
                var j = i + 1
                while j < s.count && isIdent(s[j]) { j += 1 }
                let word = String(String.UnicodeScalarView(s[i..<j]))
                if keywords.contains(word) && !(i > 0 && s[i - 1] == ".") {
                    emit("k", i, j)
                } else if c.properties.isUppercase {
                    emit("t", i, j)
                } else if j < s.count && s[j] == "(" {
                    emit("f", i, j)
                } else {
                    emit(nil, i, j)
                }
                i = j; continue
            }
            i += 1
        }
        if plain < s.count { appendEscapedHTML(text(plain, s.count), to: &out) }
        return out
    }
}

/// Escapes text for HTML element content and attribute values.
public func escapeHTML(_ s: String) -> String {
    // Most text has nothing to escape: return it as it is.
    guard s.utf8.contains(where: needsEscape) else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count + 16)
    appendEscapedHTML(s, to: &out)
    return out
}

@inline(__always) func needsEscape(_ b: UInt8) -> Bool {
    b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || isHiddenControl(b)
}

/// Appends `s` to `out` with `&`, `<`, `>` and `"` escaped and control
/// characters shown as their Unicode pictures (`␀`, `␛`), copying the runs
/// between them whole.
func appendEscapedHTML(_ s: String, to out: inout String) {
    let utf8 = s.utf8
    guard let first = utf8.firstIndex(where: needsEscape) else { out += s; return }
    var runStart = utf8.startIndex
    var i = first
    while i != utf8.endIndex {
        let b = utf8[i]
        if needsEscape(b) {
            out += s[runStart..<i]
            switch b {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            default: out.unicodeScalars.append(controlPicture(b))
            }
            runStart = utf8.index(after: i)
        }
        i = utf8.index(after: i)
    }
    out += s[runStart...]
}
