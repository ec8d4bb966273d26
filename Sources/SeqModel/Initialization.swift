#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqKernels

/// How a recurrent layer's weights start. Matrices are described in PyTorch's [out × in] terms.
///
/// The initialisation decides, as much as the activation, whether gradients survive many steps: it sets the
/// spectral radius of W_hh, and the gradient reaching k steps back scales roughly like (radius · mean act')^k.
public enum Initialization: Hashable, Sendable {
    /// PyTorch's `nn.RNN` default: every weight and bias U(−1/√H, 1/√H). PyTorch keeps two biases per layer;
    /// we keep their sum, so the bias here is the sum of two such draws (same distribution).
    case pytorchDefault
    /// Glorot & Bengio (2010): W_ih and W_hh U(±gain·√(6/(fan_in + fan_out))); biases zero.
    case xavier(gain: Float)
    /// Saxe, McClelland & Ganguli (2014): W_hh a random orthogonal matrix times `gain` (every singular value
    /// equals `gain`), W_ih Xavier uniform; biases zero.
    case orthogonal(gain: Float)
    /// Le, Jaitly & Hinton (2015), the IRNN: W_hh = scale·I, W_ih ~ N(0, 0.001²), biases zero.
    case identity(scale: Float)
    /// Every weight N(0, σ²); biases zero.
    case normal(sigma: Float)
    /// LSTM only: PyTorch's default with the forget gate's bias at 1, so that the cell keeps its state until
    /// trained to forget (Gers et al. 2000; Jozefowicz et al. 2015).
    case forgetBiasOne
    /// IndRNN only, as Li et al. (2018) prescribe for sequences of `horizon` steps: u ~ U(0, 2^(1/T)) in every
    /// layer but the last, U(2^(−1/T), 2^(1/T)) in the last (it must carry its memory the whole way), and
    /// |u| ≤ 2^(1/T) after every update, so no unit can grow a gradient more than twofold over T steps;
    /// W_ih U(±1/√H) and b zero. Horizon 0 (written `indrnn`) stands for the length of the sequences the network
    /// will see, which `resolved(horizon:)` fills in.
    case indRNN(horizon: Int)

    /// The name used on the command line and in results: `default`, `xavier`, `orthogonal`, `identity`, `normal`,
    /// with a non-default parameter after `@` (`identity@0.5`, `normal@0.01`).
    public var name: String {
        switch self {
        case .pytorchDefault: return "default"
        case .xavier(let g): return g == 1 ? "xavier" : "xavier@\(g)"
        case .orthogonal(let g): return g == 1 ? "orthogonal" : "orthogonal@\(g)"
        case .identity(let s): return s == 1 ? "identity" : "identity@\(s)"
        case .normal(let s): return s == 0.01 ? "normal" : "normal@\(s)"
        case .forgetBiasOne: return "forget1"
        case .indRNN(let horizon): return horizon == 0 ? "indrnn" : "indrnn@\(horizon)"
        }
    }

    /// Parses `name`'s format; nil for anything else (including a non-positive or non-finite parameter).
    public init?(name: String) {
        let parts = name.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var parameter: Float?
        if parts[0] == "indrnn" {
            guard parts.count == 1 || (Int(parts[1]) ?? 0) > 0 else { return nil }
            self = .indRNN(horizon: parts.count == 2 ? Int(parts[1])! : 0)
            return
        }
        if parts.count == 2 {
            guard let p = Float(parts[1]), p.isFinite, p > 0 else { return nil }
            parameter = p
        }
        switch parts[0] {
        case "forget1" where parameter == nil: self = .forgetBiasOne
        case "default" where parameter == nil: self = .pytorchDefault
        case "xavier": self = .xavier(gain: parameter ?? 1)
        case "orthogonal": self = .orthogonal(gain: parameter ?? 1)
        case "identity": self = .identity(scale: parameter ?? 1)
        case "normal": self = .normal(sigma: parameter ?? 0.01)
        default: return nil
        }
    }

