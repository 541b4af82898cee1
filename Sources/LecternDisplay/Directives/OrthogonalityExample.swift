// workOrthogonality(Q): QᵀQ next to I with the largest deviation, det Q, the
// eigenvalues and their magnitudes, and the verdict: rotation (det +1),
// reflection (det −1) or not orthogonal. A 2-D rotation gets its angle θ
// recovered from the matrix, a 2-D reflection its mirror line, a 3-D rotation
// its angle; what follows from orthogonality is recorded as checks.

/// A worked orthogonality check: what `workOrthogonality` showed and computed.
public struct OrthogonalityWork: Sendable {
    public let matrix: Matrix
    /// max |(QᵀQ − I)ᵢⱼ|.
    public let deviation: Double
    public let determinant: Double
    /// The verdict (the core's `orthogonalKind(tolerance:)`).
    public let kind: OrthogonalKind
    /// LAPACK's eigenvalues (dgeev).
    public let eigenvalues: [Complex<Double>]
    /// 2-D rotation: θ = atan2(q₂₁, q₁₁); 2-D reflection: the mirror line's angle φ;
    /// 3-D rotation: the rotation angle; otherwise nil. Radians.
    public let angle: Double?
    public let example: WorkedExample

    public var passed: Bool { example.passed }

    /// Works the example without emitting anything. `tolerance` bounds max|QᵀQ − I|
    /// for Q to count as orthogonal.
    public static func make(_ q: Matrix, name: String = "Q", tolerance: Double = 1e-10) -> OrthogonalityWork {
        func refused(_ message: String) -> OrthogonalityWork {
            OrthogonalityWork(matrix: q, deviation: .nan, determinant: .nan, kind: .notOrthogonal(deviation: .nan),
                              eigenvalues: [], angle: nil, example: .refusal("workOrthogonality: " + message))
        }
        guard q.isSquare, q.rows > 0 else { return refused("needs a non-empty square matrix, got \(q.shapeDescription)") }
        guard q.isFinite else { return refused("the matrix has an entry that is NaN or infinite") }
        let n = q.rows
        let values: [Complex<Double>]
        let det: Double
        do {
            values = try q.eigenvalues()
            det = n == 2 ? q[0, 0] * q[1, 1] - q[0, 1] * q[1, 0] : try q.determinant()
        } catch { return refused("LAPACK failed: \(error)") }

        var w = WorkedExample()
        let qtq = q.transposed * q
        let deviation = q.orthogonalityDeviation
        let kind = q.orthogonalKind(tolerance: tolerance)
        // What orthogonality implies is checked to a tolerance that grows with the one allowed on QᵀQ.
        let implied = Swift.max(1e-9, 4 * Double(n) * tolerance)

        w.math("\(name) = \(Math.matrix(q))")
        w.math("\(name)^\\top \(name) = \(Math.matrix(qtq)), \\qquad I = \(Math.matrix(.identity(n)))")
        w.math("\\max_{i,j} \\lvert (\(name)^\\top \(name) - I)_{ij} \\rvert = \(TeX.number(deviation)) "
            + (deviation <= tolerance ? "\\le " : "> ") + TeX.number(tolerance))
        let detText = TeX.number(det)
        if n == 2 {
            let e = Format.matrix(q).map { $0.map { TeX.factor(Format.latex(fromText: $0)) } }
            let x = entryLetter(name)
            w.math("\\begin{aligned} \\det(\(name)) &= \(x)_{11}\(x)_{22} - \(x)_{12}\(x)_{21} \\\\ "
                + "&= \(e[0][0]) \\cdot \(e[1][1]) - \(e[0][1]) \\cdot \(e[1][0]) = \(detText) \\end{aligned}")
        } else {
            w.math("\\det(\(name)) = \(detText)")
        }

        // Eigenvalues, in LAPACK's order.
        let scale = values.map(\.length).max() ?? 0
        let texts = Format.complexes(values), moduli = Format.numbers(values.map(\.length))
        var t = Table(headers: ["", "$\\lambda$ (LAPACK dgeev)", "$\\lvert\\lambda\\rvert$", "$\\arg\\lambda$", "behaviour of $\\lambda^t$"],
                      alignments: [.left, .right, .right, .right, .left])
        for (k, z) in values.enumerated() {
            let re = Format.cleaned(z.real, scale: scale), im = Format.cleaned(z.imaginary, scale: scale)
            let arg = Double.atan2(y: im, x: re) * 180 / Double.pi
            let regime = Regime.of(z, scale: scale, unitTolerance: implied)
            t.row("$" + TeX.indexed("\\lambda", k + 1) + "$", texts[k], moduli[k], Format.number(arg, scale: 1) + "°", regime.description)
        }
        w.table(t)

        var angle: Double? = nil
        let tolText = Format.number(tolerance)
        switch kind {
        case .notOrthogonal:
            w.text("$\(name)$ is not orthogonal: $\(name)^\\top \(name)$ differs from $I$ by up to \(Format.number(deviation)) "
                + "(tolerance \(tolText)), so nothing holds its eigenvalues to $\\lvert\\lambda\\rvert = 1$.")
        case .rotation, .reflection:
            let rotation = kind == .rotation
            w.text("$\(name)$ is orthogonal ($\(name)^\\top \(name) = I$ within \(tolText)) and "
                + "$\\det(\(name)) = \(rotation ? "+1" : "-1")$: " + (rotation ? "a rotation." : "a reflection."))
            w.check(agreement("|det(\(name))| = 1 for an orthogonal matrix",
                              Expectation.compare(Swift.abs(det), 1, rtol: 0, atol: implied)))
            let worst = values.map { Swift.abs($0.length - 1) }.max() ?? 0
            w.check(condition(worst <= implied, "|λ| = 1 for every eigenvalue of an orthogonal matrix",
                              detail: "largest ||λ| − 1| = \(Format.number(worst)), allowed \(Format.number(implied))"))
            if n == 2 && rotation {
                let theta = Double.atan2(y: q[1, 0], x: q[0, 0])
                angle = theta
                rotation2D(&w, q, name: name, theta: theta, values: values, allowed: implied)
            } else if n == 2 {
                let phi = Double.atan2(y: q[1, 0], x: q[0, 0]) / 2
                angle = phi
                reflection2D(&w, q, name: name, phi: phi, allowed: implied)
            } else if n == 3 && rotation {
                let theta = Double.acos(Swift.min(1, Swift.max(-1, (q.trace - 1) / 2)))
                angle = theta
                rotation3D(&w, q, name: name, theta: theta, values: values, allowed: implied)
            }
        }
        return OrthogonalityWork(matrix: q, deviation: deviation, determinant: det, kind: kind,
                                 eigenvalues: values, angle: angle, example: w)
    }

