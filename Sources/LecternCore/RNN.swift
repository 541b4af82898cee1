import Numerics

/// States and pre-activations of one forward pass.
public struct RNNTrajectory: Sendable {
    /// h_0 … h_T (`states[t]` = h_t; `states[0]` is the initial state).
    public let states: [Vector]
    /// a_1 … a_T (`preActivations[t − 1]` = a_t = W_h h_{t−1} + W_in x_t + b).
    public let preActivations: [Vector]
    /// Number of steps T.
    public var length: Int { preActivations.count }
    /// h_t for t in 0…T.
    public func h(_ t: Int) -> Vector { states[t] }
    /// a_t for t in 1…T.
    public func a(_ t: Int) -> Vector {
        precondition(t >= 1 && t <= length, "RNNTrajectory.a: t must be in 1…\(length), got \(t)")
        return preActivations[t - 1]
    }
    /// The final state h_T.
    public var last: Vector { states[states.count - 1] }
}

/// The loss on the final state.
public enum RNNLoss: Sendable {
    /// L = ½‖h_T − target‖².
    case lastState(target: Vector)
    /// y = W h_T + bias, L = ½‖y − target‖².
    case readout(W: Matrix, bias: Vector? = nil, target: Vector)
    /// z = W h_T + bias, L = −log softmax(z)[label].
    case softmaxReadout(W: Matrix, bias: Vector? = nil, label: Int)

    /// (L, ∂L/∂h_T, ∂L/∂W, ∂L/∂bias) at final state h.
    public func evaluate(_ h: Vector) -> (loss: Double, dh: Vector, dW: Matrix?, dbias: Vector?) {
        switch self {
        case .lastState(let y):
            precondition(y.count == h.count, lengthMismatchMessage("RNNLoss.lastState target vs state", y.count, h.count))
            let r = h - y
            return (0.5 * r.dot(r), r, nil, nil)
        case .readout(let W, let c, let y):
            precondition(W.cols == h.count, shapeMismatchMessage("RNNLoss.readout W vs state", W.shape, (h.count, 1)))
            var out = W * h
            if let c { out += c }
            precondition(out.count == y.count, lengthMismatchMessage("RNNLoss.readout output vs target", out.count, y.count))
            let r = out - y
            return (0.5 * r.dot(r), W.transposed * r, r.outer(h), r)
        case .softmaxReadout(let W, let c, let label):
            precondition(W.cols == h.count, shapeMismatchMessage("RNNLoss.softmaxReadout W vs state", W.shape, (h.count, 1)))
            var z = W * h
            if let c { z += c }
            precondition(label >= 0 && label < z.count, "RNNLoss.softmaxReadout: label \(label) outside 0..<\(z.count)")
            let zmax = z.elements.max() ?? 0
            var e = z.map { Double.exp($0 - zmax) }
            let sum = e.elements.reduce(0, +)
            let loss = -(z[label] - zmax - Double.log(sum))
            e = e / sum
            e[label] -= 1
            return (loss, W.transposed * e, e.outer(h), e)
        }
    }
}

/// Gradients of a loss with respect to the RNN's parameters.
public struct RNNGradients: Sendable {
    public var loss: Double
    public var dWh: Matrix
    public var dWin: Matrix
    public var db: Vector
    /// ∂L/∂W_out and ∂L/∂bias for readout losses (nil for `.lastState`).
    public var dWout: Matrix?
    public var dbias: Vector?
    /// ∂L/∂h_t for t = 0…T (zero before the truncation window).
    public var dh: [Vector]

    /// The global norm of (dWh, dWin, db[, dWout, dbias]).
    public var globalNorm: Double { LecternCore.globalNorm(tensors) }
    var tensors: [Matrix] {
        var t = [dWh, dWin, db.asColumn]
        if let dWout { t.append(dWout) }
        if let dbias { t.append(dbias.asColumn) }
        return t
    }
    /// Clips all tensors together by global norm; returns the scale applied.
    @discardableResult
    public mutating func clipByGlobalNorm(_ tau: Double) -> Double {
        let s = clipScale(norm: globalNorm, maxNorm: tau)
        if s != 1 {
            dWh *= s; dWin *= s; db = db * s
            if dWout != nil { dWout! *= s }
            if let d = dbias { dbias = d * s }
        }
        return s
    }
}

/// Which factor `RNN.gammaBound` uses for ‖W_h‖.
public enum RecurrentScale: Sendable {
    /// σ₁(W_h): gives a true upper bound ‖∂h_t/∂h_k‖ ≤ (γσ₁)^L.
    case spectralNorm
    /// ρ(W_h): the asymptotic growth rate (not a bound for non-normal W_h).
    case spectralRadius
}

