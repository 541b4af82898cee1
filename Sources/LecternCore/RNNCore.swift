import CLapack

/// Flat, preallocated buffers and BLAS kernels for a vanilla RNN
/// h_t = φ(W_h h_{t−1} + W_in x_t + b), t = 1…T. All matrices are column-major.
/// Used by `RNN` (the friendly API), the trainer, and the benchmark; hot loops do not allocate.
final class RNNCore {
    let n: Int, m: Int
    private(set) var capacity: Int
    let activation: Activation
    /// H: n×(T+1), column t = h_t (column 0 = h_0).
    var H: UnsafeMutablePointer<Double>
    /// A: n×T, column t−1 = a_t.
    var A: UnsafeMutablePointer<Double>
    /// D: n×T, column t−1 = φ'(a_t).
    var D: UnsafeMutablePointer<Double>
    /// Delta: n×T, column t−1 = ∂L/∂a_t.
    var Delta: UnsafeMutablePointer<Double>
    /// DH: n×(T+1), column t = ∂L/∂h_t.
    var DH: UnsafeMutablePointer<Double>
    /// GA: n×T, Ω's injected gradient on a_t.
    var GA: UnsafeMutablePointer<Double>
    var tmp: UnsafeMutablePointer<Double>, tmp2: UnsafeMutablePointer<Double>

    init(hidden n: Int, input m: Int, capacity T: Int, activation: Activation) {
        self.n = n; self.m = m; self.capacity = T; self.activation = activation
        H = .allocate(capacity: n * (T + 1)); A = .allocate(capacity: n * T); D = .allocate(capacity: n * T)
        Delta = .allocate(capacity: n * T); DH = .allocate(capacity: n * (T + 1)); GA = .allocate(capacity: n * T)
        tmp = .allocate(capacity: n); tmp2 = .allocate(capacity: n)
        H.initialize(repeating: 0, count: n * (T + 1)); DH.initialize(repeating: 0, count: n * (T + 1))
        for p in [A, D, Delta, GA] { p.initialize(repeating: 0, count: n * T) }
        tmp.initialize(repeating: 0, count: n); tmp2.initialize(repeating: 0, count: n)
    }
    deinit { for p in [H, A, D, Delta, DH, GA, tmp, tmp2] { p.deallocate() } }

    func reserve(_ T: Int) {
        if T <= capacity { return }
        for p in [H, A, D, Delta, DH, GA] { p.deallocate() }
        capacity = T
        H = .allocate(capacity: n * (T + 1)); A = .allocate(capacity: n * T); D = .allocate(capacity: n * T)
        Delta = .allocate(capacity: n * T); DH = .allocate(capacity: n * (T + 1)); GA = .allocate(capacity: n * T)
        H.initialize(repeating: 0, count: n * (T + 1)); DH.initialize(repeating: 0, count: n * (T + 1))
        for p in [A, D, Delta, GA] { p.initialize(repeating: 0, count: n * T) }
    }

