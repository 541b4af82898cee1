// What the worked-example directives share: the list of steps a directive
// produces (math, notes, tables, checks), how the steps become records, the
// LaTeX forms of numbers and polynomials, and the growth regime of an eigenvalue.

/// The steps of a worked example, in the order they are shown, and the
/// agreements it relies on, shown after the steps.
///
/// A directive first computes every step (pure), then `emit` writes them as
/// `math`, `text` and `table` records followed by one `check` record per
/// agreement. Checks carry the location of the directive's call, like `expect`.
public struct WorkedExample: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Display math (LaTeX without delimiters).
        case math(String)
        /// A paragraph; `$...$` inside is rendered as math.
        case text(String)
        case table(Table, caption: String?)
    }

    public var steps: [Step] = []
    /// The recorded agreements.
    public var checks: [ExpectResult] = []

    public init() {}

    /// True when every agreement holds.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    mutating func math(_ latex: String) { steps.append(.math(latex)) }
    mutating func text(_ text: String) { steps.append(.text(text)) }
    mutating func table(_ table: Table, caption: String? = nil) { steps.append(.table(table, caption: caption)) }
    mutating func check(_ result: ExpectResult) { checks.append(result) }

    /// A failing check for input the directive cannot work with (the example stops there).
    static func refusal(_ message: String) -> WorkedExample {
        var w = WorkedExample()
        w.check(ExpectResult(passed: false, message: message, actual: "", expected: "", rule: "input"))
        return w
    }

    /// Writes the steps as records, then the checks with the given source location.
    public func emit(file: String, line: Int, column: Int?) {
        for step in steps {
            switch step {
            case .math(let latex): LecternDisplay.math(latex)
            case .text(let t): LecternDisplay.note(t)
            case .table(let t, let caption): LecternDisplay.show(t, caption: caption)
            }
        }
        for r in checks { _ = recordCheck(r, file, line, column) }
    }
}

/// An agreement between two computations, with a description in front of the
/// message: `"‖g̃‖ = τ: 10 ≈ 10 (rtol 1e-9, atol 1e-12)"`.
func agreement(_ what: String, _ r: ExpectResult) -> ExpectResult {
    var r = r
    r.message = what + ": " + r.message
    return r
}

/// A condition recorded as a check: `holds` or `does not hold` after the description.
func condition(_ ok: Bool, _ what: String, detail: String = "", actual: String = "", expected: String = "",
               rule: String = "condition") -> ExpectResult {
    let d = detail.isEmpty ? "" : " (" + detail + ")"
    return ExpectResult(passed: ok, message: what + (ok ? ": holds" : ": does not hold") + d,
                        actual: actual.isEmpty ? (ok ? "true" : "false") : actual,
                        expected: expected.isEmpty ? "true" : expected, rule: rule)
}

// MARK: - Growth regime of an eigenvalue

/// How |λ|^t behaves: below one it vanishes, at one it stays, above one it explodes.
public enum Growth: String, Sendable, Equatable {
    case vanishing, stable, exploding
}

/// The behaviour of λ^t: its growth and whether it oscillates (λ < 0 or complex).
public struct Regime: Sendable, Equatable, CustomStringConvertible {
    public var growth: Growth
    public var oscillating: Bool

    public init(growth: Growth, oscillating: Bool) {
        self.growth = growth
        self.oscillating = oscillating
    }

    /// `|λ| = 1` within `unitTolerance`; parts of λ below the number rule's
    /// relative zero (times `scale`, the largest modulus of the list λ belongs to)
    /// count as 0, so `-1e-17` is neither negative nor complex.
    public static func of(_ z: Complex<Double>, scale: Double? = nil, unitTolerance: Double = 1e-9) -> Regime {
        let s = scale ?? Format.magnitude(z)
        let re = Format.cleaned(z.real, scale: s), im = Format.cleaned(z.imaginary, scale: s)
        let m = Complex(re, im).length
        let growth: Growth = Swift.abs(m - 1) <= unitTolerance ? .stable : (m < 1 ? .vanishing : .exploding)
        return Regime(growth: growth, oscillating: im != 0 || re < 0)
    }

    /// `vanishing`, `stable, oscillating`, `exploding`, …
    public var description: String { growth.rawValue + (oscillating ? ", oscillating" : "") }
}

// MARK: - LaTeX pieces

/// LaTeX forms used by the directives. Numbers always go through `Format`.
enum TeX {
    /// A number with the rule; with a `scale`, magnitudes below 1e-12 × scale read 0.
    static func number(_ x: Double, scale: Double = 0) -> String {
        Format.latex(fromText: Format.number(x, scale: scale))
    }

    /// `-2` → `(-2)`, `1.5 \times 10^{-7}` → `(1.5 \times 10^{-7})`: safe as a factor or a base.
    static func factor(_ tex: String) -> String {
        let needs = tex.hasPrefix("-") || tex.contains("\\times") || tex.contains("+") || tex.dropFirst().contains("-")
        return needs ? "(" + tex + ")" : tex
    }

