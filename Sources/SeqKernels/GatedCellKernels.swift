import AVX512Kernels

/// The element-wise part of one step of the gated cells and the IndRNN, forward and backward: everything a step
/// does besides its matrix products, in one pass over each row so that every value is read and written once.
///
/// Every kernel takes pre-activations without bias (the products' results) and adds the bias itself. Gate blocks
/// lie side by side in a row, H columns each, in PyTorch's order: (i, f, g, o) for the LSTM, (r, z, n) for the
/// GRU. The forward passes run at the kernel width (sixteen lanes where the CPU has AVX-512: their three or four
/// exp per unit bind them), from the same lane code at both widths, so the same bits; the backward passes, a few
/// products per value, run on eight.

/// LSTM step:  (i, f, g, o) = (σ, σ, tanh, σ)(gates + bias),  c = f⊙c₋ + i⊙g,  h = o⊙tanh(c).
/// `gates` [rows × 4H] holds the pre-activations on entry and the activated gates on exit (the backward reads
/// them); `c`, `cTanh` and `h` receive c_t, tanh(c_t) and h_t, [rows × H].
public func lstmForwardPointwise(gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                                 cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                 cTanh: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
                                 rows: Int, hidden: Int, width: KernelWidth = .preferred) {
    precondition(rows >= 0 && hidden >= 0, "lstmForwardPointwise: bad shape")
    if width.isWide {
        lstmForwardPointwise512(gates: gates, bias: bias, cPrev: cPrev, c: c, cTanh: cTanh, h: h, rows: rows,
                                hidden: hidden)
        return
    }
    let H = hidden
    for r in 0..<rows {
        let (zr, row) = (gates + r * 4 * H, r * H)
        var j = 0
        while j + 8 <= H {
            lstmForwardLanes(zr, bias, cPrev + row, c + row, cTanh + row, h + row, j, H, 8)
            j += 8
        }
        if j < H { lstmForwardLanes(zr, bias, cPrev + row, c + row, cTanh + row, h + row, j, H, H - j) }
    }
}

/// LSTM step backward. With dc̄ = dc + dh⊙o⊙(1 − tanh²c), the whole ∂L/∂c_t:
///     ∂z_i = dc̄⊙g⊙i(1−i),  ∂z_f = dc̄⊙c₋⊙f(1−f),  ∂z_g = dc̄⊙i⊙(1−g²),  ∂z_o = dh⊙tanh(c)⊙o(1−o),
/// and the carry into step t−1 is dc̄⊙f. `dc` holds on entry the carry from step t+1 and on exit the one into
/// step t−1; `dGates` [rows × 4H] receives ∂L/∂z; `cellGrad`, when given, receives dc̄ (for the probe).
public func lstmBackwardPointwise(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
                                  cTanh: UnsafePointer<Float>, dh: UnsafePointer<Float>,
                                  dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                                  cellGrad: UnsafeMutablePointer<Float>?, rows: Int, hidden: Int) {
    precondition(rows >= 0 && hidden >= 0, "lstmBackwardPointwise: bad shape")
    let H = hidden
    for r in 0..<rows {
        let (gr, dgr, row) = (gates + r * 4 * H, dGates + r * 4 * H, r * H)
        let cg = cellGrad.map { $0 + row }
        var j = 0
        while j + 8 <= H {
            lstmBackwardLanes(gr, cPrev + row, cTanh + row, dh + row, dc + row, dgr, cg, j, H, 8)
            j += 8
        }
        if j < H { lstmBackwardLanes(gr, cPrev + row, cTanh + row, dh + row, dc + row, dgr, cg, j, H, H - j) }
    }
}

@inline(__always)
private func lstmBackwardLanes(_ gates: UnsafePointer<Float>, _ cPrev: UnsafePointer<Float>,
                               _ cTanh: UnsafePointer<Float>, _ dh: UnsafePointer<Float>,
                               _ dc: UnsafeMutablePointer<Float>, _ dGates: UnsafeMutablePointer<Float>,
                               _ cellGrad: UnsafeMutablePointer<Float>?, _ j: Int, _ H: Int, _ n: Int) {
    let one = SIMD8<Float>(repeating: 1)
    let i = load(gates, j, n), f = load(gates, H + j, n)
    let g = load(gates, 2 * H + j, n), o = load(gates, 3 * H + j, n)
    let t = load(cTanh, j, n), dhv = load(dh, j, n)
    // (1 − t)(1 + t) keeps its relative precision where 1 − t² would not (see `backpropagate`).
    let dcTotal = multiplyAdd(dhv * o, (one - t) * (one + t), load(dc, j, n))
    if let cellGrad { store(dcTotal, cellGrad, j, n) }
    store(dcTotal * g * (i * (one - i)), dGates, j, n)
    store(dcTotal * load(cPrev, j, n) * (f * (one - f)), dGates, H + j, n)
    store(dcTotal * i * ((one - g) * (one + g)), dGates, 2 * H + j, n)
    store(dhv * t * (o * (one - o)), dGates, 3 * H + j, n)
    store(dcTotal * f, dc, j, n)
}

