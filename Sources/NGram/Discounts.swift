/// The three discounts of one order of a modified Kneser-Ney model (Chen & Goodman 1998): a gram seen once
/// gives up D1, one seen twice D2, one seen three or more times D3+. The count here is whatever that order
/// counts — occurrences at the highest order, distinct left neighbours below it.
///
/// They are estimated from that order's count-of-counts nᵢ (how many distinct grams have count exactly i):
///
///     Y   = n1 / (n1 + 2 n2)
///     D1  = 1 − 2 Y n2 / n1
///     D2  = 2 − 3 Y n3 / n2
///     D3+ = 3 − 4 Y n4 / n3
///
/// A discount must lie in (0, k] for count class k: above k a count would turn negative, and at zero or below a
/// context whose grams all fall in that class would keep no mass for unseen tokens, so a token never seen after
/// it would get probability 0. When a formula divides by zero (tiny or very regular texts) or leaves that range,
/// the discount falls back to half its class, k / 2 (0.5, 1, 1.5); `fellBack` records which did.
public struct Discounts: Sendable, Equatable, CustomStringConvertible {
    public let d1: Double
    public let d2: Double
    public let d3: Double
    /// n1, n2, n3, n4 of this order.
    public let countOfCounts: [Int]
    /// For D1, D2, D3+: whether the fallback replaced the estimate.
    public let fellBack: [Bool]

    public init(n1: Int, n2: Int, n3: Int, n4: Int) {
        countOfCounts = [n1, n2, n3, n4]
        let (f1, f2, f3) = (Double(n1), Double(n2), Double(n3))
        let y = n1 + 2 * n2 > 0 ? f1 / (f1 + 2 * f2) : Double.nan
        let estimates: [Double?] = [
            n1 > 0 ? 1 - 2 * y * f2 / f1 : nil,
            n2 > 0 ? 2 - 3 * y * f3 / f2 : nil,
            n3 > 0 ? 3 - 4 * y * Double(n4) / f3 : nil,
        ]
        var chosen = [Double](), fell = [Bool]()
        for (index, estimate) in estimates.enumerated() {
            let limit = Double(index + 1)
            if let estimate, estimate.isFinite, estimate > 0, estimate <= limit {
                chosen.append(estimate)
                fell.append(false)
            } else {
                chosen.append(limit / 2)
                fell.append(true)
            }
        }
        (d1, d2, d3) = (chosen[0], chosen[1], chosen[2])
        fellBack = fell
    }

    /// The discount of a gram with count `count` (≥ 1).
    @inline(__always)
    public func callAsFunction(_ count: Int32) -> Double {
        count == 1 ? d1 : count == 2 ? d2 : d3
    }

    public var description: String {
        let names = ["D1", "D2", "D3+"]
        return zip(names, zip([d1, d2, d3], fellBack)).map { name, value in
            "\(name) \(value.0)" + (value.1 ? " (fallback)" : "")
        }.joined(separator: ", ")
    }
}