    /// Forward pass over T steps. X is m×T (column t−1 = x_t); h0 may be nil (zeros).
    func forward(Wh: UnsafePointer<Double>, Win: UnsafePointer<Double>, b: UnsafePointer<Double>,
                 X: UnsafePointer<Double>, T: Int, h0: UnsafePointer<Double>?) {
        reserve(T)
        let n32 = Int32(n)
        if let h0 { H.update(from: h0, count: n) } else { H.update(repeating: 0, count: n) }
        if T == 0 { return }
        // A = W_in X (one dgemm for all steps), then add b and W_h h_{t−1} step by step.
        if m > 0 {
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n32, Int32(T), Int32(m), 1.0,
                        Win, n32, X, Int32(m), 0.0, A, n32)
        } else { A.update(repeating: 0, count: n * T) }
        let act = activation
        for t in 1...T {
            let a = A + (t - 1) * n, hprev = H + (t - 1) * n, h = H + t * n, d = D + (t - 1) * n
            for i in 0..<n { a[i] += b[i] }
            cblas_dgemv(CblasColMajor, CblasNoTrans, n32, n32, 1.0, Wh, n32, hprev, 1, 1.0, a, 1)
            switch act {
            case .tanh:
                for i in 0..<n { let y = Double.tanh(a[i]); h[i] = y; d[i] = 1 - y * y }
            case .sigmoid:
                for i in 0..<n { let y = 1 / (1 + Double.exp(-a[i])); h[i] = y; d[i] = y * (1 - y) }
            case .relu:
                for i in 0..<n { let x = a[i]; h[i] = x > 0 ? x : 0; d[i] = x > 0 ? 1 : 0 }
            case .identity:
                for i in 0..<n { h[i] = a[i]; d[i] = 1 }
            }
        }
    }

    /// Backward pass. `dhT` = ∂L/∂h_T. Fills DH (∂L/∂h_t for all t when `truncation` is nil) and
    /// Delta, and *accumulates* into dWh (n×n), dWin (n×m), db (n), scaled by `scale`.
    /// With truncation k, only steps t = T−k+1…T contribute (h_{T−k} is treated as a constant).
    func backward(Wh: UnsafePointer<Double>, X: UnsafePointer<Double>, T: Int, dhT: UnsafePointer<Double>,
                  truncation: Int?, scale: Double,
                  dWh: UnsafeMutablePointer<Double>, dWin: UnsafeMutablePointer<Double>, db: UnsafeMutablePointer<Double>) {
        let n32 = Int32(n)
        (DH + T * n).update(from: dhT, count: n)
        if T == 0 { return }
        let k = Swift.min(truncation ?? T, T)
        let s = T - k      // first step index (0-based column) that contributes
        var t = T
        while t >= 1 && t > s {
            let delta = Delta + (t - 1) * n, d = D + (t - 1) * n, dh = DH + t * n
            for i in 0..<n { delta[i] = d[i] * dh[i] }
            cblas_dgemv(CblasColMajor, CblasTrans, n32, n32, 1.0, Wh, n32, delta, 1, 0.0, DH + (t - 1) * n, 1)
            t -= 1
        }
        if s > 0 { (DH).update(repeating: 0, count: n * s) }  // not propagated past the truncation
        accumulate(Delta + s * n, steps: k, from: s, X: X, scale: scale, dWh: dWh, dWin: dWin, db: db)
    }

    /// dWh += scale·G Hprevᵀ, dWin += scale·G Xᵀ, db += scale·G·1 for G = columns s..<s+k.
    func accumulate(_ G: UnsafePointer<Double>, steps k: Int, from s: Int, X: UnsafePointer<Double>, scale: Double,
                    dWh: UnsafeMutablePointer<Double>, dWin: UnsafeMutablePointer<Double>, db: UnsafeMutablePointer<Double>) {
        if k == 0 { return }
        let n32 = Int32(n)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n32, n32, Int32(k), scale,
                    G, n32, H + s * n, n32, 1.0, dWh, n32)
        if m > 0 {
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n32, Int32(m), Int32(k), scale,
                        G, n32, X + s * m, Int32(m), 1.0, dWin, n32)
        }
        for c in 0..<k { let g = G + c * n; for i in 0..<n { db[i] += scale * g[i] } }
    }

    /// Ω = Σ_{k=0}^{T−1} (‖W_hᵀ D_{k+1} v_{k+1}‖/‖v_{k+1}‖ − 1)², v_{k+1} = ∂L/∂h_{k+1} taken from DH
    /// (call after a *full* backward). Its gradient with v held constant (everything else,
    /// including D_{k+1} = diag φ'(a_{k+1}) through the trajectory, differentiated) is
    /// accumulated, times `scale`, into dWh, dWin, db. Returns Ω.
    func omega(Wh: UnsafePointer<Double>, X: UnsafePointer<Double>, T: Int, scale: Double,
               dWh: UnsafeMutablePointer<Double>, dWin: UnsafeMutablePointer<Double>, db: UnsafeMutablePointer<Double>) -> Double {
        let n32 = Int32(n)
        var total = 0.0
        let u = tmp, w = tmp2
        for c in 0..<T {          // transition h_c → h_{c+1}; a_{c+1} is column c
            let v = DH + (c + 1) * n, d = D + c * n, a = A + c * n, ga = GA + c * n, sv = Delta + c * n
            for i in 0..<n { sv[i] = d[i] * v[i] }          // s = D v (Delta reused as scratch)
            cblas_dgemv(CblasColMajor, CblasTrans, n32, n32, 1.0, Wh, n32, sv, 1, 0.0, u, 1)   // u = W_hᵀ s
            var nu = 0.0, nv = 0.0
            for i in 0..<n { nu += u[i] * u[i]; nv += v[i] * v[i] }
            nu = nu.squareRoot(); nv = nv.squareRoot()
            guard nu > 0, nv > 0 else { ga.update(repeating: 0, count: n); continue }
            let r = nu / nv
            total += (r - 1) * (r - 1)
            let coef = 2 * (r - 1) / (nv * nu)
            for i in 0..<n { u[i] *= coef }                  // u ← g_u = ∂Ω_c/∂u
            // explicit dependence: ∂Ω_c/∂W_h = s g_uᵀ
            cblas_dger(CblasColMajor, n32, n32, scale, sv, 1, u, 1, dWh, n32)
            // through D: ∂Ω_c/∂a_i = (W_h g_u)_i v_i φ''(a_i)
            cblas_dgemv(CblasColMajor, CblasNoTrans, n32, n32, 1.0, Wh, n32, u, 1, 0.0, w, 1)
            for i in 0..<n { ga[i] = w[i] * v[i] * activation.secondDerivative(a[i]) }
        }
        // Backpropagate the injected signals through the trajectory: δa_t = ga_t + D_t ⊙ W_hᵀ δa_{t+1}.
        let dh = tmp
        dh.update(repeating: 0, count: n)
        var t = T
        while t >= 1 {
            let delta = Delta + (t - 1) * n, d = D + (t - 1) * n, ga = GA + (t - 1) * n
            for i in 0..<n { delta[i] = ga[i] + d[i] * dh[i] }
            cblas_dgemv(CblasColMajor, CblasTrans, n32, n32, 1.0, Wh, n32, delta, 1, 0.0, dh, 1)
            t -= 1
        }
        accumulate(Delta, steps: T, from: 0, X: X, scale: scale, dWh: dWh, dWin: dWin, db: db)
        return total
    }
}