/// GRU step, as PyTorch's `nn.GRU`:  r = σ(x_r + b_ir + h_r + b_hr),  z = σ(x_z + b_iz + h_z + b_hz),
/// n = tanh(x_n + b_in + r⊙(h_n + b_hn)),  h = (1 − z)⊙n + z⊙h₋,
/// where x_· = (x·W_ihᵀ) blocks in `gates` [rows × 3H] and h_· = (h₋·W_hhᵀ) blocks in `recurrent`.
/// `gates` receives the activated (r, z, n); `hn` [rows × H] receives h_n + b_hn (the backward needs it), `h`
/// receives h_t.
public func gruForwardPointwise(gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
                                biasInput: UnsafePointer<Float>, biasRecurrent: UnsafePointer<Float>,
                                hPrev: UnsafePointer<Float>, hn: UnsafeMutablePointer<Float>,
                                h: UnsafeMutablePointer<Float>, rows: Int, hidden: Int,
                                width: KernelWidth = .preferred) {
    precondition(rows >= 0 && hidden >= 0, "gruForwardPointwise: bad shape")
    if width.isWide {
        gruForwardPointwise512(gates: gates, recurrent: recurrent, biasInput: biasInput, biasRecurrent: biasRecurrent,
                               hPrev: hPrev, hn: hn, h: h, rows: rows, hidden: hidden)
        return
    }
    let H = hidden
    for r in 0..<rows {
        let (xr, hr, row) = (gates + r * 3 * H, recurrent + r * 3 * H, r * H)
        var j = 0
        while j + 8 <= H {
            gruForwardLanes(xr, hr, biasInput, biasRecurrent, hPrev + row, hn + row, h + row, j, H, 8)
            j += 8
        }
        if j < H { gruForwardLanes(xr, hr, biasInput, biasRecurrent, hPrev + row, hn + row, h + row, j, H, H - j) }
    }
}

/// GRU step backward, for dh = ∂L/∂h_t:
///     ∂n̂ = dh⊙(1−z)⊙(1−n²),  ∂ẑ = dh⊙(h₋ − n)⊙z(1−z),  ∂r̂ = ∂n̂⊙hn⊙r(1−r),
/// with n̂, ẑ, r̂ the pre-activations. `dInput` [rows × 3H] receives (∂r̂, ∂ẑ, ∂n̂), the gradient of the input side
/// (x·W_ihᵀ + b_ih); `dRecurrent` receives (∂r̂, ∂ẑ, ∂n̂⊙r), that of the recurrent side (h₋·W_hhᵀ + b_hh).
/// `dhPrev` becomes (accumulate ? dhPrev : 0) + dh⊙z, the direct path to h₋ (the caller adds dRecurrent·W_hh).
public func gruBackwardPointwise(gates: UnsafePointer<Float>, hn: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                                 dh: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>,
                                 dRecurrent: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>,
                                 accumulate: Bool, rows: Int, hidden: Int) {
    precondition(rows >= 0 && hidden >= 0, "gruBackwardPointwise: bad shape")
    let H = hidden
    for r in 0..<rows {
        let (g, di, dr, row) = (gates + r * 3 * H, dInput + r * 3 * H, dRecurrent + r * 3 * H, r * H)
        var j = 0
        while j + 8 <= H {
            gruBackwardLanes(g, hn + row, hPrev + row, dh + row, di, dr, dhPrev + row, accumulate, j, H, 8)
            j += 8
        }
        if j < H { gruBackwardLanes(g, hn + row, hPrev + row, dh + row, di, dr, dhPrev + row, accumulate, j, H, H - j) }
    }
}