/// A vanilla RNN h_t = φ(W_h h_{t−1} + W_in x_t + b), t = 1…T.
///
/// Jacobians: J_t = ∂h_t/∂h_{t−1} = diag(φ'(a_t)) W_h, and
/// ∂h_t/∂h_k = J_t J_{t−1} ⋯ J_{k+1} (identity when t = k).
public struct RNN: Sendable {
    public var Wh: Matrix
    public var Win: Matrix
    public var b: Vector
    public var activation: Activation

    public var hiddenSize: Int { Wh.rows }
    public var inputSize: Int { Win.cols }

    public init(Wh: Matrix, Win: Matrix, b: Vector? = nil, activation: Activation = .tanh) {
        precondition(Wh.isSquare, "RNN: W_h must be square, got \(Wh.shapeDescription)")
        precondition(Win.rows == Wh.rows, shapeMismatchMessage("RNN: W_h vs W_in", Wh.shape, Win.shape,
                                                               detail: "W_in needs \(Wh.rows) rows"))
        self.Wh = Wh; self.Win = Win
        self.b = b ?? Vector(count: Wh.rows)
        precondition(self.b.count == Wh.rows, lengthMismatchMessage("RNN: bias vs hidden size", self.b.count, Wh.rows))
        self.activation = activation
    }

    /// W_h Gaussian (std 1/√n) rescaled to spectral radius `spectralRadius`, W_in Gaussian with
    /// std `inputScale`/√m, b = 0.
    public static func random(hidden n: Int, input m: Int, spectralRadius rho: Double = 1,
                              inputScale: Double = 1, activation: Activation = .tanh,
                              using rng: inout Xoshiro256) -> RNN {
        let W = Matrix.gaussian(n, n, std: 1 / Double(n).squareRoot(), using: &rng)
        let Wh = orStop("RNN.random") { try W.rescaled(toSpectralRadius: rho) }
        let Win = Matrix.gaussian(n, m, std: inputScale / Double(Swift.max(m, 1)).squareRoot(), using: &rng)
        return RNN(Wh: Wh, Win: Win, activation: activation)
    }

    // MARK: Core bridge

    func makeCore(_ T: Int) -> RNNCore { RNNCore(hidden: hiddenSize, input: inputSize, capacity: Swift.max(T, 1), activation: activation) }

    func packInputs(_ xs: [Vector]) -> [Double] {
        var X = [Double](); X.reserveCapacity(xs.count * inputSize)
        for (t, x) in xs.enumerated() {
            precondition(x.count == inputSize, lengthMismatchMessage("RNN: input x_\(t + 1) vs W_in columns", x.count, inputSize))
            X.append(contentsOf: x.elements)
        }
        return X
    }

    func runForward(_ core: RNNCore, _ X: [Double], T: Int, h0: Vector?) {
        if let h0 { precondition(h0.count == hiddenSize, lengthMismatchMessage("RNN: h0 vs hidden size", h0.count, hiddenSize)) }
        Wh.storage.withUnsafeBufferPointer { wh in Win.storage.withUnsafeBufferPointer { win in
            b.elements.withUnsafeBufferPointer { bb in X.withUnsafeBufferPointer { x in
                if let h0 {
                    h0.elements.withUnsafeBufferPointer { h in
                        core.forward(Wh: wh.baseAddress!, Win: win.baseAddress ?? bb.baseAddress!, b: bb.baseAddress!,
                                     X: x.baseAddress ?? bb.baseAddress!, T: T, h0: h.baseAddress!)
                    }
                } else {
                    core.forward(Wh: wh.baseAddress!, Win: win.baseAddress ?? bb.baseAddress!, b: bb.baseAddress!,
                                 X: x.baseAddress ?? bb.baseAddress!, T: T, h0: nil)
                }
            } }
        } }
    }

    // MARK: Forward

    /// Runs the RNN over `inputs` (x_1 … x_T) from `h0` (default zeros).
    public func forward(_ inputs: [Vector], h0: Vector? = nil) -> RNNTrajectory {
        let T = inputs.count, n = hiddenSize
        let core = makeCore(T)
        runForward(core, packInputs(inputs), T: T, h0: h0)
        let states = (0...T).map { t in Vector(Array(UnsafeBufferPointer(start: core.H + t * n, count: n))) }
        let pre = (0..<T).map { t in Vector(Array(UnsafeBufferPointer(start: core.A + t * n, count: n))) }
        return RNNTrajectory(states: states, preActivations: pre)
    }

