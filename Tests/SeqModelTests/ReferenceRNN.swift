import Foundation
@testable import SeqKernels
@testable import SeqModel

/// A plain, scalar, Double-precision Elman RNN written straight from the equations, in PyTorch's layout
/// ([out × in] matrices, two loops per product). It shares no code with `RNNModel` but the parameter values, so
/// agreement between the two checks the SIMD model; finite differences on this one check its own backward.
struct ReferenceRNN {
    struct Layer {
        var wih: [[Double]]   // [H][in]
        var whh: [[Double]]   // [H][H]
        var b: [Double]       // [H]
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
        var h0: [[[Double]]]              // [layer][b][H]
    }

    var activation: Activation
    var layers: [Layer]
    var wdec: [[Double]]   // [O][H]
    var bdec: [Double]
    var regression: Bool
    var tokenInput: Bool
    /// Dropout masks on each layer's outputs on their way up, [layer][t][b][j] for t = 1…T (index 0 unused);
    /// nil: none. Layer l + 1 and the decoder read hˡ_t ⊙ maskˡ_t.
    var masks: [[[[Double]]]]?

    /// Copies `model`'s parameters, undoing the transposed storage.
    init(_ model: RNNModel) {
        let c = model.config
        activation = c.activation
        regression = { if case .regression = c.head { return true } else { return false } }()
        tokenInput = { if case .tokens = c.input { return true } else { return false } }()
        func matrix(_ p: Parameter) -> [[Double]] {   // stored [in × out] → [out][in]
            let (rows, cols) = (p.shape[0], p.shape[1])
            return (0..<cols).map { o in (0..<rows).map { i in Double(p.value[i * cols + o]) } }
        }
        let ps = model.parameters
        layers = (0..<c.layers).map { l in
            Layer(wih: matrix(ps[3 * l]), whh: matrix(ps[3 * l + 1]), b: ps[3 * l + 2].value.array.map(Double.init))
        }
        wdec = matrix(ps[3 * c.layers])
        bdec = ps[3 * c.layers + 1].value.array.map(Double.init)
    }

    func act(_ z: Double) -> Double { activation.exactValue(z) }

    func actDerivative(z: Double, y: Double) -> Double { activation.exactDerivative(z: z, y: y) }

    /// Forward pass: returns the mean loss, the pre-activations z[l][t][b][j] and states h[l][t][b][j] (t = 0…T, h
    /// includes h₀), and the outputs y[t][b][o].
    func forward(_ w: Window) -> (loss: Double, z: [[[[Double]]]], h: [[[[Double]]]], y: [[[Double]]]) {
        let (T, B, H) = (w.steps, w.batch, layers[0].b.count)
        var z = [[[[Double]]]](), h = [[[[Double]]]]()
        for (l, layer) in layers.enumerated() {
            var zl = [[[Double]]](repeating: [], count: T + 1)
            var hl = [[[Double]]](repeating: [], count: T + 1)
            hl[0] = w.h0[l]
            for t in 1...T {
                zl[t] = (0..<B).map { b in
                    (0..<H).map { j in
                        var s = layer.b[j]
                        if l == 0 && tokenInput {
                            s += layer.wih[j][Int(w.tokens[(t - 1) * B + b])]
                        } else {
                            let x = l == 0 ? w.inputs[(t - 1) * B + b] : output(h, l - 1, t, b)
                            for i in 0..<x.count { s += layer.wih[j][i] * x[i] }
                        }
                        for i in 0..<H { s += layer.whh[j][i] * hl[t - 1][b][i] }
                        return s
                    }
                }
                hl[t] = zl[t].map { $0.map(act) }
            }
            z.append(zl)
            h.append(hl)
        }
        var y = [[[Double]]](repeating: [], count: T + 1)
        for t in 1...T {
            y[t] = (0..<B).map { b in
                (0..<bdec.count).map { o in
                    var s = bdec[o]
                    let top = output(h, layers.count - 1, t, b)
                    for j in 0..<H { s += wdec[o][j] * top[j] }
                    return s
                }
            }
        }
        return (ReferenceHead.loss(y, w, regression: regression, steps: T, batch: B), z, h, y)
    }

    /// Layer l's output at (t, b) as the next layer and the decoder see it: masked when there are masks.
    func output(_ h: [[[[Double]]]], _ l: Int, _ t: Int, _ b: Int) -> [Double] {
        guard let masks else { return h[l][t][b] }
        return zip(h[l][t][b], masks[l][t][b]).map { $0 * $1 }
    }

    /// The mean loss only.
    func loss(_ w: Window) -> Double { forward(w).loss }

