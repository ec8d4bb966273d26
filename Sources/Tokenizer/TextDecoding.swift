import CUtf8proc

/// Decodes the bytes of a text file.
///
/// UTF-8 is validated scalar by scalar with `utf8proc_iterate`, which refuses overlong forms, encoded
/// surrogates, values above U+10FFFF and truncated sequences; Latin-1 maps byte `b` to U+00bb. A leading
/// UTF-8 byte order mark (EF BB BF) is dropped. Both encodings turn CRLF and lone CR into LF, so that
/// Windows and old Mac files give the same tokens as Unix ones. A NUL byte is refused: it is a sign of a
/// binary file or of UTF-16, never of a text a model should learn from.
///
/// - Parameter source: names the file in error messages.
public func decodeText(
    _ bytes: UnsafeRawBufferPointer, encoding: TextEncoding, source: String
) throws(TextError) -> String {
    // utf8proc reads `uint8_t`, the type file contents are read into.
    let input = bytes.assumingMemoryBound(to: UInt8.self)
    var output = [UInt8]()
    switch encoding {
    case .utf8:
        output.reserveCapacity(input.count)
        try appendUTF8(input, to: &output, source: source)
    case .latin1:
        // Only bytes ≥ 0x80 grow, to two bytes each.
        output.reserveCapacity(input.count * 2)
        try appendLatin1(input, to: &output, source: source)
    }
    return String(decoding: output, as: UTF8.self)
}

/// Decodes the bytes of a text file; see the `UnsafeRawBufferPointer` variant.
public func decodeText(_ bytes: [UInt8], encoding: TextEncoding, source: String) throws(TextError) -> String {
    // `withUnsafeBytes` rethrows untyped errors; carrying the outcome out as a `Result` keeps the type.
    try bytes.withUnsafeBytes { buffer in
        Result { () throws(TextError) in try decodeText(buffer, encoding: encoding, source: source) }
    }.get()
}

private let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
private let nul: UInt8 = 0x00
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D

/// Copies valid UTF-8 in runs and stops at the first invalid sequence.
///
/// Offsets stay those of the original bytes, byte order mark included, so an error points at the same
/// byte a hex editor shows.
private func appendUTF8(
    _ input: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], source: String
) throws(TextError) {
    var position = input.starts(with: byteOrderMark) ? byteOrderMark.count : 0
    var runStart = position
    while position < input.count {
        let byte = input[position]
        if byte < 0x80 {
            if byte == nul { throw .nulByte(source: source, offset: position) }
            if byte == carriageReturn {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<position]))
                output.append(lineFeed)
                position = endOfLineBreak(in: input, at: position)
                runStart = position
            } else {
                position += 1
            }
            continue
        }
        var scalar: Int32 = 0
        let length = utf8proc_iterate(input.baseAddress.map { $0 + position }, input.count - position, &scalar)
        guard length > 0 else {
            let context = input[position..<min(position + 2, input.count)]
            throw .invalidUTF8(source: source, offset: position, bytes: Array(context))
        }
        position += length
    }
    output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<position]))
}

private func appendLatin1(
    _ input: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], source: String
) throws(TextError) {
    var position = 0
    while position < input.count {
        let byte = input[position]
        switch byte {
        case nul:
            throw .nulByte(source: source, offset: position)
        case carriageReturn:
            output.append(lineFeed)
            position = endOfLineBreak(in: input, at: position)
            continue
        case ..<0x80:
            output.append(byte)
        default:
            // U+0080 … U+00FF in UTF-8: 110000xx 10xxxxxx.
            output.append(0xC0 | byte >> 6)
            output.append(0x80 | byte & 0x3F)
        }
        position += 1
    }
}

/// Where the line break starting with the carriage return at `position` ends: after a following line
/// feed (CRLF), else right after the carriage return.
private func endOfLineBreak(in input: UnsafeBufferPointer<UInt8>, at position: Int) -> Int {
    let next = position + 1
    return next < input.count && input[next] == lineFeed ? next + 1 : next
}
