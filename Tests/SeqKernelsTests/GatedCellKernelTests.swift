import Foundation
import XCTest
@testable import SeqKernels

/// The LSTM, GRU and IndRNN pointwise kernels against their Double-precision scalar references, on rows 1…5 and
/// hidden sizes below, at and past multiples of 8 and 16, with pre-activations up to ±12 (saturated gates).
///
/// Tolerances, per element, from what Float32 can promise rather than from what the kernels happen to give:
///   - a vector tanh or sigmoid is within `activationError` (2e-7) absolute of the exact function of its Float
///     argument, and that argument — a sum of up to four Floats, rounded a few times where the reference may sum in
///     Double — is within `sumRounding` · Σ|summands|, which the activation's slope (≤ 1) carries into its output;
///   - a product or sum of Floats is within `relative` (1e-6, some sixteen roundings) of the magnitude of its
///     terms, plus the activation errors of its factors times their cofactors (forward only: the backward kernels
///     take activated gates and apply no transcendental function).
/// Outputs must not be written past their [rows × width] extent and read-only inputs must come back unchanged;
/// the in-place arguments (`gates` forward, `dc`, `z`, `grad`) are checked as the in-place results they are.
final class GatedCellKernelTests: XCTestCase {
    static let hiddens = [1, 7, 8, 9, 13, 16, 17, 37]
    static let rowCounts = 1...5
    static let activationError = 2e-7
    static let sumRounding = 3e-7
    static let relative = 1e-6
    /// What sits past the end of every output, to show it stays put.
    static let sentinel: Float = -777.25
    static let guardCount = 9

    // MARK: - LSTM

    func testLSTMForwardMatchesReference() {
        var rng = SplitMix64(seed: 31)
        var check = Check()
        for H in Self.hiddens {
            for rows in Self.rowCounts {
                let (n, G) = (rows * H, 4 * H)
                let pre = randomTensor(rows * G, &rng, -12, 12)
                let bias = randomTensor(G, &rng, -1, 1)
                let cPrev = randomTensor(n, &rng, -3, 3)
                let gates = guarded(pre.array), c = guarded(n), cTanh = guarded(n), h = guarded(n)
                let (biasBefore, cPrevBefore) = (bias.array, cPrev.array)
                lstmForwardPointwise(gates: gates.data, bias: bias.data, cPrev: cPrev.data, c: c.data,
                                     cTanh: cTanh.data, h: h.data, rows: rows, hidden: H)
                let rg = copyOf(pre), rc = Tensor([n]), rt = Tensor([n]), rh = Tensor([n])
                lstmForwardPointwiseReference(gates: rg.data, bias: bias.data, cPrev: cPrev.data, c: rc.data,
                                              cTanh: rt.data, h: rh.data, rows: rows, hidden: H)
                let at = "rows=\(rows) H=\(H)"
                for r in 0..<rows {
                    for j in 0..<H {
                        let e = r * H + j
                        var tol = [Double](repeating: 0, count: 4)
                        for k in 0..<4 {
                            let q = r * G + k * H + j
                            let y = Double(rg[q])
                            let slope = k == 2 ? 1 - y * y : y * (1 - y)
                            let summands = abs(Double(pre[q])) + abs(Double(bias[k * H + j]))
                            tol[k] = Self.activationError + slope * Self.sumRounding * summands
                            check.close("gate \("ifgo".map(String.init)[k]) \(at)", gates[q], rg[q], tol: tol[k])
                        }
                        let q = r * G + j
                        let (i, f, g, o) = (Double(rg[q]), Double(rg[q + H]), Double(rg[q + 2 * H]),
                                            Double(rg[q + 3 * H]))
                        let cp = Double(cPrev[e])
                        let tolC = Self.relative * (abs(f * cp) + abs(i * g))
                            + tol[0] * abs(g) + tol[1] * abs(cp) + tol[2] * i
                        check.close("c \(at)", c[e], rc[e], tol: tolC)
                        let tolT = Self.activationError + tolC
                        check.close("tanh c \(at)", cTanh[e], rt[e], tol: tolT)
                        let tolH = Self.relative * abs(Double(rh[e])) + tol[3] * abs(Double(rt[e])) + o * tolT
                        check.close("h \(at)", h[e], rh[e], tol: tolH)
                    }
                }
                check.guardsIntact([("gates", gates, rows * G), ("c", c, n), ("cTanh", cTanh, n), ("h", h, n)], at)
                check.unchanged([("bias", bias.array, biasBefore), ("cPrev", cPrev.array, cPrevBefore)], at)
            }
        }
        check.assertClean("lstmForwardPointwise")
    }

