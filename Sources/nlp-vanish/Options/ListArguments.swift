import ArgumentParser
import Foundation
import SeqStudy

/// Comma-separated flag values (`--distances 5,10,20`, `--variants tanh:xavier,relu:identity`), parsed whole or
/// refused with the flag, the offending item and the valid range.
enum ListArgument {
    static func integers(_ text: String, flag: String, range: ClosedRange<Int>) throws -> [Int] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        let values = items.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !text.isEmpty, values.count == items.count else {
            throw ValidationError("--\(flag) must be a comma-separated list of whole numbers (got '\(text)')")
        }
        for v in values { try requireRange(v, flag, range) }
        return values
    }

    static func variants(_ text: String) throws -> [Variant] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        if let bad = items.first(where: { Variant(String($0)) == nil }) ?? (text.isEmpty ? "" : nil) {
            throw ValidationError("--variants: '\(bad)' is not a variant: activation:init for the Elman cell "
                                  + "(activation tanh, relu or sigmoid; init default, xavier, orthogonal, identity or normal, "
                                  + "e.g. relu:identity), or lstm, gru or indrnn with an optional :init "
                                  + "(lstm: default, forget1, xavier, orthogonal, normal; gru: the same but forget1; "
                                  + "indrnn: indrnn, default, identity, normal), e.g. lstm:forget1")
        }
        return items.compactMap { Variant(String($0)) }
    }
}
