// Text helpers for the SVG writer: light markup (sub/superscripts, Greek),
// escaping, fixed number printing and width estimates.

/// One run of text at a vertical position.
struct TextRun: Equatable {
    enum Level: Equatable { case normal, sub, sup }
    var text: String
    var level: Level
}

enum Markup {
    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
        "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
        "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
        "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
        "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        "partial": "∂", "nabla": "∇", "infty": "∞", "cdot": "·", "times": "×", "le": "≤", "leq": "≤",
        "ge": "≥", "geq": "≥", "approx": "≈", "ne": "≠", "neq": "≠", "pm": "±", "|": "‖", "Vert": "‖",
        "top": "⊤", "to": "→", "sqrt": "√", "sum": "Σ", "prod": "∏",
    ]

    /// Parses `h_t`, `x^2`, `‖∂h_T/∂h_{T-L}‖`, `\rho^L`, `10^{-6}` into runs.
    /// `_`/`^` take one character or a `{...}` group; `\name` is a Greek letter or
    /// symbol; `\_`, `\^`, `\{`, `\}`, `\\` are literal.
    static func parse(_ s: String) -> [TextRun] {
        var runs: [TextRun] = []
        func append(_ t: String, _ level: TextRun.Level) {
            guard !t.isEmpty else { return }
            if let last = runs.last, last.level == level { runs[runs.count - 1].text += t } else {
                runs.append(TextRun(text: t, level: level))
            }
        }
        let chars = Array(s)
        var i = 0
        // Reads one atom at i (escape, group or character) and returns its text.
        func atom() -> String {
            guard i < chars.count else { return "" }
            if chars[i] == "{" {
                var depth = 1, j = i + 1, out = ""
                while j < chars.count {
                    if chars[j] == "{" { depth += 1 } else if chars[j] == "}" { depth -= 1; if depth == 0 { break } }
                    if chars[j] == "\\" { i = j; let e = escape(); out += e; j = i; continue }
                    out.append(chars[j]); j += 1
                }
                i = min(j + 1, chars.count)
                return out
            }
            if chars[i] == "\\" { return escape() }
            let c = chars[i]; i += 1
            return String(c)
        }
        // At a backslash: returns the symbol and advances.
        func escape() -> String {
            i += 1
            guard i < chars.count else { return "\\" }
            if !chars[i].isLetter {
                let c = chars[i]; i += 1
                return c == "|" ? "‖" : String(c)
            }
            var name = ""
            while i < chars.count, chars[i].isLetter { name.append(chars[i]); i += 1 }
            if i < chars.count, chars[i] == " " { i += 1 }
            return greek[name] ?? name
        }
        while i < chars.count {
            let c = chars[i]
            if c == "_" || c == "^", i + 1 < chars.count {
                i += 1
                append(atom(), c == "_" ? .sub : .sup)
            } else if c == "\\" {
                append(escape(), .normal)
            } else if c == "{" || c == "}" {
                i += 1
            } else {
                append(String(c), .normal); i += 1
            }
        }
        return runs
    }

    /// Plain text (for `<title>`, `<desc>` and the record): markup kept readable.
    static func plain(_ s: String) -> String {
        parse(s).map { r in
            switch r.level {
            case .normal: return r.text
            case .sub: return "_" + (r.text.count > 1 ? "(\(r.text))" : r.text)
            case .sup: return "^" + (r.text.count > 1 ? "(\(r.text))" : r.text)
            }
        }.joined()
    }

    /// The content of a `<text>` element of font size `size`: tspans with `dy` shifts.
    static func tspans(_ s: String, size: Double) -> String {
        let runs = parse(s)
        if runs.count == 1 && runs[0].level == .normal { return SVG.escape(runs[0].text) }
        var out = ""
        var shift = 0.0
        for r in runs {
            let target: Double
            switch r.level {
            case .normal: target = 0
            case .sub: target = 0.3 * size
            case .sup: target = -0.42 * size
            }
            let dy = target - shift
            shift = target
            var attrs = ""
            if dy != 0 { attrs += " dy=\"\(SVG.num(dy))\"" }
            if r.level != .normal { attrs += " font-size=\"\(SVG.num(size * 0.72))\"" }
            out += attrs.isEmpty ? SVG.escape(r.text) : "<tspan\(attrs)>\(SVG.escape(r.text))</tspan>"
        }
        return out
    }

    /// Estimated rendered width of marked-up text at font size `size`.
    static func width(_ s: String, size: Double) -> Double {
        parse(s).reduce(0) { w, r in
            w + SVG.textWidth(r.text, size: r.level == .normal ? size : size * 0.72)
        }
    }
}

enum SVG {
    static func escape(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }

    /// A coordinate: at most 2 decimals, trailing zeros trimmed, never `-0`.
    static func num(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let n = Int((x * 100).rounded())
        if n == 0 { return "0" }
        let sign = n < 0 ? "-" : ""
        let a = abs(n)
        let whole = a / 100, frac = a % 100
        if frac == 0 { return "\(sign)\(whole)" }
        if frac % 10 == 0 { return "\(sign)\(whole).\(frac / 10)" }
        return "\(sign)\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// Rough width of plain text in a sans-serif font.
    static func textWidth(_ s: String, size: Double) -> Double {
        var w = 0.0
        for c in s {
            switch c {
            case "i", "l", "j", "I", ".", ",", ":", ";", "'", "|", "!", "(", ")", "[", "]", "f", "t", "1", " ":
                w += 0.32
            case "m", "w", "M", "W", "‖", "∂", "—", "%", "@":
                w += 0.86
            case "A"..."Z": w += 0.68
            case "−", "-", "+", "=", "≤", "≈": w += 0.58
            default: w += 0.56
            }
        }
        return w * size
    }

    /// 32-bit FNV-1a of the UTF-8 bytes, as 8 hex digits.
    static func hash(_ s: String) -> String {
        var h: UInt32 = 2166136261
        for b in s.utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