    /// The forward kernels run at the kernel width (the tests above take the preferred one); every supported width
    /// gives the same bits, ragged ends included, so the reference checks above hold for each.
    func testForwardKernelsGiveTheSameBitsAtEveryWidth() {
        var rng = SplitMix64(seed: 47)
        for H in Self.hiddens + [40, 129] {
            for rows in [1, 3] {
                let n = rows * H
                let pre4 = randomTensor(rows * 4 * H, &rng, -12, 12), bias4 = randomTensor(4 * H, &rng, -1, 1)
                let pre3 = randomTensor(rows * 3 * H, &rng, -12, 12), rec3 = randomTensor(rows * 3 * H, &rng, -4, 4)
                let bias3 = randomTensor(3 * H, &rng, -1, 1), prev = randomTensor(n, &rng, -3, 3)
                var outputs = [[[UInt32]]]()
                forEachKernelWidth { width in
                    let gates4 = copyOf(pre4), c = Tensor([n]), t = Tensor([n]), h4 = Tensor([n])
                    lstmForwardPointwise(gates: gates4.data, bias: bias4.data, cPrev: prev.data, c: c.data,
                                         cTanh: t.data, h: h4.data, rows: rows, hidden: H, width: width)
                    let gates3 = copyOf(pre3), hn = Tensor([n]), h3 = Tensor([n])
                    gruForwardPointwise(gates: gates3.data, recurrent: rec3.data, biasInput: bias3.data,
                                        biasRecurrent: bias4.data, hPrev: prev.data, hn: hn.data, h: h3.data,
                                        rows: rows, hidden: H, width: width)
                    outputs.append([gates4, c, t, h4, gates3, hn, h3].map { $0.array.map(\.bitPattern) })
                }
                for other in outputs.dropFirst() { XCTAssertEqual(other, outputs[0], "rows=\(rows) H=\(H)") }
            }
        }
    }

    func testLSTMBackwardMatchesReferenceWithAndWithoutCellGrad() {
        var rng = SplitMix64(seed: 32)
        var check = Check()
        for H in Self.hiddens {
            for rows in Self.rowCounts {
                let (n, G) = (rows * H, 4 * H)
                let gates = activatedGates(rows: rows, blocks: [.sigmoid, .sigmoid, .tanh, .sigmoid], H, &rng)
                let cPrev = randomTensor(n, &rng, -3, 3)
                let cTanh = Tensor([n])
                for e in 0..<n { cTanh[e] = Float(Foundation.tanh(Double(rng.float(-4, 4)))) }
                let dh = randomTensor(n, &rng, -2, 2)
                let dcIn = randomTensor(n, &rng, -2, 2)
                let before = [gates.array, cPrev.array, cTanh.array, dh.array]

                let dc = guarded(dcIn.array), dGates = guarded(rows * G), cellGrad = guarded(n)
                lstmBackwardPointwise(gates: gates.data, cPrev: cPrev.data, cTanh: cTanh.data, dh: dh.data,
                                      dc: dc.data, dGates: dGates.data, cellGrad: cellGrad.data, rows: rows,
                                      hidden: H)
                let dc2 = guarded(dcIn.array), dGates2 = guarded(rows * G)
                lstmBackwardPointwise(gates: gates.data, cPrev: cPrev.data, cTanh: cTanh.data, dh: dh.data,
                                      dc: dc2.data, dGates: dGates2.data, cellGrad: nil, rows: rows, hidden: H)
                let rdc = copyOf(dcIn), rdGates = Tensor([rows * G]), rCell = Tensor([n])
                lstmBackwardPointwiseReference(gates: gates.data, cPrev: cPrev.data, cTanh: cTanh.data, dh: dh.data,
                                               dc: rdc.data, dGates: rdGates.data, cellGrad: rCell.data, rows: rows,
                                               hidden: H)
                let at = "rows=\(rows) H=\(H)"
                for r in 0..<rows {
                    for j in 0..<H {
                        let (e, q) = (r * H + j, r * G + j)
                        let (i, f, g, o) = (Double(gates[q]), Double(gates[q + H]), Double(gates[q + 2 * H]),
                                            Double(gates[q + 3 * H]))
                        let (t, dhv, cp) = (Double(cTanh[e]), Double(dh[e]), Double(cPrev[e]))
                        let dcScale = abs(Double(dcIn[e])) + abs(dhv) * o * cancel(1, t * t)
                        let eps = Self.relative
                        check.close("cellGrad \(at)", cellGrad[e], rCell[e], tol: eps * dcScale)
                        check.close("dGate i \(at)", dGates[q], rdGates[q], tol: eps * dcScale * abs(g) * i * (1 - i))
                        check.close("dGate f \(at)", dGates[q + H], rdGates[q + H],
                                    tol: eps * dcScale * abs(cp) * f * (1 - f))
                        check.close("dGate g \(at)", dGates[q + 2 * H], rdGates[q + 2 * H],
                                    tol: eps * dcScale * i * cancel(1, g * g))
                        check.close("dGate o \(at)", dGates[q + 3 * H], rdGates[q + 3 * H],
                                    tol: eps * abs(dhv * t) * o * (1 - o))
                        check.close("dc carry \(at)", dc[e], rdc[e], tol: eps * dcScale * f)
                    }
                }
                check.identical("dGates without cellGrad \(at)", dGates2.array, dGates.array)
                check.identical("dc without cellGrad \(at)", dc2.array, dc.array)
                check.guardsIntact([("dc", dc, n), ("dGates", dGates, rows * G), ("cellGrad", cellGrad, n),
                                    ("dc (nil cellGrad)", dc2, n), ("dGates (nil cellGrad)", dGates2, rows * G)], at)
                check.unchanged(zip(["gates", "cPrev", "cTanh", "dh"], zip([gates, cPrev, cTanh, dh], before)).map {
                    ($0.0, $0.1.0.array, $0.1.1)
                }, at)
            }
        }
        check.assertClean("lstmBackwardPointwise")
    }

