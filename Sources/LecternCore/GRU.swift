import Numerics

/// Everything one GRU step computed (kept for the backward pass).
public struct GRUStep: Sendable {
    public let x: Vector, hPrev: Vector
    /// Update gate z, reset gate r, candidate state ĥ.
    public let z: Vector, r: Vector, candidate: Vector
    /// h_t = z ⊙ h_{t−1} + (1 − z) ⊙ ĥ.
    public let h: Vector
}

/// Gradients from one GRU step's backward pass.
public struct GRUStepGradients: Sendable {
    public var dW: Matrix, db: Vector
    public var dx: Vector, dhPrev: Vector
}

/// A gated recurrent unit (Cho et al. 2014). W is 3n × (m + n), split into blocks of n rows in
/// the order (z, r, candidate); b has 3n entries.
///
///     z = σ(W_z [x; h_{t−1}] + b_z),   r = σ(W_r [x; h_{t−1}] + b_r),
///     ĥ = tanh(W_c [x; r ⊙ h_{t−1}] + b_c),
///     h_t = z ⊙ h_{t−1} + (1 − z) ⊙ ĥ.
///
/// The update gate z keeps the old state (z → 1 copies h_{t−1} through unchanged), so the
/// direct path h_{t−1} → h_t has Jacobian diag(z), the GRU's analogue of the LSTM's diag(f).
public struct GRUCell: Sendable {
    /// 3n × (m + n).
    public var W: Matrix
    /// 3n.
    public var b: Vector
    public var hiddenSize: Int { W.rows / 3 }
    public var inputSize: Int { W.cols - W.rows / 3 }

    public init(W: Matrix, b: Vector) {
        precondition(W.rows % 3 == 0 && W.cols >= W.rows / 3,
                     "GRUCell: W must be 3n×(m+n), got \(W.shapeDescription)")
        precondition(b.count == W.rows, lengthMismatchMessage("GRUCell: b vs rows of W", b.count, W.rows))
        self.W = W; self.b = b
    }

