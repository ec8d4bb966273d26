/// Every user-facing failure of reading text.
///
/// `description` is the sentence the command-line tool prints as is, so each message names the file and
/// says what to do about it where there is something to do.
public enum TextError: Error, Equatable, CustomStringConvertible {
    /// `bytes` are the first byte of the bad sequence and, when there is one, the byte after it: enough
    /// to tell a Latin-1 letter (`0xE3 0x6F`) from a truncated or corrupted sequence.
    case invalidUTF8(source: String, offset: Int, bytes: [UInt8])
    case nulByte(source: String, offset: Int)
    case notFound(path: String)
    /// `reason` is the system's own wording (`strerror`), e.g. "Permission denied".
    case unreadable(path: String, reason: String)
    case noTextFiles(folder: String)
    /// A tokenizer option read back from checkpoint metadata that this version does not understand.
    case invalidOption(key: String, value: String)

    public var description: String {
        switch self {
        case let .invalidUTF8(source, offset, bytes):
            let shown = bytes.map(hexByte).joined(separator: " ")
            return "\(source): invalid UTF-8 at byte \(offset) (\(shown)); if the file is Latin-1, pass --encoding latin1"
        case let .nulByte(source, offset):
            return "\(source): NUL byte at byte \(offset); this does not look like a text file"
        case let .notFound(path):
            return "no such file or folder: \(path)"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .noTextFiles(folder):
            return "\(folder) holds no .txt files"
        case let .invalidOption(key, value):
            let expected = TokenizerOptions.acceptedValues(forKey: key).map { "one of " + $0 } ?? "no such option"
            return "invalid tokenizer option \(key)=\(value) (expected \(expected))"
        }
    }
}

/// `0xE3`, the way hex dumps and the Unicode standard write bytes.
private func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return byte < 0x10 ? "0x0" + digits : "0x" + digits
}
