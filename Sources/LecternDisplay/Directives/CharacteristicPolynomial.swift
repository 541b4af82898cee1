// The characteristic polynomial of a 2×2 or 3×3 matrix and its roots, computed
// by hand formulas only (trace, principal minors, cofactor expansion; the
// quadratic formula, the trigonometric form and Cardano's formula for the
// cubic). Nothing here calls LAPACK: the eigenvalue example compares these
// roots with LAPACK's eigenvalues, so the two must stay independent.

/// p(λ) = det(λI − A) for a 2×2 or 3×3 matrix, with the intermediate numbers
/// a worked example shows.
public struct CharacteristicPolynomial: Sendable, Equatable {
    /// Monic coefficients, highest power first: `[1, −tr(A), det(A)]` (2×2) or
    /// `[1, −tr(A), M₁₁ + M₂₂ + M₃₃, −det(A)]` (3×3). Each is zeroed with the
    /// number rule relative to ‖A‖_F to its degree (c_k below 1e-12 · ‖A‖_F^k reads 0).
    public let coefficients: [Double]
    public let trace: Double
    public let determinant: Double
    /// 3×3 only: the minors M₁₁, M₂₂, M₃₃ (principal) and M₁₂, M₁₃ (for the expansion along row 1).
    public let minors: [String: Double]
    /// ‖A‖_F, the scale of the zeroing and of the root tolerances.
    public let scale: Double

