/// The element-wise non-linearity of a recurrent layer.
///
/// Every derivative is computed from the activation's *output* y, which the forward pass keeps anyway:
/// tanh' = 1 − y², sigmoid' = y(1 − y), relu' = [y > 0], identity' = 1.
public enum Activation: String, CaseIterable, Sendable, Codable {
    case tanh, relu, sigmoid, identity
}
