import Foundation
@testable import SeqKernels
@testable import SeqModel

/// A plain, scalar, Double-precision LSTM / GRU / IndRNN stack written straight from the equations, in PyTorch's
/// layout ([out × in] matrices with the gate blocks stacked along `out` in nn.LSTM's (i, f, g, o) and nn.GRU's
/// (r, z, n) order, two loops per product). It shares no code with `RNNModel` but the parameter values, so
/// agreement between the two checks the SIMD model; finite differences on this one check its own backward.
///
///     LSTM:   i, f, o = σ(·), g = tanh(·) of W_ih x_t + W_hh h_{t−1} + b     (b = b_ih + b_hh)
///             c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
///     GRU:    r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
///             n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
///     IndRNN: h_t = act(W_ih x_t + u ⊙ h_{t−1} + b)
///
/// `plantedBug` breaks the analytic backward only (the forward, hence the loss and its finite differences, stays
/// right), so a test can show that both the finite-difference check and the model comparison catch such a slip.
struct ReferenceGatedRNN {
    /// A deliberate mistake in the hand-written backward.
    enum PlantedBug: String, CaseIterable {
        case none
        /// LSTM: ∂f/∂(pre-activation) taken as f instead of f(1 − f).
        case forgetGateDerivative
        /// LSTM: the cell carry into step t − 1 is dc_t instead of dc_t ⊙ f_t.
        case cellCarry
        /// GRU: dr = dn̂ instead of dn̂ ⊙ (W_hn h_{t−1} + b_hn).
        case resetGateDerivative
        /// GRU: the direct path dh_t ⊙ z into ∂L/∂h_{t−1} is dropped.
        case updateGateDirectPath
        /// IndRNN: ∂L/∂h_{t−1} = ∂L/∂z_t instead of ∂L/∂z_t ⊙ u.
        case indrnnRecurrence

        /// The cell whose backward this bug lives in (nil for `.none`).
        var cell: Cell? {
            switch self {
            case .none: nil
            case .forgetGateDerivative, .cellCarry: .lstm
            case .resetGateDerivative, .updateGateDirectPath: .gru
            case .indrnnRecurrence: .indrnn
            }
        }
    }

    struct Layer {
        var wih: [[Double]]   // [G·H][in]
        var whh: [[Double]]   // [G·H][H] (lstm, gru); empty for indrnn
        var u: [Double]       // [H] (indrnn); empty otherwise
        var b: [Double]       // lstm: b_ih + b_hh [4H]; gru: b_ih [3H]; indrnn: [H]
        var bhh: [Double]     // gru: b_hh [3H]; empty otherwise
    }

    /// One window's data, time-major (row t·B + b).
    struct Window {
        var steps: Int
        var batch: Int
        var tokens: [Int32] = []          // token input
        var inputs: [[Double]] = []       // dense input, one row per (t, b)
        var targets: [Int32] = []         // classification; −1 = not scored
        var values: [[Double]] = []       // regression targets
        var scored: [Bool] = []           // regression mask
        var h0: [[[Double]]] = []         // [layer][b][H]
        var c0: [[[Double]]] = []         // [layer][b][H] (lstm only)
    }

    /// What the forward pass keeps for the backward.
    struct Trace {
        var loss: Double
        /// [l][t][b][·], t = 1…T (index 0 empty): lstm the activated (i, f, g, o) [4H]; gru the activated
        /// (r, z, n) [3H]; indrnn the pre-activation z [H].
        var gates: [[[[Double]]]]
        /// gru: W_hn h_{t−1} + b_hn, [l][t][b][H].
        var hn: [[[[Double]]]]
        /// [l][t][b][H], t = 0…T.
        var h: [[[[Double]]]]
        /// lstm: [l][t][b][H], t = 0…T.
        var c: [[[[Double]]]]
        /// [t][b][O], t = 1…T.
        var y: [[[Double]]]
    }

    struct Gradients {
        /// In the model's storage layout and parameter order.
        var params: [[Double]]
        /// ∂L/∂h₀ [layer][b][H].
        var h0: [[[Double]]]
        /// ∂L/∂c₀ [layer][b][H] (lstm; empty otherwise).
        var c0: [[[Double]]]
        /// [layer][t]: mean over the batch of ‖∂L/∂h_t‖₂, t = 0…T.
        var profile: [[Double]]
        /// [layer][t]: mean over the batch of ‖∂L/∂c_t‖₂ (total), t = 0…T; zeros for other cells.
        var cellProfile: [[Double]]
    }

