/// Gradient clipping. Norm-based clipping follows g ← τ g/‖g‖ when ‖g‖ > τ exactly
/// (TensorFlow's `clip_by_norm` / `clip_by_global_norm`; PyTorch's `clip_grad_norm_` divides
/// by ‖g‖ + 1e-6 instead, a difference below 1e-6 relative). Each returns what it applied.

/// Scales `g` to norm τ if its Frobenius norm exceeds τ. Returns the scale applied (1 if none).
@discardableResult
public func clipByNorm(_ g: inout Matrix, maxNorm tau: Double) -> Double {
    let s = clipScale(norm: g.frobeniusNorm, maxNorm: tau)
    if s != 1 { g *= s }
    return s
}
/// Scales `g` to norm τ if ‖g‖₂ exceeds τ. Returns the scale applied (1 if none).
@discardableResult
public func clipByNorm(_ g: inout Vector, maxNorm tau: Double) -> Double {
    let s = clipScale(norm: g.norm, maxNorm: tau)
    if s != 1 { g = g * s }
    return s
}

/// The global norm √(Σₖ ‖gₖ‖²_F) over several tensors.
public func globalNorm(_ gs: [Matrix]) -> Double {
    Vector(gs.map { $0.frobeniusNorm }).norm
}

/// Clips several tensors together by their global norm (as PyTorch `clip_grad_norm_` and
/// TensorFlow `clip_by_global_norm`): if N = √(Σ‖gₖ‖²) > τ every gₖ is multiplied by τ/N.
/// Returns the scale applied (1 if none). Vectors can be passed as `v.asColumn`.
@discardableResult
public func clipByGlobalNorm(_ gs: inout [Matrix], maxNorm tau: Double) -> Double {
    let s = clipScale(norm: globalNorm(gs), maxNorm: tau)
    if s != 1 { for k in gs.indices { gs[k] *= s } }
    return s
}

/// Clamps every entry to [−limit, limit]. Returns the number of entries that were changed
/// (value clipping has no single scale factor; it can change the gradient's direction).
@discardableResult
public func clipByValue(_ g: inout Matrix, limit: Double) -> Int {
    precondition(limit >= 0, "clipByValue: limit must be ≥ 0, got \(limit)")
    var n = 0
    g.withUnsafeMutableColumnMajorBuffer { p in n = clampBuffer(p, limit) }
    return n
}
/// Clamps every entry to [−limit, limit]. Returns the number of entries that were changed.
@discardableResult
public func clipByValue(_ g: inout Vector, limit: Double) -> Int {
    precondition(limit >= 0, "clipByValue: limit must be ≥ 0, got \(limit)")
    var n = 0
    g.elements.withUnsafeMutableBufferPointer { p in n = clampBuffer(p, limit) }
    return n
}

/// τ/‖g‖ if ‖g‖ > τ, else 1. (A non-finite norm gives scale 0 only if τ is finite and the norm is +∞.)
@inlinable
public func clipScale(norm: Double, maxNorm tau: Double) -> Double {
    precondition(tau > 0, "clipping threshold must be > 0, got \(tau)")
    return norm > tau ? tau / norm : 1
}

@inline(__always)
func clampBuffer(_ p: UnsafeMutableBufferPointer<Double>, _ limit: Double) -> Int {
    var n = 0
    for k in 0..<p.count {
        let x = p[k]
        if x > limit { p[k] = limit; n += 1 } else if x < -limit { p[k] = -limit; n += 1 }
    }
    return n
}
