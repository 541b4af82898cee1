import Numerics

/// What an (approximately) orthogonal matrix is.
public enum OrthogonalKind: Equatable, Sendable {
    /// QᵀQ = I and det Q = +1.
    case rotation
    /// QᵀQ = I and det Q = −1.
    case reflection
    /// Not orthogonal: `deviation` = max|QᵀQ − I| (NaN for non-finite input, +∞ for non-square).
    case notOrthogonal(deviation: Double)
}

extension Matrix {
    /// The 2-D rotation R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]].
    public static func rotation(_ theta: Double) -> Matrix {
        let c = Double.cos(theta), s = Double.sin(theta)
        return [[c, -s], [s, c]]
    }

    /// Givens rotation in n dimensions acting on coordinates (i, j): the identity with
    /// G[i,i] = G[j,j] = cos θ, G[i,j] = −sin θ, G[j,i] = sin θ (R(θ) in the (i, j) plane).
    public static func givens(_ n: Int, _ i: Int, _ j: Int, _ theta: Double) -> Matrix {
        precondition(i != j && (0..<n).contains(i) && (0..<n).contains(j),
                     "Matrix.givens: need distinct i, j in 0..<\(n), got \(i), \(j)")
        var g = identity(n)
        let c = Double.cos(theta), s = Double.sin(theta)
        g[i, i] = c; g[j, j] = c; g[i, j] = -s; g[j, i] = s
        return g
    }

    /// Householder reflection H = I − 2 v vᵀ / (vᵀ v) (reflects across the hyperplane ⟂ v).
    public static func householder(_ v: Vector) -> Matrix {
        let vv = v.dot(v)
        precondition(vv > 0, "Matrix.householder: v must be nonzero")
        return identity(v.count) - (2 / vv) * v.outer(v)
    }

    /// A Haar-distributed random orthogonal n×n matrix: Q from the QR factorization of an
    /// n×n standard Gaussian matrix, with column k multiplied by sign(R[k,k]) (sign 0 ↦ +1),
    /// so that the implied R has a positive diagonal and the factorization is unique.
    public static func randomOrthogonal(_ n: Int, using rng: inout Xoshiro256) -> Matrix {
        let g = gaussian(n, n, using: &rng)
        let f = orStop("randomOrthogonal") { try g.qr() }
        var q = f.Q
        for k in 0..<n where f.R[k, k] < 0 {
            for i in 0..<n { q[i, k] = -q[i, k] }
        }
        return q
    }

    /// This matrix times ρ/ρ(A), so that its spectral radius becomes `rho`.
    /// Throws if A is not square, not finite, or has spectral radius 0.
    public func rescaled(toSpectralRadius rho: Double) throws -> Matrix {
        let r = try checkedSpectralRadius()
        guard r > 0 else {
            throw LinearAlgebraError.invalidArgument("rescaled(toSpectralRadius:): the matrix has spectral radius 0")
        }
        return self * (rho / r)
    }

    /// max|AᵀA − I| (+∞ if not square).
    public var orthogonalityDeviation: Double {
        guard isSquare else { return .infinity }
        if !isFinite { return .nan }
        let d = transposed * self - Matrix.identity(rows)
        return d.maxAbs
    }

    /// True when the matrix is square and max|AᵀA − I| ≤ tolerance.
    public func isOrthogonal(tolerance: Double = 1e-10) -> Bool {
        orthogonalityDeviation <= tolerance
    }

    /// Rotation (det +1), reflection (det −1), or not orthogonal (with the deviation).
    public func orthogonalKind(tolerance: Double = 1e-10) -> OrthogonalKind {
        let dev = orthogonalityDeviation
        guard dev <= tolerance, let d = try? determinant() else { return .notOrthogonal(deviation: dev) }
        return d > 0 ? .rotation : .reflection
    }
}

// MARK: Cayley parametrisation

extension Matrix {
    /// The Cayley transform W = (I + A)⁻¹(I − A) of a skew-symmetric A (Aᵀ = −A).
    /// W is orthogonal with det W = +1 for every skew-symmetric A, so a recurrence
    /// parametrised by A stays orthogonal however A is updated, as long as A stays skew.
    /// Throws `.invalidArgument` if A is not square or not skew-symmetric (within 1e-12 · max|A|).
    public static func cayley(_ a: Matrix) throws -> Matrix {
        guard a.isSquare else { throw LinearAlgebraError.notSquare(operation: "cayley", shape: a.shapeDescription) }
        let dev = (a + a.transposed).maxAbs
        guard dev <= 1e-12 * Swift.max(1, a.maxAbs) else {
            throw LinearAlgebraError.invalidArgument("cayley: the matrix is not skew-symmetric (max|A + Aᵀ| = \(dev))")
        }
        let i = Matrix.identity(a.rows)
        return try (i + a).inverse() * (i - a)
    }

    /// The gradient of a loss L(W), W = cayley(A), with respect to the skew-symmetric A, given
    /// G = ∂L/∂W. Returned as the skew matrix K = M − Mᵀ with M = −(I + A)⁻ᵀ G (W + I)ᵀ: for i < j,
    /// K[i, j] is ∂L/∂a_ij for the free entry a_ij = A[i, j] = −A[j, i]. A ← A − η K stays skew.
    public static func cayleyGradient(skew a: Matrix, dW g: Matrix) throws -> Matrix {
        let i = Matrix.identity(a.rows)
        let binv = try (i + a).inverse()
        let w = binv * (i - a)
        let m = -1.0 * (binv.transposed * g * (w + i).transposed)
        return m - m.transposed
    }
}