    // MARK: - GRU

    func testGRUForwardMatchesReference() {
        var rng = SplitMix64(seed: 33)
        var check = Check()
        for H in Self.hiddens {
            for rows in Self.rowCounts {
                let (n, G) = (rows * H, 3 * H)
                let x = randomTensor(rows * G, &rng, -8, 8)
                let recurrent = randomTensor(rows * G, &rng, -4, 4)
                let bi = randomTensor(G, &rng, -1, 1), bh = randomTensor(G, &rng, -1, 1)
                let hPrev = randomTensor(n, &rng, -1, 1)
                let before = [recurrent.array, bi.array, bh.array, hPrev.array]
                let gates = guarded(x.array), hn = guarded(n), h = guarded(n)
                gruForwardPointwise(gates: gates.data, recurrent: recurrent.data, biasInput: bi.data,
                                    biasRecurrent: bh.data, hPrev: hPrev.data, hn: hn.data, h: h.data, rows: rows,
                                    hidden: H)
                let rg = copyOf(x), rhn = Tensor([n]), rh = Tensor([n])
                gruForwardPointwiseReference(gates: rg.data, recurrent: recurrent.data, biasInput: bi.data,
                                             biasRecurrent: bh.data, hPrev: hPrev.data, hn: rhn.data, h: rh.data,
                                             rows: rows, hidden: H)
                let at = "rows=\(rows) H=\(H)"
                for row in 0..<rows {
                    for j in 0..<H {
                        let (e, q) = (row * H + j, row * G + j)
                        func sigmoidTol(_ k: Int) -> Double {
                            let y = Double(rg[q + k * H])
                            let summands = abs(Double(x[q + k * H])) + abs(Double(bi[k * H + j]))
                                + abs(Double(recurrent[q + k * H])) + abs(Double(bh[k * H + j]))
                            return Self.activationError + y * (1 - y) * Self.sumRounding * summands
                        }
                        let (tolR, tolZ) = (sigmoidTol(0), sigmoidTol(1))
                        check.close("r \(at)", gates[q], rg[q], tol: tolR)
                        check.close("z \(at)", gates[q + H], rg[q + H], tol: tolZ)
                        let hnv = Double(rhn[e])
                        let tolHn = Self.sumRounding * (abs(Double(recurrent[q + 2 * H])) + abs(Double(bh[2 * H + j])))
                        check.close("hn \(at)", hn[e], rhn[e], tol: tolHn)
                        let (r, z, cand) = (Double(rg[q]), Double(rg[q + H]), Double(rg[q + 2 * H]))
                        let summandsN = abs(Double(x[q + 2 * H])) + abs(Double(bi[2 * H + j])) + r * abs(hnv)
                        let tolN = Self.activationError
                            + (1 - cand * cand) * (Self.sumRounding * summandsN + abs(hnv) * tolR + r * tolHn)
                        check.close("n \(at)", gates[q + 2 * H], rg[q + 2 * H], tol: tolN)
                        let hp = Double(hPrev[e])
                        let tolH = Self.relative * (abs(cand) + z * (abs(hp) + abs(cand)))
                            + abs(hp - cand) * tolZ + (1 - z) * tolN
                        check.close("h \(at)", h[e], rh[e], tol: tolH)
                    }
                }
                check.guardsIntact([("gates", gates, rows * G), ("hn", hn, n), ("h", h, n)], at)
                check.unchanged(zip(["recurrent", "biasInput", "biasRecurrent", "hPrev"],
                                    zip([recurrent, bi, bh, hPrev], before)).map { ($0.0, $0.1.0.array, $0.1.1) }, at)
            }
        }
        check.assertClean("gruForwardPointwise")
    }

