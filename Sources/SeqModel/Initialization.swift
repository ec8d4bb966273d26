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

    /// The name used on the command line and in results: `default`, `xavier`, `orthogonal`, `identity`, `normal`,
    /// with a non-default parameter after `@` (`identity@0.5`, `normal@0.01`).
    public var name: String {
        switch self {
        case .pytorchDefault: return "default"
        case .xavier(let g): return g == 1 ? "xavier" : "xavier@\(g)"
        case .orthogonal(let g): return g == 1 ? "orthogonal" : "orthogonal@\(g)"
        case .identity(let s): return s == 1 ? "identity" : "identity@\(s)"
        case .normal(let s): return s == 0.01 ? "normal" : "normal@\(s)"
        }
    }

    /// Parses `name`'s format; nil for anything else (including a non-positive or non-finite parameter).
    public init?(name: String) {
        let parts = name.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var parameter: Float?
        if parts.count == 2 {
            guard let p = Float(parts[1]), p.isFinite, p > 0 else { return nil }
            parameter = p
        }
        switch parts[0] {
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
