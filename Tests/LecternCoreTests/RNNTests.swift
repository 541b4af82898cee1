import Testing
import Numerics
@testable import LecternCore

// Independent reference forward pass written with plain Matrix/Vector operations.
func refForward(_ Wh: Matrix, _ Win: Matrix, _ b: Vector, _ act: Activation, _ xs: ArraySlice<Vector>, h0: Vector) -> Vector {
    var h = h0
    for x in xs { h = act.apply(Wh * h + Win * x + b) }
    return h
}

struct Setup {
    var rnn: RNN, xs: [Vector], y: Vector
    init(n: Int = 5, m: Int = 3, T: Int = 12, act: Activation = .tanh, seed: UInt64 = 1) {
        var rng = Xoshiro256(seed: seed)
        rnn = RNN.random(hidden: n, input: m, spectralRadius: 1.1, activation: act, using: &rng)
        rnn.b = Vector.gaussian(n, std: 0.1, using: &rng)
        xs = (0..<T).map { _ in Vector.gaussian(m, using: &rng) }
        y = Vector.gaussian(n, using: &rng)
    }
    var params: [Double] { rnn.Wh.columnMajor + rnn.Win.columnMajor + rnn.b.elements }
    func unpack(_ p: [Double]) -> (Matrix, Matrix, Vector) {
        let n = rnn.hiddenSize, m = rnn.inputSize
        return (Matrix(rows: n, cols: n, columnMajor: Array(p[0..<(n * n)])),
                Matrix(rows: n, cols: m, columnMajor: Array(p[(n * n)..<(n * n + n * m)])),
                Vector(Array(p[(n * n + n * m)...])))
    }
}

func flat(_ g: RNNGradients) -> [Double] { g.dWh.columnMajor + g.dWin.columnMajor + g.db.elements }

@Test(arguments: [Activation.tanh, .sigmoid])
func bpttFullMatchesFiniteDifferences(_ act: Activation) {
    let s = Setup(act: act)
    let g = s.rnn.gradients(s.xs, loss: .lastState(target: s.y))
    let fd = numericGradient(s.params) { p in
        let (Wh, Win, b) = s.unpack(p)
        let r = refForward(Wh, Win, b, act, s.xs[...], h0: Vector(count: 5)) - s.y
        return 0.5 * r.dot(r)
    }
    #expect(relErr(flat(g), fd) < 1e-6)
}

@Test(arguments: [1, 3, 7])
func bpttTruncatedMatchesFrozenPrefixFiniteDifferences(_ k: Int) {
    // Truncated BPTT = exact gradient when h_{T−k} is computed with the original parameters
    // (a constant) and only the last k steps use the perturbed ones.
    let s = Setup()
    let T = s.xs.count
    let g = s.rnn.gradients(s.xs, loss: .lastState(target: s.y), truncation: k)
    let hPrefix = refForward(s.rnn.Wh, s.rnn.Win, s.rnn.b, .tanh, s.xs[0..<(T - k)], h0: Vector(count: 5))
    let fd = numericGradient(s.params) { p in
        let (Wh, Win, b) = s.unpack(p)
        let r = refForward(Wh, Win, b, .tanh, s.xs[(T - k)...], h0: hPrefix) - s.y
        return 0.5 * r.dot(r)
    }
    #expect(relErr(flat(g), fd) < 1e-6)
    // and it differs from the full gradient
    #expect(relErr(flat(g), flat(s.rnn.gradients(s.xs, loss: .lastState(target: s.y)))) > 1e-6)
}

@Test func bpttReadoutLossesMatchFiniteDifferences() {
    let s = Setup()
    var rng = Xoshiro256(seed: 99)
    let W = Matrix.gaussian(3, 5, using: &rng), c = Vector.gaussian(3, using: &rng)
    let target: Vector = [0.2, -0.1, 0.4]
    let losses: [(RNNLoss, (Vector, Matrix, Vector) -> Double)] = [
        (.readout(W: W, bias: c, target: target), { h, W, c in let r = W * h + c - target; return 0.5 * r.dot(r) }),
        (.softmaxReadout(W: W, bias: c, label: 2), { h, W, c in
            let z = W * h + c
            return -(z[2] - Double.log(z.elements.map { Double.exp($0) }.reduce(0, +))) }),
    ]
    for (loss, f) in losses {
        let g = s.rnn.gradients(s.xs, loss: loss)
        let fd = numericGradient(s.params + W.columnMajor + c.elements) { p in
            let (Wh, Win, b) = s.unpack(Array(p[0..<s.params.count]))
            let Wo = Matrix(rows: 3, cols: 5, columnMajor: Array(p[s.params.count..<(s.params.count + 15)]))
            let co = Vector(Array(p[(s.params.count + 15)...]))
            return f(refForward(Wh, Win, b, .tanh, s.xs[...], h0: Vector(count: 5)), Wo, co)
        }
        #expect(relErr(flat(g) + g.dWout!.columnMajor + g.dbias!.elements, fd) < 1e-6)
    }
}