@inline(__always)
private func gruBackwardLanes(_ gates: UnsafePointer<Float>, _ hn: UnsafePointer<Float>, _ hPrev: UnsafePointer<Float>,
                              _ dh: UnsafePointer<Float>, _ dInput: UnsafeMutablePointer<Float>,
                              _ dRecurrent: UnsafeMutablePointer<Float>, _ dhPrev: UnsafeMutablePointer<Float>,
                              _ accumulate: Bool, _ j: Int, _ H: Int, _ n: Int) {
    let one = SIMD8<Float>(repeating: 1)
    let r = load(gates, j, n), z = load(gates, H + j, n), candidate = load(gates, 2 * H + j, n)
    let dhv = load(dh, j, n), hp = load(hPrev, j, n)
    let dn = dhv * (one - z) * ((one - candidate) * (one + candidate))
    let dz = dhv * (hp - candidate) * (z * (one - z))
    let dr = dn * load(hn, j, n) * (r * (one - r))
    store(dr, dInput, j, n)
    store(dz, dInput, H + j, n)
    store(dn, dInput, 2 * H + j, n)
    store(dr, dRecurrent, j, n)
    store(dz, dRecurrent, H + j, n)
    store(dn * r, dRecurrent, 2 * H + j, n)
    let direct = dhv * z
    store(accumulate ? load(dhPrev, j, n) + direct : direct, dhPrev, j, n)
}

/// IndRNN step (Li et al. 2018), each unit its own recurrence:  h = act(z + u⊙h₋ + b), in place over `z`
/// [rows × H], which holds x·W_ihᵀ on entry.
public func indrnnForwardPointwise(_ act: Activation, z: UnsafeMutablePointer<Float>, u: UnsafePointer<Float>,
                                   bias: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, rows: Int, hidden: Int) {
    precondition(rows >= 0 && hidden >= 0, "indrnnForwardPointwise: bad shape")
    let H = hidden
    for r in 0..<rows {
        let (zr, hp) = (z + r * H, hPrev + r * H)
        var j = 0
        while j + 8 <= H {
            store(activate(act, multiplyAdd(u.vector(at: j), hp.vector(at: j), zr.vector(at: j) + bias.vector(at: j))), zr, j, 8)
            j += 8
        }
        if j < H {
            let n = H - j
            store(activate(act, multiplyAdd(load(u, j, n), load(hp, j, n), load(zr, j, n) + load(bias, j, n))), zr, j, n)
        }
    }
}

/// IndRNN step backward: `grad` holds ∂L/∂h_t on entry and ∂L/∂z = ∂L/∂h_t ⊙ act'(h_t) on exit;
/// `dhPrev` becomes (accumulate ? dhPrev : 0) + ∂L/∂z ⊙ u, and `uGrad[j]` gains Σ_rows ∂L/∂z ⊙ h₋ (rows in
/// order, so the sum has one fixed order).
public func indrnnBackwardPointwise(_ act: Activation, h: UnsafePointer<Float>, grad: UnsafeMutablePointer<Float>,
                                    u: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                                    dhPrev: UnsafeMutablePointer<Float>, accumulate: Bool,
                                    uGrad: UnsafeMutablePointer<Float>, rows: Int, hidden: Int) {
    precondition(rows >= 0 && hidden >= 0, "indrnnBackwardPointwise: bad shape")
    let H = hidden
    for r in 0..<rows {
        let row = r * H
        var j = 0
        while j + 8 <= H {
            indrnnBackwardLanes(act, h + row, grad + row, u, hPrev + row, dhPrev + row, accumulate, uGrad, j, 8)
            j += 8
        }
        if j < H { indrnnBackwardLanes(act, h + row, grad + row, u, hPrev + row, dhPrev + row, accumulate, uGrad, j, H - j) }
    }
}

@inline(__always)
private func indrnnBackwardLanes(_ act: Activation, _ h: UnsafePointer<Float>, _ grad: UnsafeMutablePointer<Float>,
                                 _ u: UnsafePointer<Float>, _ hPrev: UnsafePointer<Float>,
                                 _ dhPrev: UnsafeMutablePointer<Float>, _ accumulate: Bool,
                                 _ uGrad: UnsafeMutablePointer<Float>, _ j: Int, _ n: Int) {
    let dz = backpropagate(act, y: load(h, j, n), dy: load(grad, j, n))
    store(dz, grad, j, n)
    let direct = dz * load(u, j, n)
    store(accumulate ? load(dhPrev, j, n) + direct : direct, dhPrev, j, n)
    store(multiplyAdd(dz, load(hPrev, j, n), load(uGrad, j, n)), uGrad, j, n)
}
