import Numerics

/// Everything one LSTM step computed (kept for the backward pass).
public struct LSTMStep: Sendable {
    public let x: Vector, hPrev: Vector, cPrev: Vector
    /// Gates: input i, forget f, candidate g, output o.
    public let i: Vector, f: Vector, g: Vector, o: Vector
    /// C_t = f ⊙ C_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(C_t).
    public let c: Vector, h: Vector

    /// ∂C_t/∂C_{t−1} with h_{t−1} held fixed = diag(f_t): returned as the diagonal f_t.
    /// This is the constant-error carousel: no W_h factor and no φ' on the cell path.
    public var cellJacobianDiagonal: Vector { f }
    /// ∂C_t/∂C_{t−1} as a matrix, diag(f_t).
    public var cellJacobian: Matrix { Matrix.diagonal(f) }
}

/// Gradients from one LSTM step's backward pass.
public struct LSTMStepGradients: Sendable {
    public var dW: Matrix, db: Vector
    public var dx: Vector, dhPrev: Vector, dcPrev: Vector
}

/// An LSTM cell. z = W [x; h_{t−1}] + b is split into four blocks of n rows in the order
/// (i, f, g, o); i, f, o use the sigmoid and g uses tanh.
/// C_t = f ⊙ C_{t−1} + i ⊙ g, h_t = o ⊙ tanh(C_t).
public struct LSTMCell: Sendable {
    /// 4n × (m + n).
    public var W: Matrix
    /// 4n.
    public var b: Vector
    public var hiddenSize: Int { W.rows / 4 }
    public var inputSize: Int { W.cols - W.rows / 4 }

    public init(W: Matrix, b: Vector) {
        precondition(W.rows % 4 == 0 && W.cols >= W.rows / 4,
                     "LSTMCell: W must be 4n×(m+n), got \(W.shapeDescription)")
        precondition(b.count == W.rows, lengthMismatchMessage("LSTMCell: b vs rows of W", b.count, W.rows))
        self.W = W; self.b = b
    }

    /// Gaussian weights (std 1/√(m+n)), zero biases except the forget gate bias `forgetBias`.
    public init(input m: Int, hidden n: Int, forgetBias: Double = 1, using rng: inout Xoshiro256) {
        let W = Matrix.gaussian(4 * n, m + n, std: 1 / Double(m + n).squareRoot(), using: &rng)
        var b = Vector(count: 4 * n)
        for k in n..<(2 * n) { b[k] = forgetBias }
        self.init(W: W, b: b)
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Double.exp(-x)) }

    /// One step from (h_{t−1}, C_{t−1}) with input x_t.
    public func forward(x: Vector, h hPrev: Vector, c cPrev: Vector) -> LSTMStep {
        let n = hiddenSize, m = inputSize
        precondition(x.count == m, lengthMismatchMessage("LSTMCell.forward x vs input size", x.count, m))
        precondition(hPrev.count == n && cPrev.count == n, lengthMismatchMessage("LSTMCell.forward state vs hidden size", hPrev.count, n))
        let z = W * Vector(x.elements + hPrev.elements) + b
        let i = Vector((0..<n).map { LSTMCell.sigmoid(z[$0]) })
        let f = Vector((0..<n).map { LSTMCell.sigmoid(z[n + $0]) })
        let g = Vector((0..<n).map { Double.tanh(z[2 * n + $0]) })
        let o = Vector((0..<n).map { LSTMCell.sigmoid(z[3 * n + $0]) })
        let c = f .* cPrev + i .* g
        let h = o .* c.map { Double.tanh($0) }
        return LSTMStep(x: x, hPrev: hPrev, cPrev: cPrev, i: i, f: f, g: g, o: o, c: c, h: h)
    }

    /// Backward through one step given ∂L/∂h_t (`dh`) and ∂L/∂C_t from later steps (`dc`).
    /// Returns ∂L/∂W, ∂L/∂b, ∂L/∂x_t, ∂L/∂h_{t−1}, ∂L/∂C_{t−1} (= dC_total ⊙ f_t).
    public func backward(_ s: LSTMStep, dh: Vector, dc: Vector) -> LSTMStepGradients {
        let n = hiddenSize, m = inputSize
        let tc = s.c.map { Double.tanh($0) }
        let dcTotal = dc + dh .* s.o .* tc.map { 1 - $0 * $0 }
        var dz = Vector(count: 4 * n)
        for k in 0..<n {
            let di = dcTotal[k] * s.g[k], df = dcTotal[k] * s.cPrev[k]
            let dg = dcTotal[k] * s.i[k], dO = dh[k] * tc[k]
            dz[k] = di * s.i[k] * (1 - s.i[k])
            dz[n + k] = df * s.f[k] * (1 - s.f[k])
            dz[2 * n + k] = dg * (1 - s.g[k] * s.g[k])
            dz[3 * n + k] = dO * s.o[k] * (1 - s.o[k])
        }
        let input = Vector(s.x.elements + s.hPrev.elements)
        let dIn = W.transposed * dz
        return LSTMStepGradients(dW: dz.outer(input), db: dz,
                                 dx: Vector(Array(dIn.elements[0..<m])), dhPrev: Vector(Array(dIn.elements[m...])),
                                 dcPrev: dcTotal .* s.f)
    }

    /// Runs the cell over a sequence from (h0, c0) (zeros by default).
    public func forward(_ xs: [Vector], h0: Vector? = nil, c0: Vector? = nil) -> [LSTMStep] {
        var h = h0 ?? Vector(count: hiddenSize), c = c0 ?? Vector(count: hiddenSize)
        var steps: [LSTMStep] = []
        for x in xs { let s = forward(x: x, h: h, c: c); steps.append(s); h = s.h; c = s.c }
        return steps
    }

    /// BPTT for L = ½‖h_T − target‖²: returns (L, ∂L/∂W, ∂L/∂b, ∂L/∂C_0).
    public func gradients(_ xs: [Vector], target: Vector, h0: Vector? = nil, c0: Vector? = nil)
        -> (loss: Double, dW: Matrix, db: Vector, dc0: Vector) {
        let steps = forward(xs, h0: h0, c0: c0)
        let n = hiddenSize
        let hT = steps.last?.h ?? (h0 ?? Vector(count: n))
        let r = hT - target
        var dW = Matrix(rows: W.rows, cols: W.cols), db = Vector(count: W.rows)
        var dh = r, dc = Vector(count: n)
        for s in steps.reversed() {
            let g = backward(s, dh: dh, dc: dc)
            dW += g.dW; db += g.db; dh = g.dhPrev; dc = g.dcPrev
        }
        return (0.5 * r.dot(r), dW, db, dc)
    }
}
