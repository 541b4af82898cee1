// workClipping(g, threshold: τ): gradient clipping by norm, worked: the norm as
// a sum of squares, the comparison with τ, the scale τ/‖g‖, the clipped
// gradient, and the checks that the core's clipByNorm agrees, that the new
// norm is τ (or that nothing changed) and that the direction is kept. The
// form taking several tensors clips by their global norm (clipByGlobalNorm).

/// A worked clipping example: what `workClipping` showed and computed.
public struct ClippingWork: Sendable {
    /// ‖g‖₂, or the global norm √(Σ‖g_k‖²_F) of several tensors.
    public let norm: Double
    public let threshold: Double
    /// The factor applied: τ/‖g‖ when ‖g‖ > τ, else 1.
    public let scale: Double
    /// The clipped gradient (several tensors: all their entries, tensor after tensor, column-major).
    public let clipped: Vector
    /// The clipped tensors (empty for the vector form).
    public let clippedTensors: [Matrix]
    public let example: WorkedExample

    public var passed: Bool { example.passed }

    /// Entries written out in ‖g‖ = √(g₁² + …) up to this many; beyond, the sum is written Σ.
    public static let writtenOutLimit = 6

    /// Works the vector form without emitting anything. `name` is LaTeX.
    public static func make(_ g: Vector, threshold tau: Double, name: String = "g") -> ClippingWork {
        func refused(_ message: String) -> ClippingWork {
            ClippingWork(norm: .nan, threshold: tau, scale: .nan, clipped: g, clippedTensors: [],
                         example: .refusal("workClipping: " + message))
        }
        guard tau > 0, tau.isFinite else { return refused("the threshold τ must be positive and finite, got \(Format.number(tau))") }
        guard !g.isEmpty else { return refused("the gradient is empty") }
        guard g.isFinite else { return refused("the gradient has an entry that is NaN or infinite") }

        var w = WorkedExample()
        let tilde = "\\tilde{\(name)}"
        let tauText = TeX.number(tau)
        let sumOfSquares = g.reduce(0) { $0 + $1 * $1 }
        let norm = sumOfSquares.squareRoot()
        let scale = norm > tau ? tau / norm : 1
        let clipped = scale == 1 ? g : g * scale

        w.math((g.count <= 12 ? "\(name) = \(Math.vector(g))" : "\(name) \\in \\mathbb{R}^{\(g.count)}") + ", \\qquad \\tau = \(tauText)")
        let terms: String
        if g.count <= writtenOutLimit {
            terms = Format.numbers(g.elements).map { TeX.factor(Format.latex(fromText: $0)) + "^2" }.joined(separator: " + ")
        } else {
            terms = "\\textstyle\\sum_{i=1}^{\(g.count)} \(name)_i^2"
        }
        w.math("\\|\(name)\\| = \\sqrt{\(terms)} = \\sqrt{\(TeX.number(sumOfSquares))} = \(TeX.number(norm))")

        let newNorm = clipped.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if scale != 1 {
            w.math("\\|\(name)\\| = \(TeX.number(norm)) > \\tau = \(tauText) \\;\\Rightarrow\\; "
                + "s = \\frac{\\tau}{\\|\(name)\\|} = \\frac{\(tauText)}{\(TeX.number(norm))} = \(TeX.number(scale))")
            if g.count <= 12 {
                w.math("\(tilde) = s\\,\(name) = \(TeX.number(scale))\(Math.vector(g)) = \(Math.vector(clipped))")
            } else {
                w.math("\(tilde) = s\\,\(name) = \(TeX.number(scale))\\,\(name)")
            }
        } else {
            w.math("\\|\(name)\\| = \(TeX.number(norm)) \\le \\tau = \(tauText) \\;\\Rightarrow\\; \(tilde) = \(name) \\text{ (unchanged)}")
        }

        var core = g
        clipByNorm(&core, maxNorm: tau)
        w.check(agreement("clipByNorm gives the same clipped gradient",
                          Expectation.compare(core.elements, clipped.elements, rtol: 1e-12, atol: 0)))
        checkNormAndDirection(&w, name: name, norm: norm, newNorm: newNorm, tau: tau, scale: scale,
                              dot: zip(g, clipped).reduce(0) { $0 + $1.0 * $1.1 })
        return ClippingWork(norm: norm, threshold: tau, scale: scale, clipped: clipped, clippedTensors: [], example: w)
    }