    func testGRUBackwardMatchesReferenceAccumulatingOrNot() {
        var rng = SplitMix64(seed: 34)
        var check = Check()
        for H in Self.hiddens {
            for rows in Self.rowCounts {
                for accumulate in [false, true] {
                    let (n, G) = (rows * H, 3 * H)
                    let gates = activatedGates(rows: rows, blocks: [.sigmoid, .sigmoid, .tanh], H, &rng)
                    let hn = randomTensor(n, &rng, -3, 3)
                    let hPrev = randomTensor(n, &rng, -1, 1)
                    let dh = randomTensor(n, &rng, -2, 2)
                    let dhPrev0 = randomTensor(n, &rng, -2, 2)
                    let before = [gates.array, hn.array, hPrev.array, dh.array]
                    let dInput = guarded(rows * G), dRecurrent = guarded(rows * G), dhPrev = guarded(dhPrev0.array)
                    gruBackwardPointwise(gates: gates.data, hn: hn.data, hPrev: hPrev.data, dh: dh.data,
                                         dInput: dInput.data, dRecurrent: dRecurrent.data, dhPrev: dhPrev.data,
                                         accumulate: accumulate, rows: rows, hidden: H)
                    let rdI = Tensor([rows * G]), rdR = Tensor([rows * G]), rdh = copyOf(dhPrev0)
                    gruBackwardPointwiseReference(gates: gates.data, hn: hn.data, hPrev: hPrev.data, dh: dh.data,
                                                  dInput: rdI.data, dRecurrent: rdR.data, dhPrev: rdh.data,
                                                  accumulate: accumulate, rows: rows, hidden: H)
                    let at = "rows=\(rows) H=\(H) accumulate=\(accumulate)"
                    let eps = Self.relative
                    for row in 0..<rows {
                        for j in 0..<H {
                            let (e, q) = (row * H + j, row * G + j)
                            let (r, z, cand) = (Double(gates[q]), Double(gates[q + H]), Double(gates[q + 2 * H]))
                            let (dhv, hp, hnv) = (Double(dh[e]), Double(hPrev[e]), Double(hn[e]))
                            let dnScale = abs(dhv) * (1 - z) * cancel(1, cand * cand)
                            let tolDn = eps * dnScale
                            let tolDz = eps * abs(dhv) * cancel(hp, cand) * z * (1 - z)
                            let tolDr = eps * dnScale * abs(hnv) * r * (1 - r)
                            check.close("dInput r \(at)", dInput[q], rdI[q], tol: tolDr)
                            check.close("dInput z \(at)", dInput[q + H], rdI[q + H], tol: tolDz)
                            check.close("dInput n \(at)", dInput[q + 2 * H], rdI[q + 2 * H], tol: tolDn)
                            check.close("dRecurrent r \(at)", dRecurrent[q], rdR[q], tol: tolDr)
                            check.close("dRecurrent z \(at)", dRecurrent[q + H], rdR[q + H], tol: tolDz)
                            check.close("dRecurrent n \(at)", dRecurrent[q + 2 * H], rdR[q + 2 * H], tol: tolDn * r)
                            let carried = accumulate ? abs(Double(dhPrev0[e])) : 0
                            check.close("dhPrev \(at)", dhPrev[e], rdh[e], tol: eps * (carried + abs(dhv) * z))
                        }
                    }
                    check.guardsIntact([("dInput", dInput, rows * G), ("dRecurrent", dRecurrent, rows * G),
                                        ("dhPrev", dhPrev, n)], at)
                    check.unchanged(zip(["gates", "hn", "hPrev", "dh"], zip([gates, hn, hPrev, dh], before)).map {
                        ($0.0, $0.1.0.array, $0.1.1)
                    }, at)
                }
            }
        }
        check.assertClean("gruBackwardPointwise")
    }

