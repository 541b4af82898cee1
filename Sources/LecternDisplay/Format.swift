import Foundation

/// The single number-formatting rule used by every output of Lectern.
///
/// * 6 significant digits (C `%.6g`), trailing zeros stripped: `1/3` → `0.333333`, `2.0` → `2`.
/// * Compact exponents: `1.5e-7`, `2.3e12`, `1.23457e8` (never `e-07` / `e+12`).
/// * `-0` → `0`; NaN → `NaN`; infinities → `∞` / `-∞`.
/// * Objects (vectors, matrices, lists): entries with magnitude below
///   `relativeZero` × (largest finite magnitude in the object) are shown as `0`.
/// * Complex: `0.707107 + 0.707107i`, `-i`, `2i`, `3 - 2i`; the zeroing applies to
///   each part, relative to the largest modulus in the object.
///
/// The output never depends on the process locale.
public enum Format {
    /// Significant digits used by default.
    public static let defaultDigits = 6
    /// Entries of an object smaller than this fraction of the object's largest
    /// magnitude are displayed as `0`.
    public static let relativeZero = 1e-12

    // MARK: Scalars

    /// `x` rounded to `digits` significant digits, as a number (for prose and
    /// claims that state a value to a few digits): `rounded(0.0009765625, digits: 3)`
    /// is 0.000977. Goes through the decimal text, so the result is the double
    /// nearest the rounded decimal, and ties round as `%g` does.
    public static func rounded(_ x: Double, digits: Int) -> Double {
        guard x.isFinite, x != 0 else { return x }
        return Double(cFormat(x, "%.\(max(1, min(digits, 17)) - 1)e").replacingOccurrences(of: ",", with: ".")) ?? x
    }

