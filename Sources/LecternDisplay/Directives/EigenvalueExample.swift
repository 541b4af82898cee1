// workEigenvalues(A): the eigenvalues of a 2×2 or 3×3 matrix worked by hand
// (A − λI, the characteristic polynomial, its roots and their case), set next
// to LAPACK's eigenvalues with the agreement recorded as a check, and each
// eigenvalue's growth regime. Larger matrices get a table of LAPACK's
// eigenvalues checked against the trace and the determinant.

/// A worked eigenvalue example: what `workEigenvalues` showed and computed.
public struct EigenvalueWork: Sendable {
    public let matrix: Matrix
    /// The characteristic polynomial (2×2 and 3×3 only).
    public let polynomial: CharacteristicPolynomial?
    /// Its roots, computed without LAPACK (2×2 and 3×3 only).
    public let roots: PolynomialRoots?
    /// LAPACK's eigenvalues (dgeev): for 2×2 and 3×3 in the order of the roots
    /// they were paired with, otherwise by decreasing modulus.
    public let eigenvalues: [Complex<Double>]
    /// The regime of each eigenvalue (of the roots for 2×2 and 3×3).
    public let regimes: [Regime]
    /// The steps shown.
    public let example: WorkedExample

    /// True when every recorded agreement holds.
    public var passed: Bool { example.passed }

    /// Works the example without emitting anything.
    public static func make(_ a: Matrix, name: String = "A", unitTolerance: Double = 1e-9) -> EigenvalueWork {
        func refused(_ message: String) -> EigenvalueWork {
            EigenvalueWork(matrix: a, polynomial: nil, roots: nil, eigenvalues: [], regimes: [],
                           example: .refusal("workEigenvalues: " + message))
        }
        guard a.isSquare, a.rows > 0 else { return refused("needs a non-empty square matrix, got \(a.shapeDescription)") }
        guard a.isFinite else { return refused("the matrix has an entry that is NaN or infinite") }
        if a.rows == 2 || a.rows == 3 {
            // The discriminant scales like ‖A‖_F² (2×2) or ‖A‖_F⁶ (3×3): it must stay a normal double.
            let s = a.frobeniusNorm, k = a.rows == 2 ? 2 : 6
            let sk = Double.pow(s, k)
            guard s == 0 || (sk >= 1e-280 && sk <= 1e280) else {
                return refused("‖\(name)‖_F = \(Format.number(s)) is too \(sk > 1 ? "large" : "small") to work by hand "
                    + "(its discriminant would leave the range of Double); scale the matrix first")
            }
        }
        let lapack: [Complex<Double>]
        do { lapack = try a.eigenvalues() } catch { return refused("LAPACK failed: \(error)") }
        guard let poly = CharacteristicPolynomial(a) else {
            return fallback(a, name: name, lapack: lapack, unitTolerance: unitTolerance)
        }
        return worked(a, name: name, poly: poly, lapack: lapack, unitTolerance: unitTolerance)
    }

    // MARK: Agreement of roots and LAPACK

    /// How far a root of multiplicity `m` may be from LAPACK's eigenvalue:
    /// ‖A‖_F · max(1e-9, 16 ε^(1/m)). A root of multiplicity m moves by about
    /// ε^(1/m) under a perturbation of size ε, so a double root (a defective
    /// matrix such as [[1, 1], [0, 1]]) is only determined to about √ε.
    public static func tolerance(multiplicity m: Int, scale: Double) -> Double {
        scale * Swift.max(1e-9, 16 * Double.pow(Double.ulpOfOne, 1 / Double(Swift.max(1, m))))
    }