    let cell: Cell
    var activation: Activation      // indrnn only
    var layers: [Layer]
    var wdec: [[Double]]   // [O][H]
    var bdec: [Double]
    var regression: Bool
    var tokenInput: Bool
    var plantedBug: PlantedBug
    /// Dropout masks on each layer's outputs on their way up, [layer][t][b][j] for t = 1…T (index 0 unused);
    /// nil: none. Layer l + 1 and the decoder read hˡ_t ⊙ maskˡ_t.
    var masks: [[[[Double]]]]?

    /// Gate blocks per layer: 4 (lstm), 3 (gru), 1 (indrnn).
    static func gateCount(_ cell: Cell) -> Int {
        switch cell {
        case .lstm: 4
        case .gru: 3
        case .indrnn, .rnn: 1
        }
    }

    /// Parameter tensors per layer: gru keeps both biases.
    static func tensorsPerLayer(_ cell: Cell) -> Int { cell == .gru ? 4 : 3 }

    /// The names and storage shapes the model must have, in order (PyTorch names; matrices [in × out]).
    static func expectedLayout(_ c: ModelConfig) -> [(name: String, shape: [Int])] {
        let (h, g) = (c.hidden, gateCount(c.cell))
        var out = [(name: String, shape: [Int])]()
        for l in 0..<c.layers {
            let inW = l == 0 ? c.inputWidth : h
            out.append(("rnn.weight_ih_l\(l)", [inW, g * h]))
            out.append(("rnn.weight_hh_l\(l)", c.cell == .indrnn ? [h] : [h, g * h]))
            out.append(("rnn.bias_ih_l\(l)", [g * h]))
            if c.cell == .gru { out.append(("rnn.bias_hh_l\(l)", [g * h])) }
        }
        out.append(("decoder.weight", [h, c.outputWidth]))
        out.append(("decoder.bias", [c.outputWidth]))
        return out
    }

    /// Copies `model`'s parameters, undoing the transposed storage. The model must have `expectedLayout`.
    init(_ model: RNNModel, plantedBug: PlantedBug = .none) {
        let c = model.config
        precondition(c.cell != .rnn, "ReferenceGatedRNN covers lstm, gru and indrnn; ReferenceRNN covers rnn")
        cell = c.cell
        activation = c.activation
        self.plantedBug = plantedBug
        regression = { if case .regression = c.head { return true } else { return false } }()
        tokenInput = { if case .tokens = c.input { return true } else { return false } }()
        func matrix(_ p: Parameter) -> [[Double]] {   // stored [in × out] → [out][in]
            let (rows, cols) = (p.shape[0], p.shape[1])
            return (0..<cols).map { o in (0..<rows).map { i in Double(p.value[i * cols + o]) } }
        }
        func vector(_ p: Parameter) -> [Double] { p.value.array.map(Double.init) }
        let ps = model.parameters
        let k = Self.tensorsPerLayer(c.cell)
        let cell = c.cell
        layers = (0..<c.layers).map { l in
            let p = Array(ps[(k * l)..<(k * l + k)])
            switch cell {
            case .lstm: return Layer(wih: matrix(p[0]), whh: matrix(p[1]), u: [], b: vector(p[2]), bhh: [])
            case .gru: return Layer(wih: matrix(p[0]), whh: matrix(p[1]), u: [], b: vector(p[2]), bhh: vector(p[3]))
            case .indrnn, .rnn: return Layer(wih: matrix(p[0]), whh: [], u: vector(p[1]), b: vector(p[2]), bhh: [])
            }
        }
        wdec = matrix(ps[k * c.layers])
        bdec = vector(ps[k * c.layers + 1])
    }

    var hidden: Int { wdec[0].count }
    var gates: Int { Self.gateCount(cell) }

    func act(_ z: Double) -> Double { activation.exactValue(z) }

    func actDerivative(z: Double, y: Double) -> Double { activation.exactDerivative(z: z, y: y) }

    func sigmoid(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }

    /// Layer l's output at (t, b) as the next layer and the decoder see it: masked when there are masks.
    func output(_ h: [[[[Double]]]], _ l: Int, _ t: Int, _ b: Int) -> [Double] {
        guard let masks else { return h[l][t][b] }
        return zip(h[l][t][b], masks[l][t][b]).map { $0 * $1 }
    }

