import Numerics

/// Matrix norms understood by `Matrix.norm(_:)`.
public enum MatrixNorm: Sendable {
    /// √(Σ aᵢⱼ²)
    case frobenius
    /// Largest singular value σ₁ (the operator 2-norm).
    case spectral
    /// Maximum absolute column sum.
    case one
    /// Maximum absolute row sum.
    case infinity
}

extension Matrix {
    /// Frobenius norm √(Σ aᵢⱼ²).
    public var frobeniusNorm: Double { Vector(storage).norm }
    /// ‖A‖₁: maximum absolute column sum.
    public var norm1: Double {
        var best = 0.0
        for j in 0..<cols {
            var s = 0.0
            for i in 0..<rows { s += abs(storage[i + j * rows]) }
            best = Swift.max(best, s)
        }
        return best
    }
    /// ‖A‖∞: maximum absolute row sum.
    public var normInf: Double {
        var sums = [Double](repeating: 0, count: rows)
        for j in 0..<cols { for i in 0..<rows { sums[i] += abs(storage[i + j * rows]) } }
        return sums.max() ?? 0
    }

    /// The requested norm; throws for NaN/∞ input or a LAPACK failure (spectral norm uses dgesdd).
    public func norm(_ kind: MatrixNorm) throws -> Double {
        switch kind {
        case .frobenius: return frobeniusNorm
        case .one: return norm1
        case .infinity: return normInf
        case .spectral: return try checkedSpectralNorm()
        }
    }

    /// σ₁ = ‖A‖₂ (throws on NaN/∞ or LAPACK failure).
    public func checkedSpectralNorm() throws -> Double {
        if rows == 0 || cols == 0 { return 0 }
        return try singularValues()[0]
    }
    /// ρ(A) = max |λ| (throws on non-square, NaN/∞ or LAPACK failure).
    public func checkedSpectralRadius() throws -> Double {
        try requireSquare("spectralRadius")
        if rows == 0 { return 0 }
        return try EigenvalueWorkspace(size: rows).spectralRadius(self)
    }
    /// κ₂(A) = σ_max / σ_min; +∞ for a singular (or non-square rank-deficient) matrix.
    public func checkedConditionNumber() throws -> Double {
        let s = try singularValues()
        guard let hi = s.first, let lo = s.last else { return 0 }
        return lo == 0 ? .infinity : hi / lo
    }

    /// ‖A‖₂ = σ₁. Stops with a message on NaN/∞ input (use `checkedSpectralNorm()` to catch).
    public var spectralNorm: Double { orStop("spectralNorm") { try checkedSpectralNorm() } }
    /// ρ(A) = max |λᵢ|. Stops with a message on bad input (use `checkedSpectralRadius()` to catch).
    public var spectralRadius: Double { orStop("spectralRadius") { try checkedSpectralRadius() } }
    /// κ₂(A) = σ_max/σ_min. Stops with a message on bad input (use `checkedConditionNumber()` to catch).
    public var conditionNumber: Double { orStop("conditionNumber") { try checkedConditionNumber() } }
}