    /// Pairs the roots with LAPACK's eigenvalues (the pairing that makes the largest
    /// difference relative to its tolerance smallest) and checks every pair. Returns
    /// the eigenvalues in the order of the roots, and the outcome to record.
    public static func compare(roots: [Complex<Double>], multiplicities: [Int], eigenvalues: [Complex<Double>],
                               scale: Double) -> (paired: [Complex<Double>], result: ExpectResult) {
        let rule = "|root − eigenvalue| ≤ ‖A‖_F · max(1e-9, 16 ε^(1/m)) for a root of multiplicity m, after pairing"
        let expectedText = "[" + Format.complexes(roots).joined(separator: ", ") + "]"
        guard roots.count == eigenvalues.count, roots.count == multiplicities.count else {
            return (eigenvalues, ExpectResult(passed: false,
                message: "the characteristic polynomial has \(roots.count) roots but LAPACK returned \(eigenvalues.count) eigenvalues",
                actual: "[" + Format.complexes(eigenvalues).joined(separator: ", ") + "]", expected: expectedText, rule: rule))
        }
        let tols = multiplicities.map { tolerance(multiplicity: $0, scale: scale) }
        func ratio(_ i: Int, _ j: Int) -> Double {
            let d = (roots[i] - eigenvalues[j]).length
            if d == 0 { return 0 }
            return tols[i] > 0 ? d / tols[i] : .infinity
        }
        var best: [Int] = Array(roots.indices), bestWorst = Double.infinity
        for perm in permutations(roots.count) {
            let worst = roots.indices.map { ratio($0, perm[$0]) }.max() ?? 0
            if worst < bestWorst { best = perm; bestWorst = worst }
        }
        let paired = best.map { eigenvalues[$0] }
        let actualText = "[" + Format.complexes(paired).joined(separator: ", ") + "]"
        let k = roots.indices.max { ratio($0, best[$0]) < ratio($1, best[$1]) } ?? 0
        let diff = roots.isEmpty ? 0 : (roots[k] - paired[k]).length
        let ok = roots.indices.allSatisfy { (roots[$0] - paired[$0]).length <= tols[$0] }
        let multiple = roots.isEmpty || multiplicities[k] == 1 ? "" : " for a root of multiplicity \(multiplicities[k])"
        let message: String
        if ok {
            message = "the roots of the characteristic polynomial agree with LAPACK's eigenvalues (dgeev): "
                + "largest difference \(Format.number(diff)), allowed \(Format.number(tols[k]))\(multiple)"
        } else {
            message = "the roots of the characteristic polynomial disagree with LAPACK's eigenvalues (dgeev): "
                + "root \(Format.complex(roots[k], digits: 10)) and eigenvalue \(Format.complex(paired[k], digits: 10)) "
                + "differ by \(Format.number(diff)), allowed \(Format.number(tols[k]))\(multiple)"
        }
        return (paired, ExpectResult(passed: ok, message: message, actual: actualText, expected: expectedText, rule: rule))
    }

    /// All orderings of 0..<n (n ≤ 3 here; larger n falls back to the identity and its reversal).
    static func permutations(_ n: Int) -> [[Int]] {
        guard n <= 6 else { return [Array(0..<n), Array((0..<n).reversed())] }
        if n <= 1 { return [Array(0..<n)] }
        var out: [[Int]] = []
        for p in permutations(n - 1) {
            for k in 0...p.count { var q = p; q.insert(n - 1, at: k); out.append(q) }
        }
        return out
    }

    // MARK: 2×2 and 3×3