    // MARK: Jacobians

    /// D_t = diag(φ'(a_t)) as a vector, t in 1…T.
    public func derivativeDiagonal(_ tr: RNNTrajectory, at t: Int) -> Vector { activation.derivative(tr.a(t)) }

    /// J_t = ∂h_t/∂h_{t−1} = diag(φ'(a_t)) W_h, t in 1…T.
    public func jacobian(_ tr: RNNTrajectory, at t: Int) -> Matrix {
        let d = derivativeDiagonal(tr, at: t)
        return Matrix(rows: hiddenSize, cols: hiddenSize) { i, j in d[i] * Wh[i, j] }
    }

    /// ∂h_t/∂h_k = J_t ⋯ J_{k+1} for 0 ≤ k ≤ t ≤ T.
    public func stateJacobian(_ tr: RNNTrajectory, from k: Int, to t: Int) -> Matrix {
        precondition(0 <= k && k <= t && t <= tr.length, "RNN.stateJacobian: need 0 ≤ k ≤ t ≤ \(tr.length), got k=\(k), t=\(t)")
        var P = Matrix.identity(hiddenSize)
        var s = k + 1
        while s <= t { P = jacobian(tr, at: s) * P; s += 1 }
        return P
    }

    /// ‖∂h_t/∂h_{t−L}‖₂ for gaps L = 0…t (index L of the result), by accumulating
    /// P_L = P_{L−1} J_{t−L+1} from the right.
    public func jacobianNorms(_ tr: RNNTrajectory, at t: Int? = nil) -> [Double] {
        let t = t ?? tr.length
        precondition(t >= 0 && t <= tr.length, "RNN.jacobianNorms: t must be in 0…\(tr.length), got \(t)")
        var P = Matrix.identity(hiddenSize)
        var out = [P.spectralNorm]
        var L = 1
        while L <= t { P = P * jacobian(tr, at: t - L + 1); out.append(P.spectralNorm); L += 1 }
        return out
    }

    /// Forward sensitivity ∂h_t/∂x_ℓ = (∂h_t/∂h_ℓ) diag(φ'(a_ℓ)) W_in, for 1 ≤ ℓ ≤ t (zero for ℓ > t).
    public func inputSensitivity(_ tr: RNNTrajectory, state t: Int, input l: Int) -> Matrix {
        precondition(l >= 1 && t <= tr.length, "RNN.inputSensitivity: need 1 ≤ ℓ and t ≤ \(tr.length), got ℓ=\(l), t=\(t)")
        if l > t { return Matrix(rows: hiddenSize, cols: inputSize) }
        let d = derivativeDiagonal(tr, at: l)
        let local = Matrix(rows: hiddenSize, cols: inputSize) { i, j in d[i] * Win[i, j] }
        return stateJacobian(tr, from: l, to: t) * local
    }

    /// ∏_{j=k+1}^{t} ‖D_j‖₂ ‖W_h‖₂ (‖D_j‖₂ = max|φ'(a_j)|), the bound on ‖∂h_t/∂h_k‖₂.
    public func productBound(_ tr: RNNTrajectory, from k: Int, to t: Int) -> Double {
        let w = Wh.spectralNorm
        var p = 1.0
        var j = k + 1
        while j <= t { p *= derivativeDiagonal(tr, at: j).normInf * w; j += 1 }
        return p
    }

    /// (γ·s)^L with γ = `activation.maxDerivative` and s = σ₁(W_h) (`.spectralNorm`, a bound)
    /// or ρ(W_h) (`.spectralRadius`, the asymptotic rate).
    public func gammaBound(gap L: Int, using scale: RecurrentScale = .spectralNorm) -> Double {
        let s = scale == .spectralNorm ? Wh.spectralNorm : Wh.spectralRadius
        return Double.pow(activation.maxDerivative * s, Double(L))
    }

    // MARK: BPTT

    /// Backpropagation through time of `loss` (on h_T) with respect to W_h, W_in and b.
    /// `truncation: k` keeps only the last k steps (t = T−k+1…T): h_{T−k} is treated as a
    /// constant, as in truncated BPTT. `nil` is full BPTT.
    public func gradients(_ inputs: [Vector], loss: RNNLoss, h0: Vector? = nil, truncation: Int? = nil) -> RNNGradients {
        if let k = truncation { precondition(k >= 0, "RNN.gradients: truncation must be ≥ 0, got \(k)") }
        let T = inputs.count, n = hiddenSize
        let (core, X, hT) = forwardPass(inputs, h0: h0)
        let (L, dhT, dWout, dbias) = loss.evaluate(hT)
        var g = RNNGradients(loss: L, dWh: Matrix(rows: n, cols: n), dWin: Matrix(rows: n, cols: inputSize),
                             db: Vector(count: n), dWout: dWout, dbias: dbias, dh: [])
        backward(core, X, T: T, dhT: dhT, truncation: truncation, into: &g)
        g.dh = stateGradients(core, T: T)
        return g
    }