    /// W_ih x_t for layer l at (t, b), without bias: [G·H].
    private func inputProjection(_ l: Int, _ w: Window, _ h: [[[[Double]]]], _ t: Int, _ b: Int) -> [Double] {
        let layer = layers[l]
        if l == 0 && tokenInput {
            let token = Int(w.tokens[(t - 1) * B(w) + b])
            return layer.wih.map { $0[token] }
        }
        let x = l == 0 ? w.inputs[(t - 1) * B(w) + b] : output(h, l - 1, t, b)
        return layer.wih.map { row in
            var s = 0.0
            for i in 0..<x.count { s += row[i] * x[i] }
            return s
        }
    }

    private func B(_ w: Window) -> Int { w.batch }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }

    /// Forward pass over the window from its h₀ (and c₀).
    func forward(_ w: Window) -> Trace {
        let (T, B, H) = (w.steps, w.batch, hidden)
        var gatesOut = [[[[Double]]]](), hnOut = [[[[Double]]]](), hOut = [[[[Double]]]](), cOut = [[[[Double]]]]()
        for (l, layer) in layers.enumerated() {
            var gl = [[[Double]]](repeating: [], count: T + 1)
            var nl = [[[Double]]](repeating: [], count: T + 1)
            var hl = [[[Double]]](repeating: [], count: T + 1)
            var cl = [[[Double]]](repeating: [], count: T + 1)
            hl[0] = w.h0[l]
            if cell == .lstm { cl[0] = w.c0[l] }
            for t in 1...T {
                for b in 0..<B {
                    let xin = inputProjection(l, w, hOut, t, b)
                    let hPrev = hl[t - 1][b]
                    switch cell {
                    case .lstm:
                        var a = (0..<(4 * H)).map { xin[$0] + layer.b[$0] + dot(layer.whh[$0], hPrev) }
                        for j in 0..<H {
                            a[j] = sigmoid(a[j])
                            a[H + j] = sigmoid(a[H + j])
                            a[2 * H + j] = Foundation.tanh(a[2 * H + j])
                            a[3 * H + j] = sigmoid(a[3 * H + j])
                        }
                        let c = (0..<H).map { j in a[H + j] * cl[t - 1][b][j] + a[j] * a[2 * H + j] }
                        gl[t].append(a)
                        cl[t].append(c)
                        hl[t].append((0..<H).map { j in a[3 * H + j] * Foundation.tanh(c[j]) })
                    case .gru:
                        let rec = (0..<(3 * H)).map { dot(layer.whh[$0], hPrev) + layer.bhh[$0] }
                        var a = [Double](repeating: 0, count: 3 * H)
                        var h = [Double](repeating: 0, count: H)
                        for j in 0..<H {
                            let r = sigmoid(xin[j] + layer.b[j] + rec[j])
                            let z = sigmoid(xin[H + j] + layer.b[H + j] + rec[H + j])
                            let n = Foundation.tanh(xin[2 * H + j] + layer.b[2 * H + j] + r * rec[2 * H + j])
                            (a[j], a[H + j], a[2 * H + j]) = (r, z, n)
                            h[j] = (1 - z) * n + z * hPrev[j]
                        }
                        gl[t].append(a)
                        nl[t].append(Array(rec[(2 * H)...]))
                        hl[t].append(h)
                    case .indrnn, .rnn:
                        let z = (0..<H).map { j in xin[j] + layer.u[j] * hPrev[j] + layer.b[j] }
                        gl[t].append(z)
                        hl[t].append(z.map(act))
                    }
                }
            }
            gatesOut.append(gl)
            hnOut.append(nl)
            hOut.append(hl)
            cOut.append(cl)
        }
        let top = layers.count - 1
        var y = [[[Double]]](repeating: [], count: T + 1)
        for t in 1...T {
            y[t] = (0..<B).map { b in
                let x = output(hOut, top, t, b)
                return (0..<bdec.count).map { o in bdec[o] + dot(wdec[o], x) }
            }
        }
        return Trace(loss: ReferenceHead.loss(y, w, regression: regression, steps: T, batch: B), gates: gatesOut, hn: hnOut, h: hOut, c: cOut, y: y)
    }

    /// The mean loss only.
    func loss(_ w: Window) -> Double { forward(w).loss }

    /// Analytic gradients by BPTT (with `plantedBug` applied), in the model's storage layout and parameter order,
    /// plus ∂L/∂h₀ (and ∂L/∂c₀) per layer and the per-step gradient-norm profiles.
    func gradients(_ w: Window) -> Gradients {
        let (T, B, H, O, L, G) = (w.steps, w.batch, hidden, bdec.count, layers.count, gates)
        let tr = forward(w)
        let (y, h) = (tr.y, tr.h)
        let dy = ReferenceHead.outputGradients(y, w, regression: regression, steps: T, batch: B)
        var gWdec = [[Double]](repeating: [Double](repeating: 0, count: H), count: O)
        var gBdec = [Double](repeating: 0, count: O)
        // dAbove[t][b][j]: ∂L/∂h_t of the current layer arriving from above (the decoder or the next layer).
        var dAbove = [[[Double]]](repeating: [], count: T + 1)
        for t in 1...T {
            dAbove[t] = (0..<B).map { b -> [Double] in
                (0..<H).map { j -> Double in
                    var sum = 0.0
                    for o in 0..<O { sum += dy[t][b][o] * wdec[o][j] }
                    return sum * (masks?[L - 1][t][b][j] ?? 1)
                }
            }
            for b in 0..<B {
                let top = output(h, L - 1, t, b)
                for o in 0..<O {
                    gBdec[o] += dy[t][b][o]
                    for j in 0..<H { gWdec[o][j] += dy[t][b][o] * top[j] }
                }
            }
        }
        let k = Self.tensorsPerLayer(cell)
        var params = [[Double]](repeating: [], count: k * L + 2)
        var dh0 = [[[Double]]](repeating: [], count: L)
        var dc0 = [[[Double]]](repeating: [], count: cell == .lstm ? L : 0)
        var profile = [[Double]](repeating: [Double](repeating: 0, count: T + 1), count: L)
        var cellProfile = profile
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

        for l in stride(from: L - 1, through: 0, by: -1) {
            let layer = layers[l]
            let inW = layer.wih[0].count
            var gWih = [[Double]](repeating: [Double](repeating: 0, count: inW), count: G * H)
            var gWhh = [[Double]](repeating: [Double](repeating: 0, count: H), count: cell == .indrnn ? 0 : G * H)
            var gB = [Double](repeating: 0, count: G * H)
            var gBhh = [Double](repeating: 0, count: G * H)
            var gU = [Double](repeating: 0, count: H)
            var dBelow = [[[Double]]](repeating: [], count: T + 1)
            let zeros = [[Double]](repeating: [Double](repeating: 0, count: H), count: B)
            var nextH = zeros   // ∂L/∂h_t through step t + 1 (the recurrence)
            var nextC = zeros   // lstm: ∂L/∂c_t through c_{t+1}, i.e. dc_{t+1} ⊙ f_{t+1}
            for t in stride(from: T, through: 1, by: -1) {
                dBelow[t] = [[Double]](repeating: [Double](repeating: 0, count: inW), count: B)
                for b in 0..<B {
                    let dh = (0..<H).map { dAbove[t][b][$0] + nextH[b][$0] }
                    profile[l][t] += norm(dh) / Double(B)
                    let hPrev = h[l][t - 1][b]
                    let a = tr.gates[l][t][b]
                    var dIn = [Double](repeating: 0, count: G * H)    // ∂L/∂(input-side pre-activations)
                    var dRec = [Double](repeating: 0, count: G * H)   // ∂L/∂(W_hh h_{t−1} + b_hh)
                    var dhPrev = [Double](repeating: 0, count: H)
                    switch cell {
                    case .lstm:
                        var dcTotal = [Double](repeating: 0, count: H)
                        for j in 0..<H {
                            let (i, f, g, o) = (a[j], a[H + j], a[2 * H + j], a[3 * H + j])
                            let tc = Foundation.tanh(tr.c[l][t][b][j])
                            let dc = nextC[b][j] + dh[j] * o * (1 - tc * tc)
                            dcTotal[j] = dc
                            dIn[j] = dc * g * i * (1 - i)
                            let fPrime = plantedBug == .forgetGateDerivative ? f : f * (1 - f)
                            dIn[H + j] = dc * tr.c[l][t - 1][b][j] * fPrime
                            dIn[2 * H + j] = dc * i * (1 - g * g)
                            dIn[3 * H + j] = dh[j] * tc * o * (1 - o)
                            nextC[b][j] = plantedBug == .cellCarry ? dc : dc * f
                        }
                        cellProfile[l][t] += norm(dcTotal) / Double(B)
                        dRec = dIn
                    case .gru:
                        for j in 0..<H {
                            let (r, z, n) = (a[j], a[H + j], a[2 * H + j])
                            let hn = tr.hn[l][t][b][j]
                            let dnHat = dh[j] * (1 - z) * (1 - n * n)
                            let dz = dh[j] * (hPrev[j] - n) * z * (1 - z)
                            let dr = dnHat * (plantedBug == .resetGateDerivative ? 1 : hn) * r * (1 - r)
                            (dIn[j], dIn[H + j], dIn[2 * H + j]) = (dr, dz, dnHat)
                            (dRec[j], dRec[H + j], dRec[2 * H + j]) = (dr, dz, dnHat * r)
                            dhPrev[j] = plantedBug == .updateGateDirectPath ? 0 : dh[j] * z
                        }
                    case .indrnn, .rnn:
                        for j in 0..<H {
                            let dz = dh[j] * actDerivative(z: a[j], y: h[l][t][b][j])
                            dIn[j] = dz
                            gU[j] += dz * hPrev[j]
                            dhPrev[j] = plantedBug == .indrnnRecurrence ? dz : dz * layer.u[j]
                        }
                    }
                    for q in 0..<(G * H) {
                        gB[q] += dIn[q]
                        if cell == .gru { gBhh[q] += dRec[q] }
                        if cell != .indrnn {
                            for i in 0..<H {
                                gWhh[q][i] += dRec[q] * hPrev[i]
                                dhPrev[i] += dRec[q] * layer.whh[q][i]
                            }
                        }
                        if l == 0 && tokenInput {
                            gWih[q][Int(w.tokens[(t - 1) * B + b])] += dIn[q]
                        } else {
                            let x = l == 0 ? w.inputs[(t - 1) * B + b] : output(h, l - 1, t, b)
                            for i in 0..<inW {
                                gWih[q][i] += dIn[q] * x[i]
                                dBelow[t][b][i] += dIn[q] * layer.wih[q][i]
                            }
                        }
                    }
                    nextH[b] = dhPrev
                }
            }
            for b in 0..<B {
                profile[l][0] += norm(nextH[b]) / Double(B)
                if cell == .lstm { cellProfile[l][0] += norm(nextC[b]) / Double(B) }
            }
            dh0[l] = nextH
            if cell == .lstm { dc0[l] = nextC }
            // Through the layer below's mask: ∂L/∂h = ∂L/∂(h ⊙ mask) ⊙ mask.
            dAbove = dBelow
            if l > 0, let masks {
                for t in 1...T {
                    for b in 0..<B { dAbove[t][b] = zip(dBelow[t][b], masks[l - 1][t][b]).map { $0 * $1 } }
                }
            }
            params[k * l] = transposeFlat(gWih)
            switch cell {
            case .lstm:
                params[k * l + 1] = transposeFlat(gWhh)
                params[k * l + 2] = gB
            case .gru:
                params[k * l + 1] = transposeFlat(gWhh)
                params[k * l + 2] = gB
                params[k * l + 3] = gBhh
            case .indrnn, .rnn:
                params[k * l + 1] = gU
                params[k * l + 2] = gB
            }
        }
        params[k * L] = transposeFlat(gWdec)
        params[k * L + 1] = gBdec
        return Gradients(params: params, h0: dh0, c0: dc0, profile: profile, cellProfile: cellProfile)
    }

    /// Reads or writes parameter `p`'s element `i` in storage layout (for finite differences). A stored matrix
    /// [in × out] has element i at PyTorch (o, in) = (i % out, i / out).
    subscript(parameter p: Int, element i: Int) -> Double {
        get {
            let (L, k) = (layers.count, Self.tensorsPerLayer(cell))
            switch p {
            case k * L: return wdec[i % wdec.count][i / wdec.count]
            case k * L + 1: return bdec[i]
            default:
                let layer = layers[p / k]
                switch p % k {
                case 0: return layer.wih[i % layer.wih.count][i / layer.wih.count]
                case 1: return cell == .indrnn ? layer.u[i] : layer.whh[i % layer.whh.count][i / layer.whh.count]
                case 2: return layer.b[i]
                default: return layer.bhh[i]
                }
            }
        }
        set {
            let (L, k) = (layers.count, Self.tensorsPerLayer(cell))
            switch p {
            case k * L: wdec[i % wdec.count][i / wdec.count] = newValue
            case k * L + 1: bdec[i] = newValue
            default:
                let l = p / k
                switch p % k {
                case 0: layers[l].wih[i % layers[l].wih.count][i / layers[l].wih.count] = newValue
                case 1:
                    if cell == .indrnn {
                        layers[l].u[i] = newValue
                    } else {
                        layers[l].whh[i % layers[l].whh.count][i / layers[l].whh.count] = newValue
                    }
                case 2: layers[l].b[i] = newValue
                default: layers[l].bhh[i] = newValue
                }
            }
        }
    }
}