    /// The letter for the entries: `q` for `Q`, `w` for `W`; `q` for a longer name such as `W_h`.
    static func entryLetter(_ name: String) -> String {
        name.count == 1 && name.first!.isLetter && name.first!.isASCII ? name.lowercased() : "q"
    }

    /// `e^{\pm i θ}` as numbers: `0.866025 \pm 0.5\mathrm{i}`, or `1` / `-1` when sin θ reads 0.
    static func unitPair(_ theta: Double) -> String {
        let z = Complex(Double.cos(theta), Double.sin(theta))
        if Format.number(z.imaginary, scale: 1) == "0" { return TeX.number(z.real, scale: 1) }
        return EigenvalueWork.pairText(z, scale: 1)
    }

    static func rotation2D(_ w: inout WorkedExample, _ q: Matrix, name: String, theta: Double,
                           values: [Complex<Double>], allowed: Double) {
        let x = entryLetter(name)
        w.math("\\begin{aligned} \\theta &= \\operatorname{atan2}(\(x)_{21}, \(x)_{11}) = \\operatorname{atan2}(\(TeX.number(q[1, 0], scale: 1)), "
            + "\(TeX.number(q[0, 0], scale: 1))) \\\\ &= \(TeX.angle(theta)) \\end{aligned}")
        w.math("\\lambda = e^{\\pm\\mathrm{i}\\theta} = \\cos\\theta \\pm \\mathrm{i}\\sin\\theta = \(unitPair(theta))")
        w.check(agreement("\(name) = R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]]",
                          Expectation.compare(q, Matrix.rotation(theta), rtol: 0, atol: allowed)))
        let expected = [Complex(Double.cos(theta), Double.sin(theta)), Complex(Double.cos(theta), -Double.sin(theta))]
        let (_, largest) = pairUp(values, with: expected)
        w.check(condition(largest <= allowed, "the eigenvalues are e^(±iθ)",
                          detail: "largest difference \(Format.number(largest)), allowed \(Format.number(allowed))"))
    }