    /// Runs the forward pass into a fresh engine; returns it, the packed inputs and h_T.
    func forwardPass(_ inputs: [Vector], h0: Vector?) -> (core: RNNCore, X: [Double], hT: Vector) {
        let T = inputs.count, n = hiddenSize
        let core = makeCore(T)
        let X = packInputs(inputs)
        runForward(core, X, T: T, h0: h0)
        return (core, X, Vector(Array(UnsafeBufferPointer(start: core.H + T * n, count: n))))
    }

    /// ∂L/∂h_t for t = 0…T, as left in the engine by `backward`.
    func stateGradients(_ core: RNNCore, T: Int) -> [Vector] {
        let n = hiddenSize
        return (0...T).map { t in Vector(Array(UnsafeBufferPointer(start: core.DH + t * n, count: n))) }
    }

    func backward(_ core: RNNCore, _ X: [Double], T: Int, dhT: Vector, truncation: Int?, into g: inout RNNGradients) {
        Wh.storage.withUnsafeBufferPointer { wh in X.withUnsafeBufferPointer { x in dhT.elements.withUnsafeBufferPointer { dh in
            g.dWh.storage.withUnsafeMutableBufferPointer { dwh in g.dWin.storage.withUnsafeMutableBufferPointer { dwin in
                g.db.elements.withUnsafeMutableBufferPointer { db in
                    core.backward(Wh: wh.baseAddress!, X: x.baseAddress ?? wh.baseAddress!, T: T, dhT: dh.baseAddress!,
                                  truncation: truncation, scale: 1,
                                  dWh: dwh.baseAddress!, dWin: dwin.baseAddress ?? dwh.baseAddress!, db: db.baseAddress!)
                }
            } }
        } } }
    }

    /// The regulariser of Pascanu, Mikolov & Bengio (2013),
    /// Ω = Σ_{k=0}^{T−1} (‖v_{k+1}ᵀ ∂h_{k+1}/∂h_k‖ / ‖v_{k+1}‖ − 1)², v_{k+1} = ∂L/∂h_{k+1},
    /// and its gradient with respect to W_h, W_in and b.
    ///
    /// As in the paper, v_{k+1} (the backpropagated loss gradient) is treated as a constant;
    /// everything else is differentiated, including the dependence of
    /// ∂h_{k+1}/∂h_k = diag(φ'(a_{k+1})) W_h on the parameters through a_{k+1}. Terms with
    /// v_{k+1} = 0 are skipped. The returned `loss` field holds Ω (not L); `dWout`, `dbias` are nil.
    public func omega(_ inputs: [Vector], loss: RNNLoss, h0: Vector? = nil) -> RNNGradients {
        let T = inputs.count, n = hiddenSize
        let (core, X, hT) = forwardPass(inputs, h0: h0)
        let (_, dhT, _, _) = loss.evaluate(hT)
        var scratch = RNNGradients(loss: 0, dWh: Matrix(rows: n, cols: n), dWin: Matrix(rows: n, cols: inputSize),
                                   db: Vector(count: n), dWout: nil, dbias: nil, dh: [])
        backward(core, X, T: T, dhT: dhT, truncation: nil, into: &scratch)
        let dh = stateGradients(core, T: T)
        var g = RNNGradients(loss: 0, dWh: Matrix(rows: n, cols: n), dWin: Matrix(rows: n, cols: inputSize),
                             db: Vector(count: n), dWout: nil, dbias: nil, dh: dh)
        var value = 0.0
        Wh.storage.withUnsafeBufferPointer { wh in X.withUnsafeBufferPointer { x in
            g.dWh.storage.withUnsafeMutableBufferPointer { dwh in g.dWin.storage.withUnsafeMutableBufferPointer { dwin in
                g.db.elements.withUnsafeMutableBufferPointer { db in
                    value = core.omega(Wh: wh.baseAddress!, X: x.baseAddress ?? wh.baseAddress!, T: T, scale: 1,
                                       dWh: dwh.baseAddress!, dWin: dwin.baseAddress ?? dwh.baseAddress!, db: db.baseAddress!)
                }
            } }
        } }
        g.loss = value
        return g
    }
}