    /// Gaussian weights (std 1/√(m+n)), zero biases except the update-gate bias `updateBias`
    /// (a positive bias starts the gate towards keeping the state).
    public init(input m: Int, hidden n: Int, updateBias: Double = 0, using rng: inout Xoshiro256) {
        let W = Matrix.gaussian(3 * n, m + n, std: 1 / Double(m + n).squareRoot(), using: &rng)
        var b = Vector(count: 3 * n)
        for k in 0..<n { b[k] = updateBias }
        self.init(W: W, b: b)
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Double.exp(-x)) }

    /// One step from h_{t−1} with input x_t.
    public func forward(x: Vector, h hPrev: Vector) -> GRUStep {
        let n = hiddenSize, m = inputSize
        precondition(x.count == m, lengthMismatchMessage("GRUCell.forward x vs input size", x.count, m))
        precondition(hPrev.count == n, lengthMismatchMessage("GRUCell.forward state vs hidden size", hPrev.count, n))
        let a = W * Vector(x.elements + hPrev.elements) + b
        let z = Vector((0..<n).map { GRUCell.sigmoid(a[$0]) })
        let r = Vector((0..<n).map { GRUCell.sigmoid(a[n + $0]) })
        let ac = W * Vector(x.elements + (r .* hPrev).elements) + b
        let c = Vector((0..<n).map { Double.tanh(ac[2 * n + $0]) })
        let h = z .* hPrev + (Vector.ones(n) - z) .* c
        return GRUStep(x: x, hPrev: hPrev, z: z, r: r, candidate: c, h: h)
    }

    /// Runs the cell over a sequence from h0 (zeros by default).
    public func forward(_ xs: [Vector], h0: Vector? = nil) -> [GRUStep] {
        var h = h0 ?? Vector(count: hiddenSize)
        var steps: [GRUStep] = []
        for x in xs { let s = forward(x: x, h: h); steps.append(s); h = s.h }
        return steps
    }

    /// The step Jacobian ∂h_t/∂h_{t−1} (n × n), every path included:
    /// diag(z) + diag((h_{t−1} − ĥ) ⊙ z(1 − z)) W_z^h
    ///   + diag((1 − z) ⊙ (1 − ĥ²)) W_c^h (diag(r) + diag(h_{t−1} ⊙ r(1 − r)) W_r^h),
    /// where W_•^h is the block of W_• acting on the state.
    public func stepJacobian(_ s: GRUStep) -> Matrix {
        let n = hiddenSize, m = inputSize
        func block(_ k: Int) -> Matrix { Matrix(rows: n, cols: n) { i, j in W[k * n + i, m + j] } }
        let Wz = block(0), Wr = block(1), Wc = block(2)
        var inner = Matrix(rows: n, cols: n) { i, j in s.hPrev[i] * s.r[i] * (1 - s.r[i]) * Wr[i, j] }
        for i in 0..<n { inner[i, i] += s.r[i] }
        let through = Wc * inner
        return Matrix(rows: n, cols: n) { i, j in
            (i == j ? s.z[i] : 0)
                + (s.hPrev[i] - s.candidate[i]) * s.z[i] * (1 - s.z[i]) * Wz[i, j]
                + (1 - s.z[i]) * (1 - s.candidate[i] * s.candidate[i]) * through[i, j]
        }
    }

    /// Backward through one step given ∂L/∂h_t (`dh`).
    /// Returns ∂L/∂W, ∂L/∂b, ∂L/∂x_t and ∂L/∂h_{t−1}.
    public func backward(_ s: GRUStep, dh: Vector) -> GRUStepGradients {
        let n = hiddenSize, m = inputSize
        var dzr = Vector(count: 2 * n), dc = Vector(count: n)
        var dhPrev = Vector(count: n)
        for k in 0..<n {
            dhPrev[k] = dh[k] * s.z[k]
            dzr[k] = dh[k] * (s.hPrev[k] - s.candidate[k]) * s.z[k] * (1 - s.z[k])
            dc[k] = dh[k] * (1 - s.z[k]) * (1 - s.candidate[k] * s.candidate[k])
        }
        // Candidate block: input [x; r ⊙ h_{t−1}].
        let gated = Vector(s.x.elements + (s.r .* s.hPrev).elements)
        var dW = Matrix(rows: 3 * n, cols: m + n)
        var dcIn = Vector(count: m + n)
        for j in 0..<(m + n) {
            var acc = 0.0
            for i in 0..<n { dW[2 * n + i, j] = dc[i] * gated[j]; acc += W[2 * n + i, j] * dc[i] }
            dcIn[j] = acc
        }
        for k in 0..<n {
            let dGated = dcIn[m + k]
            dhPrev[k] += dGated * s.r[k]
            dzr[n + k] = dGated * s.hPrev[k] * s.r[k] * (1 - s.r[k])
        }
        // Gate blocks: input [x; h_{t−1}].
        let input = Vector(s.x.elements + s.hPrev.elements)
        var dx = Vector(Array(dcIn.elements[0..<m]))
        for j in 0..<(m + n) {
            var acc = 0.0
            for i in 0..<(2 * n) { dW[i, j] = dzr[i] * input[j]; acc += W[i, j] * dzr[i] }
            if j < m { dx[j] += acc } else { dhPrev[j - m] += acc }
        }
        return GRUStepGradients(dW: dW, db: Vector(dzr.elements + dc.elements), dx: dx, dhPrev: dhPrev)
    }

    /// BPTT for L = ½‖h_T − target‖²: returns (L, ∂L/∂W, ∂L/∂b, ∂L/∂h_0).
    public func gradients(_ xs: [Vector], target: Vector, h0: Vector? = nil)
        -> (loss: Double, dW: Matrix, db: Vector, dh0: Vector) {
        let steps = forward(xs, h0: h0)
        let hT = steps.last?.h ?? (h0 ?? Vector(count: hiddenSize))
        let r = hT - target
        var dW = Matrix(rows: W.rows, cols: W.cols), db = Vector(count: W.rows)
        var dh = r
        for s in steps.reversed() {
            let g = backward(s, dh: dh)
            dW += g.dW; db += g.db; dh = g.dhPrev
        }
        return (0.5 * r.dot(r), dW, db, dh)
    }

    /// ‖∂h_T/∂h_{T−L}‖₂ for L = 0…T (index L), from the step Jacobians of a run.
    public func jacobianNorms(_ steps: [GRUStep]) -> [Double] {
        var P = Matrix.identity(hiddenSize)
        var out = [P.spectralNorm]
        for s in steps.reversed() { P = P * stepJacobian(s); out.append(P.spectralNorm) }
        return out
    }
}