    /// Works the global-norm form without emitting anything. `names` are LaTeX
    /// (default `g_1`, `g_2`, …).
    public static func make(_ tensors: [Matrix], threshold tau: Double, names: [String]? = nil) -> ClippingWork {
        let stacked = Vector(tensors.flatMap(\.columnMajor))
        func refused(_ message: String) -> ClippingWork {
            ClippingWork(norm: .nan, threshold: tau, scale: .nan, clipped: stacked, clippedTensors: tensors,
                         example: .refusal("workClipping: " + message))
        }
        guard tau > 0, tau.isFinite else { return refused("the threshold τ must be positive and finite, got \(Format.number(tau))") }
        guard !tensors.isEmpty else { return refused("no tensors given") }
        guard stacked.isFinite else { return refused("a tensor has an entry that is NaN or infinite") }
        if let names, names.count != tensors.count {
            return refused("\(names.count) names for \(tensors.count) tensors")
        }
        let labels = names ?? tensors.indices.map { TeX.indexed("g", $0 + 1) }

        var w = WorkedExample()
        let tauText = TeX.number(tau)
        let squares = tensors.map { $0.columnMajor.reduce(0) { $0 + $1 * $1 } }
        let norms = squares.map { $0.squareRoot() }
        let total = squares.reduce(0, +)
        let norm = total.squareRoot()
        let scale = norm > tau ? tau / norm : 1
        let clippedTensors = scale == 1 ? tensors : tensors.map { $0 * scale }
        let clipped = Vector(clippedTensors.flatMap(\.columnMajor))

        w.math("\\tau = \(tauText)")
        let symbolic: String, numeric: String
        if tensors.count <= writtenOutLimit {
            symbolic = labels.map { "\\|\($0)\\|_F^2" }.joined(separator: " + ")
            numeric = " = \\sqrt{" + Format.numbers(norms).map { TeX.factor(Format.latex(fromText: $0)) + "^2" }.joined(separator: " + ") + "}"
        } else {
            symbolic = "\\textstyle\\sum_{k=1}^{\(tensors.count)} \\|g_k\\|_F^2"
            numeric = ""
        }
        // Two lines each: with several tensors these run wider than a page.
        if numeric.isEmpty {
            w.math("N = \\sqrt{\(symbolic)} = \\sqrt{\(TeX.number(total))} = \(TeX.number(norm))")
        } else {
            w.math("\\begin{aligned} N &= \\sqrt{\(symbolic)} \\\\ &\(numeric) = \\sqrt{\(TeX.number(total))} = \(TeX.number(norm)) \\end{aligned}")
        }
        if scale != 1 {
            w.math("\\begin{gathered} N = \(TeX.number(norm)) > \\tau = \(tauText) \\;\\Rightarrow\\; s = \\frac{\\tau}{N} = "
                + "\\frac{\(tauText)}{\(TeX.number(norm))} = \(TeX.number(scale)), \\\\ \\tilde{g}_k = s\\,g_k \\text{ for every tensor} \\end{gathered}")
        } else {
            w.math("N = \(TeX.number(norm)) \\le \\tau = \(tauText) \\;\\Rightarrow\\; \\text{every tensor unchanged}")
        }
        var t = Table(headers: ["tensor", "shape", "$\\lVert g_k \\rVert_F$", "$\\lVert \\tilde{g}_k \\rVert_F$"],
                      alignments: [.left, .left, .right, .right])
        let newNorms = clippedTensors.map { $0.columnMajor.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        for k in tensors.indices {
            t.row("$" + labels[k] + "$", tensors[k].shapeDescription, norms[k], newNorms[k])
        }
        w.table(t)

        var core = tensors
        clipByGlobalNorm(&core, maxNorm: tau)
        w.check(agreement("clipByGlobalNorm gives the same tensors",
                          Expectation.compare(core.flatMap(\.columnMajor), clipped.elements, rtol: 1e-12, atol: 0)))
        let newNorm = clipped.reduce(0) { $0 + $1 * $1 }.squareRoot()
        checkNormAndDirection(&w, name: "g", norm: norm, newNorm: newNorm, tau: tau, scale: scale,
                              dot: zip(stacked, clipped).reduce(0) { $0 + $1.0 * $1.1 }, global: true)
        return ClippingWork(norm: norm, threshold: tau, scale: scale, clipped: clipped, clippedTensors: clippedTensors, example: w)
    }

    /// The new norm (τ, or unchanged) and the cosine between g and g̃ (1), shown and checked.
    static func checkNormAndDirection(_ w: inout WorkedExample, name: String, norm: Double, newNorm: Double,
                                      tau: Double, scale: Double, dot: Double, global: Bool = false) {
        let tilde = "\\tilde{\(name)}"
        let n = global ? "N" : "\\|\(name)\\|", nt = global ? "\\tilde{N}" : "\\|\(tilde)\\|"
        let which = global ? "global norm" : "norm"
        let clippedText = TeX.number(newNorm)
        let normPart = scale != 1 ? "\(nt) = \(clippedText) = \\tau" : "\(nt) = \(n) = \(clippedText) \\le \\tau"
        let normCheck = scale != 1
            ? agreement("the clipped \(which) is τ", Expectation.compare(newNorm, tau, rtol: 1e-9, atol: 0))
            : agreement("the \(which) is unchanged", Expectation.compare(newNorm, norm, rtol: 1e-9, atol: 0))
        guard norm > 0 else {
            w.math(normPart)
            w.text("A zero gradient has no direction to keep.")
            w.check(normCheck)
            return
        }
        let cosine = dot / (norm * newNorm)
        let stack = global ? " \\text{ (all entries stacked)}" : ""
        w.math(normPart + ", \\qquad \\cos\\angle(\(name), \(tilde)) = \\frac{\(name) \\cdot \(tilde)}{\\|\(name)\\|\\,\\|\(tilde)\\|} = "
            + TeX.number(cosine) + stack)
        w.check(normCheck)
        w.check(agreement("the direction is kept (cos = 1)", Expectation.compare(cosine, 1, rtol: 1e-9, atol: 0)))
    }
}

/// Works gradient clipping by norm on the page: ‖g‖ as a sum of squares (up to
/// six entries written out), the comparison with τ, the scale τ/‖g‖ when it
/// applies, the clipped gradient; checks (at this call's line) that the core's
/// `clipByNorm` agrees, that the new norm is τ or unchanged, and that cos(g, g̃) = 1.
@discardableResult
public func workClipping(_ g: Vector, threshold tau: Double, name: String = "g",
                         file: String = #filePath, line: Int = #line, column: Int = #column) -> ClippingWork {
    let w = ClippingWork.make(g, threshold: tau, name: name)
    w.example.emit(file: file, line: line, column: column)
    return w
}

/// Works clipping by global norm on the page: N = √(Σ‖g_k‖²_F) over the tensors,
/// the comparison with τ, the common scale τ/N, a table of each tensor's norm
/// before and after; checks that `clipByGlobalNorm` agrees, that the new global
/// norm is τ or unchanged, and that the stacked direction is kept.
@discardableResult
public func workClipping(_ tensors: [Matrix], threshold tau: Double, names: [String]? = nil,
                         file: String = #filePath, line: Int = #line, column: Int = #column) -> ClippingWork {
    let w = ClippingWork.make(tensors, threshold: tau, names: names)
    w.example.emit(file: file, line: line, column: column)
    return w
}