    // MARK: - IndRNN

    func testIndRNNForwardMatchesReferenceInPlace() {
        var rng = SplitMix64(seed: 35)
        var check = Check()
        for act in Activation.allCases {
            for H in Self.hiddens {
                for rows in Self.rowCounts {
                    let n = rows * H
                    let x = randomTensor(n, &rng, -10, 10)
                    let u = randomTensor(H, &rng, -1, 1), bias = randomTensor(H, &rng, -1, 1)
                    let hPrev = randomTensor(n, &rng, -2, 2)
                    let before = [u.array, bias.array, hPrev.array]
                    let z = guarded(x.array)
                    indrnnForwardPointwise(act, z: z.data, u: u.data, bias: bias.data, hPrev: hPrev.data, rows: rows,
                                           hidden: H)
                    let rz = copyOf(x)
                    indrnnForwardPointwiseReference(act, z: rz.data, u: u.data, bias: bias.data, hPrev: hPrev.data,
                                                    rows: rows, hidden: H)
                    let at = "\(act) rows=\(rows) H=\(H)"
                    for r in 0..<rows {
                        for j in 0..<H {
                            let e = r * H + j
                            let y = Double(rz[e])
                            let summands = abs(Double(x[e])) + abs(Double(bias[j])) + abs(Double(u[j] * hPrev[e]))
                            let (slope, approximation): (Double, Double) = switch act {
                            case .tanh: (1 - y * y, Self.activationError)
                            case .sigmoid: (y * (1 - y), Self.activationError)
                            case .relu, .identity: (1, 0)
                            }
                            let tol = approximation + slope * Self.sumRounding * summands
                            check.close("h \(at)", z[e], rz[e], tol: tol)
                        }
                    }
                    check.guardsIntact([("z", z, n)], at)
                    check.unchanged(zip(["u", "bias", "hPrev"], zip([u, bias, hPrev], before)).map {
                        ($0.0, $0.1.0.array, $0.1.1)
                    }, at)
                }
            }
        }
        check.assertClean("indrnnForwardPointwise")
    }

    func testIndRNNBackwardMatchesReferenceInPlaceAccumulatingOrNot() {
        var rng = SplitMix64(seed: 36)
        var check = Check()
        for act in Activation.allCases {
            for H in Self.hiddens {
                for rows in Self.rowCounts {
                    for accumulate in [false, true] {
                        let n = rows * H
                        // Outputs in the activation's range (relu: a third of them exactly 0).
                        let h = Tensor([n])
                        for e in 0..<n {
                            let s = rng.float(-6, 6)
                            h[e] = act == .relu && e % 3 == 0 ? 0 : Float(act.referenceValue(Double(s)))
                        }
                        let dy = randomTensor(n, &rng, -2, 2)
                        let u = randomTensor(H, &rng, -1, 1)
                        let hPrev = randomTensor(n, &rng, -2, 2)
                        let dhPrev0 = randomTensor(n, &rng, -2, 2)
                        let uGrad0 = randomTensor(H, &rng, -1, 1)
                        let before = [h.array, u.array, hPrev.array]
                        let grad = guarded(dy.array), dhPrev = guarded(dhPrev0.array), uGrad = guarded(uGrad0.array)
                        indrnnBackwardPointwise(act, h: h.data, grad: grad.data, u: u.data, hPrev: hPrev.data,
                                                dhPrev: dhPrev.data, accumulate: accumulate, uGrad: uGrad.data,
                                                rows: rows, hidden: H)
                        let rGrad = copyOf(dy), rdh = copyOf(dhPrev0), rU = copyOf(uGrad0)
                        indrnnBackwardPointwiseReference(act, h: h.data, grad: rGrad.data, u: u.data, hPrev: hPrev.data,
                                                         dhPrev: rdh.data, accumulate: accumulate, uGrad: rU.data,
                                                         rows: rows, hidden: H)
                        let at = "\(act) rows=\(rows) H=\(H) accumulate=\(accumulate)"
                        let eps = Self.relative
                        var uScale = (0..<H).map { abs(Double(uGrad0[$0])) }
                        for r in 0..<rows {
                            for j in 0..<H {
                                let e = r * H + j
                                let y = Double(h[e])
                                let slopeScale: Double = switch act {
                                case .tanh: cancel(1, y * y)
                                case .sigmoid: abs(y) * (1 - y)
                                case .relu, .identity: 1
                                }
                                let dzScale = abs(Double(dy[e])) * slopeScale
                                check.close("∂L/∂z \(at)", grad[e], rGrad[e], tol: eps * dzScale)
                                let carried = accumulate ? abs(Double(dhPrev0[e])) : 0
                                check.close("dhPrev \(at)", dhPrev[e], rdh[e],
                                            tol: eps * (carried + dzScale * abs(Double(u[j]))))
                                uScale[j] += dzScale * abs(Double(hPrev[e]))
                            }
                        }
                        for j in 0..<H { check.close("uGrad \(at)", uGrad[j], rU[j], tol: eps * uScale[j]) }
                        check.guardsIntact([("grad", grad, n), ("dhPrev", dhPrev, n), ("uGrad", uGrad, H)], at)
                        check.unchanged(zip(["h", "u", "hPrev"], zip([h, u, hPrev], before)).map {
                            ($0.0, $0.1.0.array, $0.1.1)
                        }, at)
                    }
                }
            }
        }
        check.assertClean("indrnnBackwardPointwise")
    }