    /// Analytic gradients by BPTT, in the model's storage layout and parameter order (W_ihᵀ, W_hhᵀ, b per layer,
    /// then W_decᵀ and b_dec), plus ∂L/∂h₀ per layer and ‖∂L/∂h_t‖ batch means per layer and t.
    func gradients(_ w: Window) -> (params: [[Double]], h0: [[[Double]]], profile: [[Double]]) {
        let (T, B, H, O, L) = (w.steps, w.batch, layers[0].b.count, bdec.count, layers.count)
        let (_, z, h, y) = forward(w)
        let dy = ReferenceHead.outputGradients(y, w, regression: regression, steps: T, batch: B)
        var gWdec = [[Double]](repeating: [Double](repeating: 0, count: H), count: O)
        var gBdec = [Double](repeating: 0, count: O)
        // dAbove[t][b][j]: ∂L/∂h_t of the current layer arriving from above.
        var dAbove = [[[Double]]](repeating: [], count: T + 1)
        for t in 1...T {
            dAbove[t] = (0..<B).map { b -> [Double] in
                (0..<H).map { j -> Double in
                    let sum: Double = (0..<O).reduce(0) { $0 + dy[t][b][$1] * wdec[$1][j] }
                    let keep: Double = masks?[L - 1][t][b][j] ?? 1
                    return sum * keep
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
        var params = [[Double]](repeating: [], count: 3 * L + 2)
        var dh0 = [[[Double]]](repeating: [], count: L)
        var profile = [[Double]](repeating: [Double](repeating: 0, count: T + 1), count: L)
        for l in stride(from: L - 1, through: 0, by: -1) {
            let layer = layers[l]
            let inW = layer.wih[0].count
            var gWih = [[Double]](repeating: [Double](repeating: 0, count: inW), count: H)
            var gWhh = [[Double]](repeating: [Double](repeating: 0, count: H), count: H)
            var gB = [Double](repeating: 0, count: H)
            var dBelow = [[[Double]]](repeating: [], count: T + 1)
            var next = [[Double]](repeating: [Double](repeating: 0, count: H), count: B)   // through h_{t+1}
            for t in stride(from: T, through: 1, by: -1) {
                var dz = [[Double]](repeating: [Double](repeating: 0, count: H), count: B)
                for b in 0..<B {
                    let dh = (0..<H).map { dAbove[t][b][$0] + next[b][$0] }
                    profile[l][t] += dh.reduce(0) { $0 + $1 * $1 }.squareRoot() / Double(B)
                    for j in 0..<H { dz[b][j] = dh[j] * actDerivative(z: z[l][t][b][j], y: h[l][t][b][j]) }
                }
                dBelow[t] = (0..<B).map { _ in [Double](repeating: 0, count: inW) }
                for b in 0..<B {
                    for j in 0..<H {
                        gB[j] += dz[b][j]
                        for i in 0..<H { gWhh[j][i] += dz[b][j] * h[l][t - 1][b][i] }
                        if l == 0 && tokenInput {
                            gWih[j][Int(w.tokens[(t - 1) * B + b])] += dz[b][j]
                        } else {
                            let x = l == 0 ? w.inputs[(t - 1) * B + b] : output(h, l - 1, t, b)
                            for i in 0..<inW {
                                gWih[j][i] += dz[b][j] * x[i]
                                dBelow[t][b][i] += dz[b][j] * layer.wih[j][i]
                            }
                        }
                    }
                    next[b] = (0..<H).map { i in (0..<H).reduce(0) { $0 + dz[b][$1] * layer.whh[$1][i] } }
                }
            }
            for b in 0..<B { profile[l][0] += next[b].reduce(0) { $0 + $1 * $1 }.squareRoot() / Double(B) }
            dh0[l] = next
            // Through the layer below's mask: ∂L/∂h = ∂L/∂(h ⊙ mask) ⊙ mask.
            dAbove = dBelow
            if l > 0, let masks {
                for t in 1...T {
                    for b in 0..<B { dAbove[t][b] = zip(dBelow[t][b], masks[l - 1][t][b]).map { $0 * $1 } }
                }
            }
            params[3 * l] = transposeFlat(gWih)
            params[3 * l + 1] = transposeFlat(gWhh)
            params[3 * l + 2] = gB
        }
        params[3 * L] = transposeFlat(gWdec)
        params[3 * L + 1] = gBdec
        return (params, dh0, profile)
    }

    /// Reads or writes parameter `p`'s element `i` in storage layout (for finite differences).
    subscript(parameter p: Int, element i: Int) -> Double {
        get {
            let L = layers.count
            switch p {
            case 3 * L: return wdec[i % wdec.count][i / wdec.count]
            case 3 * L + 1: return bdec[i]
            default:
                let layer = layers[p / 3]
                switch p % 3 {
                case 0: return layer.wih[i % layer.wih.count][i / layer.wih.count]
                case 1: return layer.whh[i % layer.whh.count][i / layer.whh.count]
                default: return layer.b[i]
                }
            }
        }
        set {
            let L = layers.count
            switch p {
            case 3 * L: wdec[i % wdec.count][i / wdec.count] = newValue
            case 3 * L + 1: bdec[i] = newValue
            default:
                switch p % 3 {
                case 0: layers[p / 3].wih[i % layers[p / 3].wih.count][i / layers[p / 3].wih.count] = newValue
                case 1: layers[p / 3].whh[i % layers[p / 3].whh.count][i / layers[p / 3].whh.count] = newValue
                default: layers[p / 3].b[i] = newValue
                }
            }
        }
    }
}
