/// LaTeX for numbers, vectors and matrices, formatted with the number rule.
/// Useful in worked examples: `math("W = " + Math.matrix(w))`.
public enum Math {
    /// A number: `0.333333`, `1.5 \times 10^{-7}`, `\infty`.
    public static func number(_ x: Double) -> String { Format.latex(x) }

    /// A complex number: `0.707107 + 0.707107\mathrm{i}`.
    public static func complex(_ z: Complex<Double>) -> String { Format.latex(fromText: Format.complex(z)) }

    /// A matrix as `\begin{pmatrix} ... \end{pmatrix}` (`environment` may be `bmatrix`, ...).
    public static func matrix(_ m: Matrix, environment: String = "pmatrix") -> String {
        grid(Format.matrix(m), environment: environment)
    }

    /// A vector as a column (`transpose: true` for a row).
    public static func vector(_ v: Vector, environment: String = "pmatrix", transpose: Bool = false) -> String {
        column(Format.numbers(v.elements), environment: environment, transpose: transpose)
    }

    /// A list of numbers as a column (`transpose: true` for a row).
    public static func vector(_ xs: [Double], environment: String = "pmatrix", transpose: Bool = false) -> String {
        column(Format.numbers(xs), environment: environment, transpose: transpose)
    }

    /// A list of complex numbers as a column (`transpose: true` for a row).
    public static func vector(_ zs: [Complex<Double>], environment: String = "pmatrix", transpose: Bool = false) -> String {
        column(Format.complexes(zs), environment: environment, transpose: transpose)
    }

    /// Formatted entries (text from `Format`) as a LaTeX matrix.
    public static func grid(_ rows: [[String]], environment: String = "pmatrix") -> String {
        let body = rows.map { $0.map(Format.latex(fromText:)).joined(separator: " & ") }.joined(separator: " \\\\ ")
        return "\\begin{\(environment)} \(body) \\end{\(environment)}"
    }

    static func column(_ entries: [String], environment: String, transpose: Bool) -> String {
        grid(transpose ? [entries] : entries.map { [$0] }, environment: environment)
    }
}