    static func worked(_ a: Matrix, name: String, poly: CharacteristicPolynomial, lapack: [Complex<Double>],
                       unitTolerance: Double) -> EigenvalueWork {
        var w = WorkedExample()
        let n = a.rows
        let s = poly.scale
        let entries = Format.matrix(a)
        let e = entries.map { $0.map(Format.latex(fromText:)) }
        let tr = "\\operatorname{tr}(\(name))", det = "\\det(\(name))"

        // Side by side while the entries are short, else one under the other.
        if entries.joined().allSatisfy({ $0.count <= 4 }) {
            w.math("\(name) = \(Math.matrix(a)), \\qquad \(name) - \\lambda I = \(shifted(entries))")
        } else {
            w.math("\(name) = \(Math.matrix(a))")
            w.math("\(name) - \\lambda I = \(shifted(entries))")
        }

        let coefficientTexts = poly.coefficients.map { Format.number($0) }
        let equation = TeX.polynomial(coefficientTexts)
        let trText = TeX.number(poly.trace), detText = TeX.number(poly.determinant)
        if n == 2 {
            w.math("\\det(\(name) - \\lambda I) = \\lambda^2 - \(tr)\\,\\lambda + \(det)")
            w.math("\\begin{aligned} \(tr) &= \(TeX.sum([e[0][0], e[1][1]])) = \(trText) \\\\ "
                + "\(det) &= \(TeX.factor(e[0][0])) \\cdot \(TeX.factor(e[1][1])) - \(TeX.factor(e[0][1])) \\cdot \(TeX.factor(e[1][0])) = \(detText) \\end{aligned}")
        } else {
            let m = poly.minors.mapValues { TeX.number($0) }
            w.math("\\det(\\lambda I - \(name)) = \\lambda^3 - \(tr)\\,\\lambda^2 + (M_{11} + M_{22} + M_{33})\\,\\lambda - \(det)")
            w.text("Here $a_{ij}$ are the entries of $\(name)$ and $M_{ij}$ is the minor of $\(name)$ without row $i$ and column $j$.")
            let c1 = TeX.number(poly.coefficients[2])
            w.math("\\begin{aligned} \(tr) &= \(TeX.sum([e[0][0], e[1][1], e[2][2]])) = \(trText) \\\\ "
                + "M_{11} + M_{22} + M_{33} &= \(TeX.sum([m["11"]!, m["22"]!, m["33"]!])) = \(c1) \\\\ "
                + "\(det) &= a_{11}M_{11} - a_{12}M_{12} + a_{13}M_{13} \\\\ "
                + "&= \(TeX.factor(e[0][0])) \\cdot \(TeX.factor(m["11"]!)) - \(TeX.factor(e[0][1])) \\cdot \(TeX.factor(m["12"]!)) + "
                + "\(TeX.factor(e[0][2])) \\cdot \(TeX.factor(m["13"]!)) = \(detText) \\end{aligned}")
        }
        w.math(equation + " = 0")

        let roots = poly.roots()
        let rootTexts = Format.complexes(roots.values)
        let rootScale = roots.values.map(\.length).max() ?? 0
        if n == 2 {
            quadraticSteps(&w, name: name, poly: poly, roots: roots, rootTexts: rootTexts, equation: equation, scale: rootScale)
        } else {
            cubicSteps(&w, name: name, poly: poly, roots: roots, rootTexts: rootTexts, equation: equation, scale: rootScale)
        }

        let (paired, agreement) = compare(roots: roots.values, multiplicities: roots.multiplicities,
                                          eigenvalues: lapack, scale: s)
        let regimes = roots.values.map { Regime.of($0, scale: rootScale, unitTolerance: unitTolerance) }
        var t = Table(headers: ["", "root of the characteristic polynomial", "LAPACK (dgeev)",
                                "$\\lvert\\lambda\\rvert$", "behaviour of $\\lambda^t$"],
                      alignments: [.left, .right, .right, .right, .left])
        let lapackTexts = Format.complexes(paired)
        let moduli = Format.numbers(roots.values.map(\.length))
        for k in roots.values.indices {
            t.row("$" + TeX.indexed("\\lambda", k + 1) + "$", rootTexts[k], lapackTexts[k], moduli[k], regimes[k].description)
        }
        w.table(t)
        w.check(agreement)
        return EigenvalueWork(matrix: a, polynomial: poly, roots: roots, eigenvalues: paired, regimes: regimes, example: w)
    }

    /// A − λI: `a_ii - \lambda` on the diagonal (`-\lambda` when a_ii reads 0).
    static func shifted(_ entries: [[String]]) -> String {
        let rows = entries.enumerated().map { i, row in
            row.enumerated().map { j, t -> String in
                guard i == j else { return Format.latex(fromText: t) }
                return t == "0" ? "-\\lambda" : Format.latex(fromText: t) + " - \\lambda"
            }.joined(separator: " & ")
        }
        return "\\begin{pmatrix} " + rows.joined(separator: " \\\\ ") + " \\end{pmatrix}"
    }

    /// `a \pm b\mathrm{i}` for a conjugate pair (parts zeroed relative to `scale`).
    static func pairText(_ z: Complex<Double>, scale: Double) -> String {
        let re = Format.number(z.real, scale: scale)
        let im = Format.number(Swift.abs(z.imaginary), scale: scale)
        let imTeX = (im == "1" ? "" : Format.latex(fromText: im)) + "\\mathrm{i}"
        return re == "0" ? "\\pm " + imTeX : Format.latex(fromText: re) + " \\pm " + imTeX
    }

    /// `\lambda_1 = 2, \quad \lambda_2 = \lambda_3 = 1`: equal roots (as printed) share one `=` chain.
    static func rootList(_ texts: [String], from first: Int = 1) -> String {
        var groups: [(indices: [Int], text: String)] = []
        for (k, t) in texts.enumerated() {
            if let last = groups.last, last.text == t { groups[groups.count - 1].indices.append(k + first) }
            else { groups.append(([k + first], t)) }
        }
        return groups.map { g in
            g.indices.map { TeX.indexed("\\lambda", $0) }.joined(separator: " = ") + " = " + Format.latex(fromText: g.text)
        }.joined(separator: ", \\quad ")
    }

    /// The real roots as (text, multiplicity) for the factored form.
    static func realFactors(_ roots: PolynomialRoots, _ texts: [String]) -> [(text: String, multiplicity: Int)] {
        var out: [(text: String, multiplicity: Int)] = []
        var k = 0
        while k < texts.count {
            let m = roots.multiplicities[k]
            out.append((texts[k], m))
            k += m
        }
        return out
    }

