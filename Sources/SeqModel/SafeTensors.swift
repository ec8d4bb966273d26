import Foundation

/// The safetensors file format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON header,
/// then the tensors' bytes. The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]}
/// (offsets relative to the end of the header) and may hold "__metadata__", a string → string map.
///
/// We write F32 tensors only and read F32 tensors only, but validate every rule of the format on read, so a
/// truncated, corrupted or foreign file is refused with a message naming what is wrong — never a trap.
public enum SafeTensors {
    /// A named F32 tensor with its shape and values, as stored.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The contents of a file.
    public struct Contents: Equatable, Sendable {
        public var metadata: [String: String]
        /// Tensors in file order (by data offset).
        public var tensors: [Entry]
        public init(metadata: [String: String], tensors: [Entry]) {
            self.metadata = metadata
            self.tensors = tensors
        }
        public subscript(name: String) -> Entry? { tensors.first { $0.name == name } }
    }

    /// Why a file was refused.
    public struct FormatError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): not a valid safetensors file: \(reason)" }
    }

    /// Every dtype the format defines, so that a foreign but valid dtype is reported as unsupported, not unknown.
    static let knownDTypes: Set<String> = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
                                          "I32", "U32", "F32", "F64", "I64", "U64"]

    /// The bytes of a file holding `contents`: header padded with spaces to a multiple of 8 so the data is aligned.
    public static func encode(_ contents: Contents) -> [UInt8] {
        var header = "{"
        if !contents.metadata.isEmpty {
            header += "\"__metadata__\":{"
            header += contents.metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(contents.metadata[$0]!))" }
                .joined(separator: ",")
            header += "}"
        }
        var offset = 0
        for t in contents.tensors {
            let end = offset + t.values.count * 4
            if header.count > 1 { header += "," }
            header += "\(jsonString(t.name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
            header += "\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for t in contents.tensors {
            for v in t.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        }
        return out
    }

    /// Parses and validates a file's bytes. `path` names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(FormatError) -> Contents {
        func fail(_ reason: String) -> FormatError { FormatError(path: path, reason: reason) }
        guard bytes.count >= 8 else { throw fail("file is \(bytes.count) bytes, shorter than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw fail("header length \(n) runs past the end of the file (\(bytes.count) bytes)")
        }
        let headerEnd = 8 + Int(n)
        guard let headerText = String(validating: bytes[8..<headerEnd], as: UTF8.self) else {
            throw fail("header is not UTF-8")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(headerText.utf8)),
              let header = object as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        var metadata = [String: String]()
        if let raw = header["__metadata__"] {
            guard let map = raw as? [String: Any] else { throw fail("__metadata__ is not an object") }
            for (k, v) in map {
                guard let s = v as? String else { throw fail("__metadata__ value for \"\(k)\" is not a string") }
                metadata[k] = s
            }
        }
        struct Raw { var name: String; var shape: [Int]; var begin: Int; var end: Int }
        var raws = [Raw]()
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any] else { throw fail("entry \"\(name)\" is not an object") }
            guard let dtype = info["dtype"] as? String else { throw fail("tensor \"\(name)\" has no dtype") }
            guard knownDTypes.contains(dtype) else { throw fail("tensor \"\(name)\" has unknown dtype \"\(dtype)\"") }
            guard dtype == "F32" else { throw fail("tensor \"\(name)\" has dtype \(dtype); nlp-vanish reads F32 only") }
            guard let shape = integers(info["shape"]) else { throw fail("tensor \"\(name)\" has an invalid shape") }
            guard let offsets = integers(info["data_offsets"]), offsets.count == 2, offsets[0] <= offsets[1] else {
                throw fail("tensor \"\(name)\" has invalid data_offsets")
            }
            var count = 1
            for d in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, product <= Int(Int32.max) else { throw fail("tensor \"\(name)\" is too large") }
                count = product
            }
            guard offsets[1] - offsets[0] == count * 4 else {
                throw fail("tensor \"\(name)\" has \(offsets[1] - offsets[0]) bytes but shape \(shape) × F32 needs \(count * 4)")
            }
            raws.append(Raw(name: name, shape: shape, begin: offsets[0], end: offsets[1]))
        }
        raws.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        let dataLength = bytes.count - headerEnd
        var expected = 0
        for r in raws {
            guard r.begin == expected else {
                throw fail(r.begin > expected ? "hole in the data before tensor \"\(r.name)\" (offset \(expected)…\(r.begin))"
                                              : "tensor \"\(r.name)\" overlaps the previous tensor at offset \(r.begin)")
            }
            expected = r.end
        }
        guard expected <= dataLength else {
            throw fail("data is truncated: tensors need \(expected) bytes after the header, the file has \(dataLength)")
        }
        guard expected == dataLength else { throw fail("\(dataLength - expected) trailing bytes after the last tensor") }
        let tensors = raws.map { r in
            var values = [Float](repeating: 0, count: (r.end - r.begin) / 4)
            let base = headerEnd + r.begin
            for i in values.indices {
                let o = base + 4 * i
                let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
                values[i] = Float(bitPattern: bits)
            }
            return Entry(name: r.name, shape: r.shape, values: values)
        }
        return Contents(metadata: metadata, tensors: tensors)
    }

    /// Non-negative integers below 2⁵³ from a JSON array (JSONSerialization gives NSNumber; fractions are refused).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out = [Int]()
        for element in array {
            guard let number = element as? NSNumber, let i = Int(exactly: number.doubleValue),
                  i >= 0, i < 1 << 53 else { return nil }
            out.append(i)
        }
        return out
    }

    /// `s` as a JSON string literal (Foundation's encoder; slashes left alone, as the reference writer does).
    private static func jsonString(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