    /// A hand-computed LSTM and GRU step, independent of both the kernels and their references.
    func testHandComputedSteps() {
        // LSTM, H = 1, zero pre-activations: i = f = o = ½, g = 0, so c = ½c₋ and h = ½ tanh(½c₋).
        var gates: [Float] = [0, 0, 0, 0]
        let bias: [Float] = [0, 0, 0, 0]
        var c: [Float] = [0], cTanh: [Float] = [0], h: [Float] = [0]
        lstmForwardPointwise(gates: &gates, bias: bias, cPrev: [2], c: &c, cTanh: &cTanh, h: &h, rows: 1, hidden: 1)
        for (got, want) in zip(gates, [0.5, 0.5, 0, 0.5] as [Float]) { XCTAssertEqual(got, want, accuracy: 2e-7) }
        XCTAssertEqual(c[0], 1, accuracy: 4e-7)
        gates = [0.5, 0.5, 0, 0.5]   // exact, for the backward
        XCTAssertEqual(cTanh[0], Float(Foundation.tanh(1.0)), accuracy: 2e-7)
        XCTAssertEqual(h[0], Float(0.5 * Foundation.tanh(1.0)), accuracy: 2e-7)
        // Its backward with dh = 0 and dc = 4: dc̄ = 4, ∂z_i = 4·0·¼ = 0, ∂z_f = 4·2·¼ = 2, ∂z_g = 4·½·1 = 2,
        // ∂z_o = 0, carry = 4·½ = 2.
        var dc: [Float] = [4], dGates: [Float] = [9, 9, 9, 9], cellGrad: [Float] = [0]
        lstmBackwardPointwise(gates: gates, cPrev: [2], cTanh: cTanh, dh: [0], dc: &dc, dGates: &dGates,
                              cellGrad: &cellGrad, rows: 1, hidden: 1)
        XCTAssertEqual(dGates, [0, 2, 2, 0])
        XCTAssertEqual(dc, [2])
        XCTAssertEqual(cellGrad, [4])
        // GRU, H = 1: r = z = ½ (zero sums), hn = 1 + 1 = 2, n = tanh(0 + ½·2) = tanh 1, h = ½n + ½h₋.
        var g3: [Float] = [0, 0, 0]
        var hn: [Float] = [0], hg: [Float] = [0]
        gruForwardPointwise(gates: &g3, recurrent: [1, -1, 1], biasInput: [0, 0, 0], biasRecurrent: [-1, 1, 1],
                            hPrev: [0.5], hn: &hn, h: &hg, rows: 1, hidden: 1)
        XCTAssertEqual(g3[0], 0.5, accuracy: 2e-7)
        XCTAssertEqual(g3[1], 0.5, accuracy: 2e-7)
        XCTAssertEqual(hn, [2])
        XCTAssertEqual(g3[2], Float(Foundation.tanh(1.0)), accuracy: 2e-7)
        XCTAssertEqual(hg[0], Float(0.5 * Foundation.tanh(1.0) + 0.25), accuracy: 4e-7)
        // IndRNN relu: h = max(0, z + u·h₋ + b).
        var z: [Float] = [1, -3]
        indrnnForwardPointwise(.relu, z: &z, u: [0.5, 2], bias: [0.25, 1], hPrev: [2, 0.5], rows: 1, hidden: 2)
        XCTAssertEqual(z, [2.25, 0])
        var grad: [Float] = [3, 3], dhPrev: [Float] = [1, 1], uGrad: [Float] = [0, 0]
        indrnnBackwardPointwise(.relu, h: z, grad: &grad, u: [0.5, 2], hPrev: [2, 0.5], dhPrev: &dhPrev,
                                accumulate: true, uGrad: &uGrad, rows: 1, hidden: 2)
        XCTAssertEqual(grad, [3, 0])
        XCTAssertEqual(dhPrev, [2.5, 1])
        XCTAssertEqual(uGrad, [6, 0])
    }

