import LecternDocument

/// Inline values that name a variable declared only in a later cell.
///
/// The cells are top-level code of one `main.swift`, where Swift lets code use
/// a global declared further down; before its declaration runs, the variable
/// holds zeroed memory. An inline value placed above the cell that declares
/// its variable would silently print 0, so it is refused instead.
///
/// The check is lexical: top-level `let`/`var` names (declarations starting a
/// line of a cell, unindented) against the identifiers of each inline
/// expression (not after `.`, not argument labels, not inside strings).
enum ForwardReferences {
    struct Problem: Equatable {
        var inline: Int
        var message: String
    }

    static func find(in doc: Document) -> [Problem] {
        guard !doc.inlines.isEmpty else { return [] }
        // Where each top-level variable is first declared: (byte offset of its cell, line).
        var declared: [String: (offset: Int, line: Int)] = [:]
        for p in doc.frontMatter.params { declared[p.name] = (-1, 0) }
        for cell in doc.cells where cell.options.eval && !cell.options.error {
            for (k, line) in cell.code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for name in declaredNames(String(line)) where declared[name] == nil {
                    declared[name] = (cell.range.lowerBound, cell.firstCodeLine + k)
                }
            }
        }
        var out: [Problem] = []
        for code in doc.inlines {
            for name in identifiers(code.expression) {
                guard let d = declared[name], d.offset > code.range.lowerBound else { continue }
                out.append(Problem(inline: code.index, message:
                    "'\(name)' is declared further down (line \(d.line)); an inline value sees only the cells above it — move the cell up or the value down"))
                break
            }
        }
        return out
    }

    /// Names a line declares at top level: `let x = …`, `var a, b: Int`, `let (p, q) = …`.
    static func declaredNames(_ line: String) -> [String] {
        var rest = Substring(line)
        guard let first = rest.first, first != " ", first != "\t" else { return [] }
        for modifier in ["public ", "private ", "fileprivate ", "internal ", "nonisolated(unsafe) ", "nonisolated "] {
            while rest.hasPrefix(modifier) { rest = rest.dropFirst(modifier.count) }
        }
        guard rest.hasPrefix("let ") || rest.hasPrefix("var ") else { return [] }
        rest = rest.dropFirst(4)
        // Up to the initialiser or the end: the pattern part.
        var depth = 0
        var pattern = ""
        for ch in rest {
            if ch == "(" || ch == "[" || ch == "<" { depth += 1 }
            if ch == ")" || ch == "]" || ch == ">" { depth -= 1 }
            if depth <= 0 && (ch == "=" || ch == "{") { break }
            pattern.append(ch)
        }
        // Names: identifiers not after ':' (types) within each comma-separated part.
        var names: [String] = []
        for part in splitTopLevel(pattern) {
            let beforeType = part.split(separator: ":", maxSplits: 1).first.map(String.init) ?? part
            names += identifiers(beforeType)
        }
        return names
    }

    private static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = [], cur = "", depth = 0
        for ch in s {
            if ch == "<" || ch == "[" { depth += 1 }
            if ch == ">" || ch == "]" { depth -= 1 }
            if ch == "," && depth == 0 { parts.append(cur); cur = ""; continue }
            if depth == 0 && (ch == "(" || ch == ")") { cur.append(" "); continue }
            cur.append(ch)
        }
        parts.append(cur)
        return parts
    }

    /// Identifiers an expression uses as values.
    static func identifiers(_ expr: String) -> [String] {
        let chars = Array(expr)
        var out: [String] = []
        var i = 0
        var inString = false
        func isStart(_ c: Character) -> Bool { c == "_" || c.isLetter }
        func isPart(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }
        while i < chars.count {
            let c = chars[i]
            if c == "\"" { inString.toggle(); i += 1; continue }
            if inString { if c == "\\" { i += 1 }; i += 1; continue }
            if isStart(c) && (i == 0 || !isPart(chars[i - 1]) && chars[i - 1] != "." && chars[i - 1] != "$") {
                var j = i
                while j < chars.count, isPart(chars[j]) { j += 1 }
                let name = String(chars[i..<j])
                var k = j
                while k < chars.count, chars[k] == " " { k += 1 }
                let isLabel = k < chars.count && chars[k] == ":" && !(k + 1 < chars.count && chars[k + 1] == ":")
                if !isLabel && !keywords.contains(name) { out.append(name) }
                i = j
                continue
            }
            i += 1
        }
        return out
    }

    static let keywords: Set<String> = ["let", "var", "in", "try", "await", "as", "is", "true", "false", "nil", "self", "Self",
                                        "if", "else", "return", "switch", "case", "default", "where", "for", "while"]
}
