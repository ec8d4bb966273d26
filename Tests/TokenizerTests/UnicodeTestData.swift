import Foundation
import XCTest

/// The Unicode Character Database's conformance test files, from Debian's `unicode-data` package.
///
/// They match the Unicode version utf8proc implements (15.0 for utf8proc 2.8), which is why the tests
/// read them from the system rather than bundling a copy that could drift from the library.
enum UnicodeTestData {
    static let graphemeBreakTest = "/usr/share/unicode/auxiliary/GraphemeBreakTest.txt"
    /// Debian ships this one compressed; an uncompressed copy next to it is used first if present.
    static let normalizationTest = "/usr/share/unicode/NormalizationTest.txt"

    struct Line {
        var number: Int
        /// The line without its comment.
        var data: Substring
    }

    /// The data lines of `path` (read through `bzcat` when only `path.bz2` exists), without comments.
    static func lines(of path: String) throws -> [Line] {
        let text = try contents(of: path)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let data = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            return data.isEmpty ? nil : Line(number: index + 1, data: Substring(data))
        }
    }

    private static func contents(of path: String) throws -> String {
        if FileManager.default.fileExists(atPath: path) {
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let compressed = path + ".bz2"
        guard FileManager.default.fileExists(atPath: compressed) else {
            throw UnicodeTestDataUnavailable("\(path) is missing: install Debian's unicode-data package (apt-get install unicode-data)")
        }
        let bzcat = Process()
        bzcat.executableURL = URL(fileURLWithPath: "/usr/bin/bzcat")
        bzcat.arguments = [compressed]
        let output = Pipe()
        bzcat.standardOutput = output
        try bzcat.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        bzcat.waitUntilExit()
        guard bzcat.terminationStatus == 0 else {
            throw UnicodeTestDataUnavailable("bzcat \(compressed) failed with status \(bzcat.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Scalars written as space-separated hexadecimal code points, e.g. "0044 0307".
    static func scalarValues(hex: Substring) -> [UInt32]? {
        var values = [UInt32]()
        for field in hex.split(separator: " ") {
            guard let value = UInt32(field, radix: 16) else { return nil }
            values.append(value)
        }
        return values
    }
}

/// Thrown, failing the test, when a conformance file cannot be read: a test that silently ran nothing
/// would pass.
struct UnicodeTestDataUnavailable: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