    static func quadraticSteps(_ w: inout WorkedExample, name: String, poly: CharacteristicPolynomial, roots: PolynomialRoots,
                               rootTexts: [String], equation: String, scale: Double) {
        let tr = "\\operatorname{tr}(\(name))"
        let trText = TeX.number(poly.trace), detText = TeX.number(poly.determinant)
        let delta = roots.discriminant
        let deltaText = TeX.number(delta)
        let sign = delta > 0 ? " > 0" : (delta < 0 ? " < 0" : "")
        w.math("\\Delta = \(tr)^2 - 4\\det(\(name)) = \(TeX.factor(trText))^2 - 4 \\cdot \(TeX.factor(detText)) = \(deltaText)\(sign)")
        w.text("$\\Delta\(sign.isEmpty ? " = 0" : sign)$: \(roots.kind.rawValue).")
        switch roots.kind {
        case .twoDistinctReal:
            let formula = trText == "0" ? "\\pm\\frac{\\sqrt{\(deltaText)}}{2}" : "\\frac{\(trText) \\pm \\sqrt{\(deltaText)}}{2}"
            w.math("\\lambda = \(formula): \\quad \(rootList(rootTexts))")
            w.math("\(equation) = \(TeX.factored(realFactors(roots, rootTexts)))")
        case .repeatedReal:
            w.math("\\lambda_1 = \\lambda_2 = \\frac{\(tr)}{2} = \\frac{\(trText)}{2} = \(Format.latex(fromText: rootTexts[0]))")
            w.math("\(equation) = \(TeX.factored(realFactors(roots, rootTexts)))")
        default:
            let root = "\\mathrm{i}\\sqrt{\(TeX.number(-delta))}"
            let formula = trText == "0" ? "\\pm\\frac{\(root)}{2}" : "\\frac{\(trText) \\pm \(root)}{2}"
            w.math("\\lambda = \(formula): \\quad \\lambda_{1,2} = \(pairText(roots.values[0], scale: scale))")
        }
    }

    static func cubicSteps(_ w: inout WorkedExample, name: String, poly: CharacteristicPolynomial, roots: PolynomialRoots,
                           rootTexts: [String], equation: String, scale: Double) {
        guard let dep = roots.depressed else { return }
        let shiftText = Format.number(dep.shift)
        let lambdaOfT = shiftText == "0" ? "t" : TeX.sum(["t", Format.latex(fromText: shiftText)])
        let delta = roots.discriminant
        let sign = delta > 0 ? " > 0" : (delta < 0 ? " < 0" : "")
        w.math("\\begin{aligned} \\lambda &= t + \\tfrac{\\operatorname{tr}(\(name))}{3} = \(lambdaOfT) \\;\\Rightarrow\\; t^3 + p\\,t + q = 0 \\\\ "
            + "p &= \(TeX.number(dep.p)), \\quad q = \(TeX.number(dep.q)) \\\\ "
            + "\\Delta &= -(4p^3 + 27q^2) = \(TeX.number(delta))\(sign) \\end{aligned}")
        let condition = roots.kind == .triple ? "p = q = 0" : "\\Delta" + (sign.isEmpty ? " = 0" : sign)
        w.text("$\(condition)$: \(roots.kind.rawValue).")
        let factors = TeX.factored(realFactors(roots, rootTexts))
        switch roots.kind {
        case .threeDistinctReal:
            w.math("t_k = 2\\sqrt{-p/3}\\,\\cos\\Big(\\tfrac{1}{3}\\arccos\\big(\\tfrac{3q}{2p}\\sqrt{-3/p}\\big) - \\tfrac{2\\pi k}{3}\\Big), \\quad k = 0, 1, 2")
            w.math(rootList(rootTexts))
            w.math("\(equation) = \(factors)")
        case .doubleAndSimple:
            w.math("t = -\\tfrac{3q}{2p} \\text{ (double)}, \\quad t = \\tfrac{3q}{p}: \\quad \(rootList(rootTexts))")
            w.math("\(equation) = \(factors)")
        case .triple:
            w.math("\\lambda_1 = \\lambda_2 = \\lambda_3 = \\tfrac{\\operatorname{tr}(\(name))}{3} = \(Format.latex(fromText: rootTexts[0]))")
            w.math("\(equation) = \(factors)")
        default:
            let r = roots.values[0].real
            let (B, C) = poly.deflate(r)
            let rText = Format.number(r, scale: scale)
            let quadratic = TeX.polynomial(["1", Format.number(B, scale: scale), Format.number(C, scale: scale * scale)])
            w.math("t_1 = \\sqrt[3]{-\\tfrac{q}{2} + \\sqrt{\\tfrac{q^2}{4} + \\tfrac{p^3}{27}}} + \\sqrt[3]{-\\tfrac{q}{2} - \\sqrt{\\tfrac{q^2}{4} + \\tfrac{p^3}{27}}}, "
                + "\\quad \\lambda_1 = \(Format.latex(fromText: rText))")
            w.math("\(equation) = \(TeX.factored([(rText, 1)]))(\(quadratic))")
            w.math("\(quadratic) = 0: \\quad \\lambda_{2,3} = \(pairText(roots.values[1], scale: scale))")
        }
    }