    static func reflection2D(_ w: inout WorkedExample, _ q: Matrix, name: String, phi: Double, allowed: Double) {
        let x = entryLetter(name)
        w.math("\\begin{aligned} \\varphi &= \\tfrac{1}{2}\\operatorname{atan2}(\(x)_{21}, \(x)_{11}) = \\tfrac{1}{2}\\operatorname{atan2}(\(TeX.number(q[1, 0], scale: 1)), "
            + "\(TeX.number(q[0, 0], scale: 1))) \\\\ &= \(TeX.angle(phi)) \\end{aligned}")
        w.text("$\(name)$ mirrors the plane across the line through 0 at angle $\\varphi$: the direction "
            + "$u = (\\cos\\varphi, \\sin\\varphi)$ is kept ($\\lambda = 1$), the normal "
            + "$n = (-\\sin\\varphi, \\cos\\varphi)$ is reversed ($\\lambda = -1$).")
        let u: Vector = [Double.cos(phi), Double.sin(phi)], normal: Vector = [-Double.sin(phi), Double.cos(phi)]
        w.math("\\begin{aligned} u &= \(Math.vector(u)), & \(name)u &= \(Math.vector(q * u)) \\\\ "
            + "n &= \(Math.vector(normal)), & \(name)n &= \(Math.vector(q * normal)) \\end{aligned}")
        w.check(agreement("\(name)u = u on the mirror line", Expectation.compare((q * u).elements, u.elements, rtol: 0, atol: allowed)))
        w.check(agreement("\(name)n = −n across it", Expectation.compare((q * normal).elements, (-normal).elements, rtol: 0, atol: allowed)))
    }

    static func rotation3D(_ w: inout WorkedExample, _ q: Matrix, name: String, theta: Double,
                           values: [Complex<Double>], allowed: Double) {
        w.math("\\theta = \\arccos\\frac{\\operatorname{tr}(\(name)) - 1}{2} = \\arccos\\frac{\(TeX.number(q.trace, scale: 1)) - 1}{2} = \(TeX.angle(theta))")
        w.math("\\lambda = 1, \\ e^{\\pm\\mathrm{i}\\theta} = 1, \\ \(unitPair(theta))")
        let expected = [Complex(1, 0), Complex(Double.cos(theta), Double.sin(theta)), Complex(Double.cos(theta), -Double.sin(theta))]
        let (_, largest) = pairUp(values, with: expected)
        w.check(condition(largest <= allowed, "the eigenvalues are 1 and e^(±iθ)",
                          detail: "largest difference \(Format.number(largest)), allowed \(Format.number(allowed))"))
    }
}

/// Works whether `q` is orthogonal on the page: QᵀQ next to I with the largest
/// deviation, det Q, the eigenvalues with their magnitudes, and the verdict
/// (rotation, reflection, not orthogonal); θ for a 2-D rotation, the mirror
/// line for a 2-D reflection, the angle of a 3-D rotation. What orthogonality
/// implies (|det| = 1, |λ| = 1, Q = R(θ), …) is recorded as checks at this call's line.
@discardableResult
public func workOrthogonality(_ q: Matrix, name: String = "Q", tolerance: Double = 1e-10,
                              file: String = #filePath, line: Int = #line, column: Int = #column) -> OrthogonalityWork {
    let w = OrthogonalityWork.make(q, name: name, tolerance: tolerance)
    w.example.emit(file: file, line: line, column: column)
    return w
}