    /// Formats one real number with the rule (no object context).
    public static func number(_ x: Double, digits: Int = defaultDigits) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-∞" : "∞" }
        if x == 0 { return "0" }
        let d = max(1, min(digits, 17))
        let raw = cFormat(x, "%.\(d)g")
        return compactExponent(raw.replacingOccurrences(of: ",", with: "."))
    }

    /// Formats an integer (no grouping, no exponent).
    public static func integer<I: BinaryInteger>(_ n: I) -> String { String(n) }

    /// Formats one complex number with the rule (the zeroing uses `|z|` as the object's scale).
    public static func complex(_ z: Complex<Double>, digits: Int = defaultDigits) -> String {
        complex(z, scale: magnitude(z), digits: digits)
    }

    /// Formats `x`, showing `0` when `|x| < relativeZero × scale`.
    public static func number(_ x: Double, scale: Double, digits: Int = defaultDigits) -> String {
        number(cleaned(x, scale: scale), digits: digits)
    }

    /// Formats `z`, zeroing each part that is below `relativeZero × scale`.
    public static func complex(_ z: Complex<Double>, scale: Double, digits: Int = defaultDigits) -> String {
        let re = cleaned(z.real, scale: scale)
        let im = cleaned(z.imaginary, scale: scale)
        if im == 0 && !im.isNaN { return number(re, digits: digits) }
        let imAbs = number(Swift.abs(im), digits: digits)
        let imText = imAbs == "1" ? "i" : (imAbs.hasSuffix("∞") || imAbs == "NaN" ? imAbs + "·i" : imAbs + "i")
        if re == 0 && !re.isNaN {
            return (im < 0 ? "-" : "") + imText
        }
        return number(re, digits: digits) + (im < 0 ? " - " : " + ") + imText
    }

    // MARK: Objects

    /// Formats the entries of a vector or list with the object rule.
    public static func numbers<C: Collection>(_ xs: C, digits: Int = defaultDigits) -> [String]
    where C.Element == Double {
        let s = scale(of: xs)
        return xs.map { number($0, scale: s, digits: digits) }
    }

    /// Formats a list of complex numbers with the object rule.
    public static func complexes<C: Collection>(_ zs: C, digits: Int = defaultDigits) -> [String]
    where C.Element == Complex<Double> {
        let s = zs.reduce(0.0) { m, z in
            let a = magnitude(z)
            return a.isFinite ? Swift.max(m, a) : m
        }
        return zs.map { complex($0, scale: s, digits: digits) }
    }

    /// Formats the entries of a matrix (row by row) with the object rule.
    public static func matrix(_ m: Matrix, digits: Int = defaultDigits) -> [[String]] {
        let s = scale(of: m.columnMajor)
        return m.rowArrays.map { row in row.map { number($0, scale: s, digits: digits) } }
    }

    /// The largest finite magnitude in `xs` (0 for an empty or all-non-finite list).
    public static func scale<C: Collection>(of xs: C) -> Double where C.Element == Double {
        xs.reduce(0.0) { m, x in x.isFinite ? Swift.max(m, Swift.abs(x)) : m }
    }

    /// `x`, or 0 when `|x| < relativeZero × scale`. Non-finite values pass through.
    public static func cleaned(_ x: Double, scale: Double) -> Double {
        guard x.isFinite else { return x }
        if x == 0 { return 0 }  // also turns -0 into 0
        if scale.isFinite && Swift.abs(x) < relativeZero * scale { return 0 }
        return x
    }

    // MARK: Variants

    /// Enough significant digits (at least `digits`, at most 17) to tell `x` apart
    /// from `other` in the text; used in failure messages.
    public static func distinguishing(_ x: Double, from other: Double, digits: Int = defaultDigits) -> String {
        guard x.isFinite, other.isFinite, x != other else { return number(x, digits: digits) }
        var d = digits
        while d < 17 {
            let a = number(x, digits: d), b = number(other, digits: d)
            if a != b { return a }
            d += 1
        }
        return number(x, digits: 17)
    }

    /// The number as LaTeX: `1.5 \times 10^{-7}`, `\infty`, `\mathrm{NaN}`.
    public static func latex(_ x: Double, digits: Int = defaultDigits) -> String {
        latex(fromText: number(x, digits: digits))
    }

    /// Converts a string produced by this rule to LaTeX.
    public static func latex(fromText text: String) -> String {
        if text == "NaN" { return "\\mathrm{NaN}" }
        if text == "∞" { return "\\infty" }
        if text == "-∞" { return "-\\infty" }
        // complex: "a + bi" -> parts
        if text.hasSuffix("i") {
            let core = String(text.dropLast())
            for sep in [" + ", " - "] {
                if let r = core.range(of: sep) {
                    let re = String(core[..<r.lowerBound]), im = String(core[r.upperBound...])
                    return latex(fromText: re) + sep + (im.isEmpty ? "" : latexReal(im.replacingOccurrences(of: "·", with: ""))) + "\\mathrm{i}"
                }
            }
            return (core == "-" || core.isEmpty ? core : latexReal(core.replacingOccurrences(of: "·", with: ""))) + "\\mathrm{i}"
        }
        return latexReal(text)
    }

    private static func latexReal(_ t: String) -> String {
        if t == "∞" { return "\\infty" }
        if t == "-∞" { return "-\\infty" }
        guard let e = t.firstIndex(of: "e") else { return t }
        let mant = String(t[..<e]), exp = String(t[t.index(after: e)...])
        if mant == "1" { return "10^{\(exp)}" }
        if mant == "-1" { return "-10^{\(exp)}" }
        return "\(mant) \\times 10^{\(exp)}"
    }

    // MARK: Internals

    static func magnitude(_ z: Complex<Double>) -> Double {
        let a = z.length
        if a.isFinite { return a }
        // `length` overflows only for huge finite parts; fall back to the larger part.
        if z.real.isFinite && z.imaginary.isFinite { return Swift.max(Swift.abs(z.real), Swift.abs(z.imaginary)) }
        return a
    }

    /// printf-style formatting of one Double (the C library never localises
    /// unless the program calls `setlocale`; commas are mapped back regardless).
    static func cFormat(_ x: Double, _ spec: String) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([x]) { args in
            buf.withUnsafeMutableBufferPointer { p in vsnprintf(p.baseAddress, 64, spec, args) }
        }
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "1.5e-07" → "1.5e-7", "2.3e+12" → "2.3e12".
    static func compactExponent(_ s: String) -> String {
        guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return s }
        let mant = s[..<e]
        var exp = s[s.index(after: e)...]
        var sign = ""
        if exp.first == "+" { exp = exp.dropFirst() } else if exp.first == "-" { sign = "-"; exp = exp.dropFirst() }
        let digits = exp.drop(while: { $0 == "0" })
        return "\(mant)e\(sign)\(digits.isEmpty ? "0" : String(digits))"
    }
}
