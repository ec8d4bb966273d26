/// The recurrent cell of every layer of a network.
///
/// `rnn` is the Elman cell h = act(W_ih x + W_hh h₋ + b) with the configuration's activation; `lstm` and `gru`
/// are PyTorch's `nn.LSTM` and `nn.GRU` cells, gate for gate, so that checkpoints load into those modules;
/// `indrnn` is Li et al.'s (2018) independently recurrent cell h = act(W_ih x + u⊙h₋ + b), one recurrent weight
/// per unit, with the configuration's activation (relu in the paper).
public enum Cell: String, CaseIterable, Sendable, Codable {
    case rnn, lstm, gru, indrnn

    /// Gate blocks of H columns in the input and recurrent products: 4 for the LSTM (i, f, g, o), 3 for the GRU
    /// (r, z, n), 1 otherwise.
    public var gateCount: Int {
        switch self {
        case .rnn, .indrnn: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// Whether the nonlinearity is the configuration's activation (the LSTM and GRU fix theirs).
    public var usesActivation: Bool { self == .rnn || self == .indrnn }
}
