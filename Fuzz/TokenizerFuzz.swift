// libFuzzer target: UTF-8 / Latin-1 decoding, normalisation, grapheme segmentation and the vocabulary.
// Compiled into the Tokenizer module itself (see `make fuzz`), so internal types are reachable.
//
// Input: one control byte, then the file's bytes. Control bits: 0–1 normalization (nfc, nfd, nfkc, none),
// 2 case folding, 3 accent stripping, 7 Latin-1 instead of UTF-8. Printable seeds start with '0'…'?'.
import CUtf8proc

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let options = TokenizerOptions(normalization: Normalization.allCases[Int(control & 3)],
                                   caseFold: control & 4 != 0, stripAccents: control & 8 != 0)
    checkRawSegmentation(bytes)
    guard let text = checkDecoding(bytes, encoding: control & 0x80 != 0 ? .latin1 : .utf8) else { return 0 }
    checkTokenizing(text, options: options)
    return 0
}

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

/// Decoding either throws `TextError` or gives text without NUL or CR whose UTF-8 decodes to itself.
/// UTF-8 is refused exactly when Swift's own validator refuses it (after a BOM) or it holds a NUL.
private func checkDecoding(_ bytes: [UInt8], encoding: TextEncoding) -> String? {
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
    let text: String
    do {
        text = try decodeText(bytes, encoding: encoding, source: "fuzz")
    } catch {
        if encoding == .utf8, !bytes.contains(0) {
            require(String(validating: body, as: UTF8.self) == nil, "valid UTF-8 refused: \(error)")
        } else {
            require(bytes.contains(0), "Latin-1 refused without a NUL: \(error)")
        }
        return nil
    }
    if encoding == .utf8 {
        require(String(validating: body, as: UTF8.self) != nil, "invalid UTF-8 accepted")
    }
    let utf8 = Array(text.utf8)
    require(!utf8.contains(0) && !utf8.contains(0x0D), "NUL or CR in decoded text")
    // Behind a byte order mark, so that text starting with U+FEFF (a second mark in the file) keeps it.
    require((try? decodeText([0xEF, 0xBB, 0xBF] + utf8, encoding: .utf8, source: "again")).map { Array($0.utf8) } == utf8,
            "decoded text does not decode to itself")
    if encoding == .latin1 {
        let crlfs = zip(bytes, bytes.dropFirst()).filter { $0 == (0x0D, 0x0A) }.count
        require(text.unicodeScalars.count == bytes.count - crlfs, "Latin-1 gave a wrong number of scalars")
    }
    return text
}

/// Normalising is idempotent and agrees with `utf8proc_map`; the graphemes concatenate to the normalised text;
/// a vocabulary built from them encodes and decodes the text exactly and survives JSON.
private func checkTokenizing(_ text: String, options: TokenizerOptions) {
    let tokenizer = Tokenizer(options: options)
    let normalized = tokenizer.normalize(text)
    require(tokenizer.normalize(normalized).utf8.elementsEqual(normalized.utf8), "normalising twice differs from once")
    if !options.stripAccents, let expected = utf8procMap(text, options: options) {
        require(normalized.utf8.elementsEqual(expected), "normalizer disagrees with utf8proc_map")
    }
    let graphemes = tokenizer.graphemes(text)
    require(!graphemes.contains(""), "empty grapheme")
    require(graphemes.joined().utf8.elementsEqual(normalized.utf8), "graphemes do not concatenate to the text")

    let vocabulary = Vocabulary(building: graphemes)
    let (ids, unknownCount, _) = vocabulary.encode(graphemes)
    require(unknownCount == 0 && ids.allSatisfy { $0 > 0 && Int($0) < vocabulary.count }, "unknown token")
    require(vocabulary.decode(ids).utf8.elementsEqual(normalized.utf8), "vocabulary round trip lost text")
    require((try? Vocabulary(json: vocabulary.json)) == vocabulary, "vocabulary JSON round trip")
}

/// The reference: utf8proc's one-call normalisation with the options the normalizer uses.
private func utf8procMap(_ text: String, options: TokenizerOptions) -> [UInt8]? {
    var flags: UInt32 = 0
    switch options.normalization {
    case .nfc: flags = UTF8PROC_COMPOSE.rawValue | UTF8PROC_STABLE.rawValue
    case .nfd: flags = UTF8PROC_DECOMPOSE.rawValue | UTF8PROC_STABLE.rawValue
    case .nfkc: flags = UTF8PROC_COMPOSE.rawValue | UTF8PROC_COMPAT.rawValue | UTF8PROC_STABLE.rawValue
    case .none: flags = 0
    }
    if options.caseFold { flags |= UTF8PROC_CASEFOLD.rawValue }
    guard flags != 0 else { return Array(text.utf8) }
    var input = Array(text.utf8)
    var output: UnsafeMutablePointer<UInt8>?
    let count = utf8proc_map(&input, input.count, &output, utf8proc_option_t(rawValue: flags))
    defer { free(output) }
    guard count >= 0, let output else { return nil }
    return Array(UnsafeBufferPointer(start: output, count: count))
}

/// Segmenting arbitrary bytes, invalid UTF-8 included, gives non-empty ranges that tile the input.
private func checkRawSegmentation(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
        var end = 0
        for cluster in GraphemeClusters(buffer) {
            require(cluster.lowerBound == end && cluster.upperBound > end, "clusters do not tile the bytes")
            end = cluster.upperBound
        }
        require(end == buffer.count, "clusters stop before the end")
    }
}
