/// The byte encoding of a text file.
///
/// Only the two encodings a Portuguese corpus is realistically found in: UTF-8, and the ISO-8859-1
/// (Latin-1) files older tools still write. Latin-1 needs no table: byte `b` is the scalar `U+00bb`.
public enum TextEncoding: String, CaseIterable, Sendable, Codable {
    case utf8
    case latin1
}