    // MARK: Other sizes

    static func fallback(_ a: Matrix, name: String, lapack: [Complex<Double>], unitTolerance: Double) -> EigenvalueWork {
        var w = WorkedExample()
        let n = a.rows
        let values = lapack.sorted { x, y in
            let (mx, my) = (x.length, y.length)
            if mx != my { return mx > my }
            if x.real != y.real { return x.real > y.real }
            return x.imaginary > y.imaginary
        }
        if n <= 8 { w.math("\(name) = \(Math.matrix(a))") }
        if n == 1 {
            w.text("A 1×1 matrix has one eigenvalue, its entry.")
        } else {
            w.text("For a \(n)×\(n) matrix the characteristic polynomial is not worked by hand: the eigenvalues "
                + "come from LAPACK (dgeev) and are checked against the trace and the determinant.")
        }
        let scale = values.map(\.length).max() ?? 0
        let regimes = values.map { Regime.of($0, scale: scale, unitTolerance: unitTolerance) }
        var t = Table(headers: ["", "$\\lambda$ (LAPACK dgeev)", "$\\lvert\\lambda\\rvert$", "behaviour of $\\lambda^t$"],
                      alignments: [.left, .right, .right, .left])
        let texts = Format.complexes(values), moduli = Format.numbers(values.map(\.length))
        for k in values.indices {
            t.row("$" + TeX.indexed("\\lambda", k + 1) + "$", texts[k], moduli[k], regimes[k].description)
        }
        w.table(t)

        // Σλ = tr(A) and Πλ = det(A), the product compared on A/‖A‖_F so that it cannot overflow.
        let s = a.frobeniusNorm
        let sum = values.reduce(Complex<Double>.zero, +)
        let trace = a.trace
        let sumTol = 1e-9 * Double(n) * s
        let sumOK = (sum - Complex(trace, 0)).length <= sumTol
        w.check(condition(sumOK, "Σλ = tr(\(name))",
                          detail: "Σλ = \(Format.complex(sum, digits: sumOK ? 6 : 10)), tr = \(Format.number(trace)), allowed \(Format.number(sumTol))",
                          actual: Format.complex(sum), expected: Format.number(trace), rule: "|Σλ − tr| ≤ 1e-9 · n · ‖A‖_F"))
        if s > 0 {
            let scaled = a / s
            let detScaled = (try? scaled.determinant()) ?? .nan
            let prodScaled = values.reduce(Complex<Double>(1, 0)) { $0 * ($1 / Complex(s, 0)) }
            let prodTol = 1e-9 * Double(n)
            let prodOK = (prodScaled - Complex(detScaled, 0)).length <= prodTol
            let det = (try? a.determinant()) ?? .nan
            let prod = values.reduce(Complex<Double>(1, 0), *)
            w.check(condition(prodOK, "Πλ = det(\(name))",
                              detail: "Πλ = \(Format.complex(prod)), det = \(Format.number(det)); compared on \(name)/‖\(name)‖_F within \(Format.number(prodTol))",
                              actual: Format.complex(prod), expected: Format.number(det),
                              rule: "|Π(λ/‖A‖_F) − det(A/‖A‖_F)| ≤ 1e-9 · n"))
        }
        return EigenvalueWork(matrix: a, polynomial: nil, roots: nil, eigenvalues: values, regimes: regimes, example: w)
    }
}

/// Works the eigenvalues of `a` on the page: for 2×2 and 3×3, A − λI, the
/// characteristic polynomial with its coefficients, its roots and their case,
/// LAPACK's eigenvalues next to them (the agreement is recorded as a check at
/// this call's line), and each eigenvalue's regime (vanishing / stable /
/// exploding, oscillating). Other sizes: a table of LAPACK's eigenvalues,
/// checked against the trace and the determinant. `name` is LaTeX.
@discardableResult
public func workEigenvalues(_ a: Matrix, name: String = "A", unitTolerance: Double = 1e-9,
                            file: String = #filePath, line: Int = #line, column: Int = #column) -> EigenvalueWork {
    let w = EigenvalueWork.make(a, name: name, unitTolerance: unitTolerance)
    w.example.emit(file: file, line: line, column: column)
    return w
}
