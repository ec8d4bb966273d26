import CUtf8proc

/// The extended grapheme clusters (UAX #29) of UTF-8 text, as byte ranges.
///
/// Ranges rather than strings let callers slice tokens straight out of the buffer, or compare a cluster
/// with its normalized form, without building a `String` for each.
struct GraphemeClusters: Sequence, IteratorProtocol {
    private let utf8: UnsafeBufferPointer<UInt8>
    private var start = 0
    /// The first scalar of the cluster starting at `start`, decoded when the previous cluster ended.
    private var first: Scalar?
    /// utf8proc's memory of the sequence so far, for the rules that look back further than one scalar:
    /// pairs of regional indicators (flags) and emoji ZWJ sequences.
    private var state: Int32 = 0

    init(_ utf8: UnsafeBufferPointer<UInt8>) {
        self.utf8 = utf8
    }

    mutating func next() -> Range<Int>? {
        guard start < utf8.count else { return nil }
        var previous = first ?? scalar(at: start)
        var end = start + previous.length
        while end < utf8.count {
            let current = scalar(at: end)
            // Called on every pair in order, as the stateful rules require.
            if utf8proc_grapheme_break_stateful(previous.value, current.value, &state) {
                first = current
                break
            }
            previous = current
            end += current.length
        }
        defer { start = end }
        return start..<end
    }

    private struct Scalar {
        var value: Int32
        var length: Int
    }

    /// Decodes the scalar at `offset`. A byte that is not UTF-8, which neither a Swift string nor
    /// utf8proc's output holds, counts as one scalar of value −1, which utf8proc gives no properties.
    private func scalar(at offset: Int) -> Scalar {
        var value: Int32 = -1
        let length = utf8proc_iterate(utf8.baseAddress.map { $0 + offset }, utf8.count - offset, &value)
        return Scalar(value: value, length: length > 0 ? length : 1)
    }
}