    /// Terms joined with signs: `["1", "-2", "3"]` → `1 - 2 + 3`.
    static func sum(_ terms: [String]) -> String {
        var out = ""
        for (k, t) in terms.enumerated() {
            if k == 0 { out = t; continue }
            if t.hasPrefix("-") { out += " - " + t.dropFirst() } else { out += " + " + t }
        }
        return out
    }

    /// `x^k` (`x` for k = 1, nothing for k = 0).
    static func power(_ variable: String, _ k: Int) -> String {
        switch k {
        case 0: return ""
        case 1: return variable
        case 2...9: return variable + "^\(k)"
        default: return variable + "^{\(k)}"
        }
    }

    /// A polynomial from the number-rule texts of its coefficients, highest power
    /// first: `["1", "-2", "0"]` → `\lambda^2 - 2\lambda`. Zero terms are left out,
    /// unit coefficients are not written; all zero gives `0`.
    static func polynomial(_ coefficients: [String], variable: String = "\\lambda") -> String {
        let degree = coefficients.count - 1
        var out = ""
        for (k, text) in coefficients.enumerated() where text != "0" {
            let p = degree - k
            let negative = text.hasPrefix("-")
            let magnitude = negative ? String(text.dropFirst()) : text
            var coefficient = p > 0 && magnitude == "1" ? "" : Format.latex(fromText: magnitude)
            if p > 0 && coefficient.contains("\\times") { coefficient = "(" + coefficient + ")\\," }
            let term = coefficient + power(variable, p)
            if out.isEmpty { out = (negative ? "-" : "") + term } else { out += (negative ? " - " : " + ") + term }
        }
        return out.isEmpty ? "0" : out
    }

    /// The product of linear factors for real roots given as number-rule texts with
    /// multiplicities: `[("2", 1), ("0", 1)]` → `\lambda(\lambda - 2)`; `[("1", 2)]` → `(\lambda - 1)^2`.
    static func factored(_ roots: [(text: String, multiplicity: Int)], variable: String = "\\lambda") -> String {
        var zero = "", others = ""
        for (text, m) in roots {
            let exponent = m > 1 ? "^\(m)" : ""
            if text == "0" { zero = variable + exponent; continue }
            let tex = Format.latex(fromText: text.hasPrefix("-") ? String(text.dropFirst()) : text)
            others += "(" + variable + (text.hasPrefix("-") ? " + " : " - ") + tex + ")" + exponent
        }
        return zero + others
    }

    /// An angle: `0.523599 = \tfrac{\pi}{6} = 30^\circ` (the π form only when θ/π is a
    /// fraction with denominator ≤ 12).
    static func angle(_ theta: Double) -> String {
        var parts = [number(theta)]
        if theta != 0, let f = piFraction(theta) { parts.append(f) }
        parts.append(number(theta * 180 / Double.pi, scale: 1) + "^\\circ")
        return parts.joined(separator: " = ")
    }

    /// θ as a fraction of π (`\tfrac{\pi}{6}`, `-\tfrac{3\pi}{4}`, `\pi`), if it is one.
    static func piFraction(_ theta: Double) -> String? {
        let r = theta / Double.pi
        for q in 1...12 {
            let p = (r * Double(q)).rounded()
            guard Swift.abs(r * Double(q) - p) <= 1e-10 * Double(q) else { continue }
            let n = Int(p)
            if n == 0 { return "0" }
            let sign = n < 0 ? "-" : ""
            let numerator = Swift.abs(n) == 1 ? "\\pi" : "\(Swift.abs(n))\\pi"
            return q == 1 ? sign + numerator : sign + "\\tfrac{\(numerator)}{\(q)}"
        }
        return nil
    }

    /// `\lambda_{1}`-style subscripts for 1-based k: `\lambda_1`, `\lambda_{12}`.
    static func indexed(_ symbol: String, _ k: Int) -> String {
        k < 10 ? "\(symbol)_\(k)" : "\(symbol)_{\(k)}"
    }

    /// A matrix name followed by an argument: `\det(A)`, `\operatorname{tr}(W_h)`.
    static func applied(_ function: String, _ name: String) -> String { function + "(" + name + ")" }
}

/// Pairs `values` with `targets` (same count) in the order that makes the largest
/// difference smallest; returns `values` reordered to match `targets` and that difference.
func pairUp(_ values: [Complex<Double>], with targets: [Complex<Double>]) -> (paired: [Complex<Double>], largest: Double) {
    guard values.count == targets.count else { return (values, .infinity) }
    var best = Array(values.indices), bestWorst = Double.infinity
    for perm in EigenvalueWork.permutations(values.count) {
        let worst = targets.indices.map { (values[perm[$0]] - targets[$0]).length }.max() ?? 0
        if worst < bestWorst { best = perm; bestWorst = worst }
    }
    return (best.map { values[$0] }, values.isEmpty ? 0 : bestWorst)
}