    /// Fills one layer's parameters. `wih` is stored [in × H] and `whh` [H × H] (transposed relative to PyTorch),
    /// which does not change any of these distributions except orthogonality, which transposition preserves.
    func fill(wih: Tensor, whh: Tensor, bias: Tensor, inputs: Int, hidden: Int, rng: inout Xoshiro256StarStar) {
        bias.zero()
        switch self {
        case .forgetBiasOne, .indRNN:
            preconditionFailure("initialisation \(name) is for the \(self == .forgetBiasOne ? "LSTM" : "IndRNN") only")
        case .pytorchDefault:
            let r = 1 / Float(hidden).squareRoot()
            fillUniform(wih, r, &rng)
            fillUniform(whh, r, &rng)
            for i in 0..<bias.count { bias[i] = rng.uniform(-r, r) + rng.uniform(-r, r) }
        case .xavier(let gain):
            fillUniform(wih, gain * (6 / Float(inputs + hidden)).squareRoot(), &rng)
            fillUniform(whh, gain * (6 / Float(2 * hidden)).squareRoot(), &rng)
        case .orthogonal(let gain):
            fillUniform(wih, (6 / Float(inputs + hidden)).squareRoot(), &rng)
            fillOrthogonal(whh, n: hidden, gain: gain, &rng)
        case .identity(let scale):
            fillNormal(wih, 0.001, &rng)
            whh.zero()
            for i in 0..<hidden { whh[i * hidden + i] = scale }
        case .normal(let sigma):
            fillNormal(wih, sigma, &rng)
            fillNormal(whh, sigma, &rng)
        }
    }
}

extension Initialization {
    /// This initialisation with an unset IndRNN horizon (`indrnn`) set to `horizon` steps.
    public func resolved(horizon: Int) -> Initialization {
        if case .indRNN(0) = self { return .indRNN(horizon: horizon) }
        return self
    }

    /// Whether this initialisation is defined for `cell`: `forget1` is the LSTM's, `indrnn@T` the IndRNN's,
    /// `identity` has no meaning for a gated cell's several recurrent blocks, `xavier` and `orthogonal` none for
    /// the IndRNN's vector u.
    public func applies(to cell: Cell) -> Bool {
        switch self {
        case .pytorchDefault, .normal: true
        case .forgetBiasOne: cell == .lstm
        case .indRNN: cell == .indrnn
        case .identity: cell == .rnn || cell == .indrnn
        case .xavier, .orthogonal: cell != .indrnn
        }
    }

    /// Fills a gated layer's parameters: W_ihᵀ [in × G·H], W_hhᵀ [H × G·H] with G gate blocks, and its biases
    /// (one [G·H] vector holding b_ih + b_hh for the LSTM, b_ih and b_hh for the GRU).
    ///
    /// default: every weight and each of PyTorch's biases U(±1/√H) (a summed bias is the sum of two draws);
    /// forget1: the same, then the LSTM's forget block of the bias at 1; xavier: each gate block Glorot-uniform,
    /// biases zero; orthogonal: each gate's H × H recurrent block an independent orthogonal matrix times the
    /// gain, W_ih Glorot-uniform, biases zero; normal: every weight N(0, σ²), biases zero.
    func fillGated(wih: Tensor, whh: Tensor, biases: [Tensor], summedBias: Bool, gates: Int, inputs: Int, hidden: Int,
                   rng: inout Xoshiro256StarStar) {
        precondition(applies(to: gates == 4 ? .lstm : .gru), "initialisation \(name) is not defined for a gated cell")
        for b in biases { b.zero() }
        switch self {
        case .pytorchDefault, .forgetBiasOne:
            let r = 1 / Float(hidden).squareRoot()
            fillUniform(wih, r, &rng)
            fillUniform(whh, r, &rng)
            for b in biases {
                for i in 0..<b.count { b[i] = summedBias ? rng.uniform(-r, r) + rng.uniform(-r, r) : rng.uniform(-r, r) }
            }
            if self == .forgetBiasOne {
                for j in hidden..<(2 * hidden) { biases[0][j] = 1 }
            }
        case .xavier(let gain):
            fillUniform(wih, gain * (6 / Float(inputs + hidden)).squareRoot(), &rng)
            fillUniform(whh, gain * (6 / Float(2 * hidden)).squareRoot(), &rng)
        case .orthogonal(let gain):
            fillUniform(wih, (6 / Float(inputs + hidden)).squareRoot(), &rng)
            let block = Tensor([hidden, hidden])
            for k in 0..<gates {
                fillOrthogonal(block, n: hidden, gain: gain, &rng)
                for i in 0..<hidden {
                    (whh.data + i * gates * hidden + k * hidden).update(from: block.data + i * hidden, count: hidden)
                }
            }
        case .normal(let sigma):
            fillNormal(wih, sigma, &rng)
            fillNormal(whh, sigma, &rng)
        case .identity, .indRNN:
            preconditionFailure("unreachable: checked by applies(to:)")
        }
    }

