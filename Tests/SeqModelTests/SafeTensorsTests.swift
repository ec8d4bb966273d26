import XCTest
@testable import SeqModel

final class SafeTensorsTests: XCTestCase {
    /// Written by the Python `safetensors` package (0.x, `safetensors.numpy.save`) from
    /// {"a": [[1, −2], [0.5, 3.25]], "b": [7]} (float32) with metadata {"format": "pt"}.
    static let golden = "90000000000000007b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074227d2c2261223a7b226474797065223a22463332222c227368617065223a5b322c325d2c22646174615f6f666673657473223a5b302c31365d7d2c2262223a7b226474797065223a22463332222c227368617065223a5b315d2c22646174615f6f666673657473223a5b31362c32305d7d7d200000803f000000c00000003f000050400000e040"

    static let goldenContents = SafeTensors.Contents(
        metadata: ["format": "pt"],
        tensors: [SafeTensors.Entry(name: "a", shape: [2, 2], values: [1, -2, 0.5, 3.25]),
                  SafeTensors.Entry(name: "b", shape: [1], values: [7])])

    private var goldenBytes: [UInt8] {
        var out = [UInt8]()
        var chars = Array(Self.golden)
        while chars.count >= 2 {
            out.append(UInt8(String(chars[0..<2]), radix: 16)!)
            chars.removeFirst(2)
        }
        return out
    }

    func testEncodesTheReferenceImplementationsBytesExactly() {
        XCTAssertEqual(SafeTensors.encode(Self.goldenContents), goldenBytes)
    }

    func testDecodesTheGoldenFile() throws {
        XCTAssertEqual(try SafeTensors.decode(goldenBytes, path: "golden"), Self.goldenContents)
    }

    private func refusal(_ bytes: [UInt8]) -> String? {
        do {
            _ = try SafeTensors.decode(bytes, path: "f")
            return nil
        } catch {
            return error.reason
        }
    }

    /// Replaces the JSON header of the golden file (keeping its 20 data bytes) and fixes the length prefix.
    private func withHeader(_ json: String, data: [UInt8]? = nil) -> [UInt8] {
        let header = Array(json.utf8)
        var out = [UInt8]()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        return out + header + (data ?? Array(goldenBytes.suffix(20)))
    }

    func testEveryTruncationIsRefused() {
        let bytes = goldenBytes
        for n in 0..<bytes.count {
            XCTAssertNotNil(refusal(Array(bytes.prefix(n))), "truncated to \(n) bytes")
        }
    }

    func testMalformedFilesAreRefusedWithTheReason() {
        XCTAssertEqual(refusal([1, 2, 3]), "file is 3 bytes, shorter than the 8-byte header length")
        var huge = goldenBytes
        huge[7] = 0x80   // header length 2^63 + 144
        XCTAssertTrue(refusal(huge)!.contains("runs past the end of the file"))
        XCTAssertEqual(refusal(withHeader("{\"a\":")), "header is not a JSON object")
        XCTAssertEqual(refusal([4, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFE, 0x7B, 0x7D]), "header is not UTF-8")
        XCTAssertTrue(refusal(withHeader(#"{"a":{"dtype":"F99","shape":[5],"data_offsets":[0,20]}}"#))!.contains("unknown dtype"))
        XCTAssertTrue(refusal(withHeader(#"{"a":{"dtype":"F16","shape":[10],"data_offsets":[0,20]}}"#))!.contains("F32 only"))
        XCTAssertTrue(refusal(withHeader(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: Array(repeating: 0, count: 16)))!.contains("overlaps"))
        XCTAssertTrue(refusal(withHeader(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[4,20]}}"#))!.contains("hole"))
        XCTAssertTrue(refusal(withHeader(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, data: Array(repeating: 0, count: 16)))!.contains("needs 12"))
        XCTAssertTrue(refusal(withHeader(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#))!.contains("4 trailing bytes"))
        XCTAssertTrue(refusal(withHeader(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,16]}}"#))!.contains("invalid shape"))
        XCTAssertTrue(refusal(withHeader(#"{"__metadata__":{"k":1}}"#, data: []))!.contains("not a string"))
    }

    func testEveryFlippedHeaderByteIsRefusedOrStillConsistent() {
        // A flipped byte either breaks the header (refused) or yields another valid file — never a trap.
        let bytes = goldenBytes
        for i in 8..<(8 + 144) {
            var copy = bytes
            copy[i] ^= 0x01
            if let contents = try? SafeTensors.decode(copy, path: "f") {
                XCTAssertEqual(contents.tensors.reduce(0) { $0 + $1.values.count }, 5)
            }
        }
    }
}
