import Foundation
import XCTest

/// Runs the built `nlp-vanish` binary as a user would, from the project root, and captures what it says.
struct ToolRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The binary beside this test bundle (SwiftPM builds the executable the test target depends on).
    static var binary: URL {
        let beside = Bundle.main.bundleURL.appendingPathComponent("nlp-vanish")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        for configuration in ["release", "debug"] {
            let candidate = projectRoot.appendingPathComponent(".build/\(configuration)/nlp-vanish")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return beside
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, binary: URL? = nil,
                    environment: [String: String]? = nil,
                    file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let process = Process()
        process.executableURL = binary ?? Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? projectRoot
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe; the group's wait is the
        // hand-off that makes the reader thread's write visible here.
        let errBox = DataBox()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        reading.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    private final class DataBox: @unchecked Sendable { var data = Data() }

    /// A fresh temporary folder, removed when the test ends.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nlp-vanish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