    /// Fills an IndRNN layer's W_ihᵀ [in × H], u [H] and b [H]; `last` marks the top layer. default: all three
    /// U(±1/√H) (b the sum of two draws, as PyTorch's two biases); identity@s: u = s, W_ih N(0, 0.001²), b zero;
    /// normal@σ: W_ih and u N(0, σ²), b zero; indrnn@T: see `Initialization.indRNN`.
    func fillIndRNN(wih: Tensor, u: Tensor, bias: Tensor, hidden: Int, last: Bool, rng: inout Xoshiro256StarStar) {
        precondition(applies(to: .indrnn), "initialisation \(name) is not defined for the IndRNN")
        bias.zero()
        let r = 1 / Float(hidden).squareRoot()
        switch self {
        case .pytorchDefault:
            fillUniform(wih, r, &rng)
            fillUniform(u, r, &rng)
            for i in 0..<bias.count { bias[i] = rng.uniform(-r, r) + rng.uniform(-r, r) }
        case .identity(let scale):
            fillNormal(wih, 0.001, &rng)
            for j in 0..<hidden { u[j] = scale }
        case .normal(let sigma):
            fillNormal(wih, sigma, &rng)
            fillNormal(u, sigma, &rng)
        case .indRNN(let horizon):
            precondition(horizon > 0, "indrnn: resolve the horizon first (Initialization.resolved(horizon:))")
            fillUniform(wih, r, &rng)
            let upper = Self.indRNNBound(horizon: horizon)
            let lower: Float = last ? 1 / upper : 0
            for j in 0..<hidden { u[j] = rng.uniform(lower, upper) }
        case .xavier, .orthogonal, .forgetBiasOne:
            preconditionFailure("unreachable: checked by applies(to:)")
        }
    }

    /// 2^(1/T): the bound on |u| for sequences of T steps (the paper's γ = 2).
    static func indRNNBound(horizon: Int) -> Float {
        Float(pow(2, 1 / Double(horizon)))
    }
}

func fillUniform(_ t: Tensor, _ r: Float, _ rng: inout Xoshiro256StarStar) {
    for i in 0..<t.count { t[i] = rng.uniform(-r, r) }
}

func fillNormal(_ t: Tensor, _ sigma: Float, _ rng: inout Xoshiro256StarStar) {
    for i in 0..<t.count { t[i] = Float(rng.normal()) * sigma }
}

/// A Haar-random orthogonal n×n matrix: Gram–Schmidt (run twice per row, for stability) on Gaussian rows in
/// Double. Gram–Schmidt is a QR factorisation with a positive diagonal in R, which is exactly what makes Q
/// uniformly distributed over the orthogonal group.
func fillOrthogonal(_ t: Tensor, n: Int, gain: Float, _ rng: inout Xoshiro256StarStar) {
    var q = [Double](repeating: 0, count: n * n)
    for i in 0..<(n * n) { q[i] = rng.normal() }
    for i in 0..<n {
        for _ in 0..<2 {
            for j in 0..<i {
                var dot = 0.0
                for c in 0..<n { dot += q[i * n + c] * q[j * n + c] }
                for c in 0..<n { q[i * n + c] -= dot * q[j * n + c] }
            }
        }
        var norm = 0.0
        for c in 0..<n { norm += q[i * n + c] * q[i * n + c] }
        norm = norm.squareRoot()
        for c in 0..<n { q[i * n + c] /= norm }
    }
    for i in 0..<(n * n) { t[i] = Float(q[i]) * gain }
}