@Test func omegaGradientMatchesFiniteDifferencesWithFrozenLossGradient() {
    // Ω̃(θ) = Σ_k (‖W_hᵀ (φ'(a_{k+1}(θ)) ⊙ v_{k+1})‖ / ‖v_{k+1}‖ − 1)² with v_{k+1} = ∂L/∂h_{k+1}
    // frozen at the unperturbed parameters: exactly the quantity the code differentiates.
    let s = Setup(T: 8)
    let T = s.xs.count
    let tr = s.rnn.forward(s.xs)
    // v computed independently: v_T = h_T − y, v_k = J_{k+1}ᵀ v_{k+1}.
    var v = [Vector](repeating: Vector(count: 5), count: T + 1)
    v[T] = tr.last - s.y
    for k in stride(from: T - 1, through: 0, by: -1) {
        let d = Activation.tanh.derivative(tr.a(k + 1))
        v[k] = s.rnn.Wh.T * (d .* v[k + 1])
    }
    let g = s.rnn.omega(s.xs, loss: .lastState(target: s.y))
    for k in 0...T { #expect(close(g.dh[k], v[k], 1e-10)) }
    let omegaFrozen: ([Double]) -> Double = { p in
        let (Wh, Win, b) = s.unpack(p)
        var h = Vector(count: 5), total = 0.0
        for k in 0..<T {
            let a = Wh * h + Win * s.xs[k] + b
            let u = Wh.T * (Activation.tanh.derivative(a) .* v[k + 1])
            let r = u.norm / v[k + 1].norm
            total += (r - 1) * (r - 1)
            h = Activation.tanh.apply(a)
        }
        return total
    }
    #expect(close(g.loss, omegaFrozen(s.params), 1e-12))
    #expect(relErr(flat(g), numericGradient(s.params, omegaFrozen)) < 1e-6)
}

@Test func jacobiansMatchFiniteDifferences() {
    let s = Setup(T: 6)
    let tr = s.rnn.forward(s.xs)
    #expect(close(tr.last, refForward(s.rnn.Wh, s.rnn.Win, s.rnn.b, .tanh, s.xs[...], h0: Vector(count: 5))))
    // ∂h_6/∂h_2 by perturbing h_2 and running steps 3…6
    let k = 2, t = 6
    let J = s.rnn.stateJacobian(tr, from: k, to: t)
    for j in 0..<5 {
        let col = numericGradientVector(tr.h(k), j) { h in
            refForward(s.rnn.Wh, s.rnn.Win, s.rnn.b, .tanh, s.xs[k..<t], h0: h) }
        #expect(close(J.column(j), col, 1e-8))
    }
    // ∂h_6/∂x_3
    let S = s.rnn.inputSensitivity(tr, state: t, input: 3)
    for j in 0..<3 {
        let col = numericGradientVector(s.xs[2], j) { x in
            var xs = s.xs; xs[2] = x
            return refForward(s.rnn.Wh, s.rnn.Win, s.rnn.b, .tanh, xs[...], h0: Vector(count: 5)) }
        #expect(close(S.column(j), col, 1e-8))
    }
    // norms by gap and bounds
    let norms = s.rnn.jacobianNorms(tr, at: t)
    #expect(norms.count == t + 1 && close(norms[0], 1))
    for L in 1...t {
        #expect(close(norms[L], s.rnn.stateJacobian(tr, from: t - L, to: t).spectralNorm, 1e-10))
        #expect(norms[L] <= s.rnn.productBound(tr, from: t - L, to: t) * (1 + 1e-12))
        #expect(s.rnn.productBound(tr, from: t - L, to: t) <= s.rnn.gammaBound(gap: L) * (1 + 1e-12))
    }
    #expect(close(s.rnn.gammaBound(gap: 3, using: .spectralRadius), Double.pow(1.1, 3), 1e-10))
}

func numericGradientVector(_ x: Vector, _ j: Int, h: Double = 1e-6, _ f: (Vector) -> Vector) -> Vector {
    var p = x, m = x
    p[j] += h; m[j] -= h
    return (f(p) - f(m)) / (2 * h)
}

@Test func lstmGradientsMatchFiniteDifferences() {
    var rng = Xoshiro256(seed: 4)
    let cell = LSTMCell(input: 3, hidden: 4, using: &rng)
    let xs = (0..<7).map { _ in Vector.gaussian(3, using: &rng) }
    let y = Vector.gaussian(4, using: &rng), c0 = Vector.gaussian(4, std: 0.5, using: &rng)
    let g = cell.gradients(xs, target: y, c0: c0)
    let fd = numericGradient(cell.W.columnMajor + cell.b.elements) { p in
        let W = Matrix(rows: 16, cols: 7, columnMajor: Array(p[0..<112]))
        let c = LSTMCell(W: W, b: Vector(Array(p[112...])))
        let r = c.forward(xs, c0: c0).last!.h - y
        return 0.5 * r.dot(r)
    }
    #expect(relErr(g.dW.columnMajor + g.db.elements, fd) < 1e-6)
    let fdc = numericGradient(c0.elements) { c in
        let r = cell.forward(xs, c0: Vector(c)).last!.h - y
        return 0.5 * r.dot(r)
    }
    #expect(relErr(g.dc0.elements, fdc) < 1e-6)
}

@Test func lstmCellJacobianIsForgetGate() {
    var rng = Xoshiro256(seed: 8)
    let cell = LSTMCell(input: 2, hidden: 3, using: &rng)
    let x = Vector.gaussian(2, using: &rng), h = Vector.gaussian(3, using: &rng), c = Vector.gaussian(3, using: &rng)
    let step = cell.forward(x: x, h: h, c: c)
    for j in 0..<3 {
        let col = numericGradientVector(c, j) { cc in cell.forward(x: x, h: h, c: cc).c }
        #expect(close(step.cellJacobian.column(j), col, 1e-9))
    }
    #expect(step.cellJacobianDiagonal == step.f)
}

@Test func trainerRunsAndClipsOnBothTasks() {
    for task in [SyntheticTask.adding(length: 20), .temporalOrder(length: 20)] {
        var rng = Xoshiro256(seed: 10)
        var model = RNNModel.random(for: task, hidden: 8, spectralRadius: 1.2, using: &rng)
        let opts = TrainingOptions(steps: 40, learningRate: 0.05, batchSize: 4, clipping: .norm(0.5), omegaWeight: 0.1)
        let h = model.train(on: task, options: opts, using: &rng)
        #expect(h.losses.count == 40 && h.losses.allSatisfy { $0.isFinite })
        for (nrm, sc) in zip(h.gradientNorms, h.clipScales) {
            #expect(nrm > 0.5 ? close(sc * nrm, 0.5) : sc == 1)
        }
        #expect(h.omega.allSatisfy { $0 >= 0 })
    }
    var rng = Xoshiro256(seed: 3)
    let (xs, y) = SyntheticTask.adding(length: 30).sample(using: &rng)
    #expect(xs.count == 30 && xs.map { $0[1] }.reduce(0, +) == 2)
    #expect(close(y, zip(xs, xs).map { $0[0] * $1[1] }.reduce(0, +)))
}

@Test func addingTaskMarkersVaryAtEveryLength() {
    // Both marker positions take more than one value at every length, short ones included
    // (with [0, T/10) alone the first marker would sit at position 0 for every T < 20).
    func positions(_ T: Int) -> (first: Set<Int>, second: Set<Int>) {
        var rng = Xoshiro256(seed: 9)
        var first = Set<Int>(), second = Set<Int>()
        for _ in 0..<400 {
            let (xs, _) = SyntheticTask.adding(length: T).sample(using: &rng)
            let marked = xs.indices.filter { xs[$0][1] == 1 }
            #expect(marked.count == 2)
            if marked.count == 2 { first.insert(marked[0]); second.insert(marked[1]) }
        }
        return (first, second)
    }
    for T in [4, 5, 10, 19] {
        let p = positions(T)
        #expect(p.first == [0, 1], "T = \(T)")
        #expect(p.second == Set(2..<max(4, T / 2)), "T = \(T)")
    }
    // From T = 20 on the ranges are [0, T/10) and [T/10, T/2).
    for T in [20, 40] {
        let p = positions(T)
        #expect(p.first == Set(0..<(T / 10)), "T = \(T)")
        #expect(p.second == Set((T / 10)..<(T / 2)), "T = \(T)")
    }
    let (xs, _) = { var rng = Xoshiro256(seed: 1); return SyntheticTask.adding(length: 2).sample(using: &rng) }()
    #expect(xs.map { $0[1] } == [1, 1])
}

@Test func trainerGradientMatchesPublicBPTT() {
    // One SGD step with lr = 1 and batch 1 moves θ by exactly the gradient.
    let task = SyntheticTask.adding(length: 10)
    var rng = Xoshiro256(seed: 21)
    var model = RNNModel.random(for: task, hidden: 6, using: &rng)
    let before = model
    var sampler = Xoshiro256(seed: 5)
    var trainRng = sampler
    let (xs, y) = task.sample(using: &sampler)
    _ = model.train(on: task, options: TrainingOptions(steps: 1, learningRate: 1, batchSize: 1), using: &trainRng)
    let g = before.rnn.gradients(xs, loss: .readout(W: before.Wout, bias: before.bout, target: [y]))
    #expect(close(before.rnn.Wh - model.rnn.Wh, g.dWh, 1e-12))
    #expect(close(before.rnn.Win - model.rnn.Win, g.dWin, 1e-12))
    #expect(close(before.Wout - model.Wout, g.dWout!, 1e-12))
}