    /// Nil unless `a` is 2×2 or 3×3 with finite entries.
    public init?(_ a: Matrix) {
        guard a.isSquare, a.rows == 2 || a.rows == 3, a.isFinite else { return nil }
        let s = a.frobeniusNorm
        scale = s
        func clean(_ x: Double, _ k: Int) -> Double { Format.cleaned(x, scale: Double.pow(s, k)) }
        if a.rows == 2 {
            trace = clean(a[0, 0] + a[1, 1], 1)
            determinant = clean(a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0], 2)
            minors = [:]
            coefficients = [1, Format.cleaned(-trace, scale: s), determinant]
        } else {
            let m11 = a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]
            let m22 = a[0, 0] * a[2, 2] - a[0, 2] * a[2, 0]
            let m33 = a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]
            let m12 = a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0]
            let m13 = a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]
            minors = ["11": clean(m11, 2), "22": clean(m22, 2), "33": clean(m33, 2),
                      "12": clean(m12, 2), "13": clean(m13, 2)]
            trace = clean(a[0, 0] + a[1, 1] + a[2, 2], 1)
            determinant = clean(a[0, 0] * m11 - a[0, 1] * m12 + a[0, 2] * m13, 3)
            let c1 = clean(m11 + m22 + m33, 2)
            coefficients = [1, Format.cleaned(-trace, scale: s), c1, Format.cleaned(-determinant, scale: s * s * s)]
        }
    }

    public var degree: Int { coefficients.count - 1 }

    /// p(x) by Horner's rule.
    public func callAsFunction(_ x: Double) -> Double {
        coefficients.dropFirst().reduce(1.0) { $0 * x + $1 }
    }

    /// p′(x) by Horner's rule.
    func derivative(_ x: Double) -> Double {
        var p = 0.0, d = 0.0
        for c in coefficients { d = d * x + p; p = p * x + c }
        return d
    }

    /// The roots, by the quadratic formula or the closed forms of the cubic.
    public func roots() -> PolynomialRoots {
        degree == 2 ? quadraticRoots() : cubicRoots()
    }

    // MARK: Quadratic

    func quadraticRoots() -> PolynomialRoots {
        let b = coefficients[1], c = coefficients[2]
        let delta = Format.cleaned(b * b - 4 * c, scale: scale * scale)
        if delta > 0 {
            // The larger root without cancellation, the other from the product c.
            let q = -(b + (b < 0 ? -1 : 1) * delta.squareRoot()) / 2
            let r = [q, c / q].sorted(by: >)
            return PolynomialRoots(kind: .twoDistinctReal, values: r.map { Complex($0, 0) }, multiplicities: [1, 1],
                                   discriminant: delta, depressed: nil)
        }
        if delta == 0 {
            let r = -b / 2
            return PolynomialRoots(kind: .repeatedReal, values: [Complex(r, 0), Complex(r, 0)], multiplicities: [2, 2],
                                   discriminant: 0, depressed: nil)
        }
        let re = -b / 2, im = (-delta).squareRoot() / 2
        return PolynomialRoots(kind: .complexPair, values: [Complex(re, im), Complex(re, -im)], multiplicities: [1, 1],
                               discriminant: delta, depressed: nil)
    }

    // MARK: Cubic

    func cubicRoots() -> PolynomialRoots {
        let b = coefficients[1], c = coefficients[2], d = coefficients[3]
        let s2 = scale * scale, s3 = s2 * scale
        // λ = t − b/3 turns p into t³ + p t + q.
        let shift = -b / 3
        let p = Format.cleaned(c - b * b / 3, scale: s2)
        let q = Format.cleaned(2 * b * b * b / 27 - b * c / 3 + d, scale: s3)
        let delta = Format.cleaned(-(4 * p * p * p + 27 * q * q), scale: s3 * s3)
        let depressed = (shift: shift, p: p, q: q)

        if p == 0 && q == 0 {
            let r = Complex(shift, 0)
            return PolynomialRoots(kind: .triple, values: [r, r, r], multiplicities: [3, 3, 3],
                                   discriminant: 0, depressed: depressed)
        }
        if delta == 0 {
            // A double root −3q/(2p) and a simple root 3q/p (p ≠ 0 here).
            let double = -3 * q / (2 * p) + shift
            let simple = polish(3 * q / p + shift)
            var entries = [(double, 2), (double, 2), (simple, 1)]
            entries.sort { $0.0 > $1.0 }
            return PolynomialRoots(kind: .doubleAndSimple, values: entries.map { Complex($0.0, 0) },
                                   multiplicities: entries.map(\.1), discriminant: 0, depressed: depressed)
        }
        if delta > 0 {
            // Three real roots: the trigonometric form (p < 0 here).
            let m = 2 * (-p / 3).squareRoot()
            let arg = Swift.min(1, Swift.max(-1, (3 * q / (2 * p)) * (-3 / p).squareRoot()))
            let phi = Double.acos(arg) / 3
            let ts = (0..<3).map { k in m * Double.cos(phi - 2 * Double.pi * Double(k) / 3) }
            let rs = ts.map { polish($0 + shift) }.sorted(by: >)
            return PolynomialRoots(kind: .threeDistinctReal, values: rs.map { Complex($0, 0) }, multiplicities: [1, 1, 1],
                                   discriminant: delta, depressed: depressed)
        }
        // One real root (Cardano, the cube root taken where nothing cancels) and a
        // complex pair from the quadratic left after dividing it out.
        let w = (q * q / 4 + p * p * p / 27).squareRoot()
        let u = Double.root(-q / 2 - (q < 0 ? -1 : 1) * w, 3)
        let t = u == 0 ? 0 : u - p / (3 * u)
        let r = polish(t + shift)
        let (B, C) = deflate(r)
        let re = -B / 2, im = Swift.max(0, 4 * C - B * B).squareRoot() / 2
        return PolynomialRoots(kind: .realAndComplexPair,
                               values: [Complex(r, 0), Complex(re, im), Complex(re, -im)],
                               multiplicities: [1, 1, 1], discriminant: delta, depressed: depressed)
    }

    /// The quadratic λ² + Bλ + C left when the root r is divided out of the cubic.
    func deflate(_ r: Double) -> (B: Double, C: Double) {
        let B = coefficients[1] + r
        return (B, coefficients[2] + r * B)
    }

    /// A few Newton steps on p, each kept only if it makes |p| smaller.
    func polish(_ x0: Double) -> Double {
        var x = x0, fx = Swift.abs(self(x))
        for _ in 0..<4 where fx > 0 {
            let d = derivative(x)
            guard d != 0, d.isFinite else { break }
            let y = x - self(x) / d
            let fy = Swift.abs(self(y))
            guard fy < fx else { break }
            x = y; fx = fy
        }
        return x
    }
}

/// The roots of a characteristic polynomial and which case they are.
public struct PolynomialRoots: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case twoDistinctReal = "two distinct real roots"
        case repeatedReal = "a repeated real root"
        case complexPair = "a complex conjugate pair"
        case threeDistinctReal = "three distinct real roots"
        case doubleAndSimple = "a double root and a simple root"
        case triple = "a triple root"
        case realAndComplexPair = "one real root and a complex conjugate pair"
    }

    public var kind: Kind
    /// Every root, repeated by multiplicity: real roots in decreasing order,
    /// a complex pair with the positive imaginary part first.
    public var values: [Complex<Double>]
    /// The multiplicity of each entry of `values`.
    public var multiplicities: [Int]
    /// Quadratic: tr² − 4 det. Cubic: −(4p³ + 27q²) of the depressed cubic.
    public var discriminant: Double
    /// Cubic only: λ = t + shift turns p(λ) into t³ + p t + q.
    public var depressed: (shift: Double, p: Double, q: Double)?

    public static func == (a: PolynomialRoots, b: PolynomialRoots) -> Bool {
        a.kind == b.kind && a.values == b.values && a.multiplicities == b.multiplicities
            && a.discriminant == b.discriminant && a.depressed?.shift == b.depressed?.shift
            && a.depressed?.p == b.depressed?.p && a.depressed?.q == b.depressed?.q
    }
}