    // MARK: - Support

    /// The scale of a − b computed in Float: |a − b| plus what rounding a and b (half an ulp each, relative) can
    /// leave when they cancel, in units of `relative`.
    private func cancel(_ a: Double, _ b: Double) -> Double { abs(a - b) + 0.15 * (abs(a) + abs(b)) }

    /// Gates already activated, block by block: pre-activations uniform in [−12, 12] through σ or tanh (so some
    /// saturate), as the forward leaves them for the backward.
    private func activatedGates(rows: Int, blocks: [Activation], _ H: Int, _ rng: inout SplitMix64) -> Tensor {
        let G = blocks.count * H
        let t = Tensor([rows * G])
        for r in 0..<rows {
            for (k, act) in blocks.enumerated() {
                for j in 0..<H { t[r * G + k * H + j] = Float(act.referenceValue(Double(rng.float(-12, 12)))) }
            }
        }
        return t
    }

    /// A tensor of `values` followed by `guardCount` sentinels.
    private func guarded(_ values: [Float]) -> Tensor {
        let t = Tensor([values.count + Self.guardCount])
        for (i, v) in values.enumerated() { t[i] = v }
        for i in values.count..<t.count { t[i] = Self.sentinel }
        return t
    }

    /// `count` zeros followed by `guardCount` sentinels.
    private func guarded(_ count: Int) -> Tensor { guarded([Float](repeating: 0, count: count)) }

    /// Collects mismatches and the worst error-to-tolerance ratio seen (for the report).
    struct Check {
        var bad = Mismatches()
        var worstRatio = 0.0
        var worst = "-"
        var compared = 0

        mutating func close(_ what: @autoclosure () -> String, _ got: Float, _ want: Float, tol: Double) {
            compared += 1
            let error = abs(Double(got) - Double(want))
            let ratio = tol > 0 ? error / tol : (error == 0 ? 0 : .infinity)
            if ratio > worstRatio {
                worstRatio = ratio
                worst = "\(what()): \(got) vs \(want), error \(error), tolerance \(tol)"
            }
            bad.check(error <= tol, "\(what()): \(got) vs \(want) (tolerance \(tol))")
        }

        mutating func identical(_ what: String, _ got: [Float], _ want: [Float]) {
            bad.check(got.map(\.bitPattern) == want.map(\.bitPattern), "\(what) differs")
        }

        mutating func guardsIntact(_ outputs: [(String, Tensor, Int)], _ at: String) {
            for (name, t, count) in outputs {
                let sentinel = GatedCellKernelTests.sentinel.bitPattern
                let intact = (count..<t.count).allSatisfy { t[$0].bitPattern == sentinel }
                bad.check(intact, "\(name) written past its \(count) elements, \(at)")
            }
        }

        mutating func unchanged(_ inputs: [(String, [Float], [Float])], _ at: String) {
            for (name, now, before) in inputs {
                bad.check(now.map(\.bitPattern) == before.map(\.bitPattern), "read-only \(name) modified, \(at)")
            }
        }

        func assertClean(_ kernel: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(bad.count, 0, "\(kernel): \(bad.summary)", file: file, line: line)
            XCTAssertGreaterThan(compared, 0, kernel, file: file, line: line)
            print("GatedCellKernel \(kernel): \(compared) elements; worst error/tolerance \(worstRatio) at \(worst)")
        }
    }
}
