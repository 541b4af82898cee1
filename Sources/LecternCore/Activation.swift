import Numerics

/// Element-wise nonlinearity φ with its derivatives.
public enum Activation: String, Sendable, CaseIterable {
    case tanh, sigmoid, relu, identity

    /// φ(x).
    @inlinable public func apply(_ x: Double) -> Double {
        switch self {
        case .tanh: return Double.tanh(x)
        case .sigmoid: return 1 / (1 + Double.exp(-x))
        case .relu: return x > 0 ? x : 0
        case .identity: return x
        }
    }
    /// φ'(x), as a function of the pre-activation x. ReLU uses φ'(0) = 0.
    @inlinable public func derivative(_ x: Double) -> Double {
        switch self {
        case .tanh: let t = Double.tanh(x); return 1 - t * t
        case .sigmoid: let s = 1 / (1 + Double.exp(-x)); return s * (1 - s)
        case .relu: return x > 0 ? 1 : 0
        case .identity: return 1
        }
    }
    /// φ''(x) (0 for ReLU and identity away from the kink).
    @inlinable public func secondDerivative(_ x: Double) -> Double {
        switch self {
        case .tanh: let t = Double.tanh(x); return -2 * t * (1 - t * t)
        case .sigmoid: let s = 1 / (1 + Double.exp(-x)); return s * (1 - s) * (1 - 2 * s)
        case .relu, .identity: return 0
        }
    }
    /// γ = sup |φ'|: 1 for tanh, ReLU and identity, 1/4 for the sigmoid.
    public var maxDerivative: Double { self == .sigmoid ? 0.25 : 1 }

    public func apply(_ v: Vector) -> Vector { v.map { apply($0) } }
    public func derivative(_ v: Vector) -> Vector { v.map { derivative($0) } }
}
