import Foundation
import Tokenizer
import XCTest

final class TextFilesTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("TextFilesTests-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    private func write(_ bytes: [UInt8], to relativePath: String) throws {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func testMissingPath() {
        let path = folder + "/nowhere"
        XCTAssertThrowsError(try loadTextFiles(at: path, encoding: .utf8)) { error in
            XCTAssertEqual(error as? TextError, .notFound(path: path))
            XCTAssertEqual("\(error)", "no such file or folder: \(path)")
        }
    }

    func testFolderWithoutTextFiles() throws {
        try write(Array("not a corpus".utf8), to: "notes.md")
        try write(Array("hidden".utf8), to: ".hidden.txt")
        XCTAssertThrowsError(try loadTextFiles(at: folder, encoding: .utf8)) { error in
            XCTAssertEqual(error as? TextError, .noTextFiles(folder: folder))
            XCTAssertEqual("\(error)", "\(folder) holds no .txt files")
        }
    }

    func testSingleFile() throws {
        try write([0x70, 0xE3, 0x6F], to: "pao.dat")
        let files = try loadTextFiles(at: folder + "/pao.dat", encoding: .latin1)
        XCTAssertEqual(files.map(\.path), [folder + "/pao.dat"])
        XCTAssertEqual(files.map(\.text), ["p\u{E3}o"])
    }

    func testFolderIsReadRecursivelyAndSorted() throws {
        try write(Array("b".utf8), to: "b.txt")
        try write(Array("a".utf8), to: "a.txt")
        try write(Array("c".utf8), to: "sub/c.txt")
        try write(Array("Z".utf8), to: "Z.txt")
        try write(Array("ignored".utf8), to: "sub/readme.md")
        let files = try loadTextFiles(at: folder, encoding: .utf8)
        XCTAssertEqual(files.map(\.path), ["Z.txt", "a.txt", "b.txt", "sub/c.txt"].map { folder + "/" + $0 })
        XCTAssertEqual(files.map(\.text), ["Z", "a", "b", "c"])
        XCTAssertEqual(try loadTextFiles(at: folder + "/", encoding: .utf8).map(\.path), files.map(\.path))
    }

    func testSymbolicLinkToAFolderIsNotFollowedInside() throws {
        try write(Array("a".utf8), to: "a.txt")
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop", withDestinationPath: folder)
        XCTAssertEqual(try loadTextFiles(at: folder, encoding: .utf8).map(\.path), [folder + "/a.txt"])
    }

    func testDecodingErrorsNameTheFile() throws {
        try write([0x61, 0xE7, 0xE3, 0x6F], to: "latin.txt")
        XCTAssertThrowsError(try loadTextFiles(at: folder, encoding: .utf8)) { error in
            XCTAssertEqual(
                error as? TextError, .invalidUTF8(source: folder + "/latin.txt", offset: 1, bytes: [0xE7, 0xE3]))
        }
    }

    func testUnreadablePathGivesTheSystemReason() throws {
        try write(Array("a".utf8), to: "a.txt")
        // Permissions cannot be relied on (tests may run as root); a file used as a folder fails for anyone.
        let path = folder + "/a.txt/b.txt"
        XCTAssertThrowsError(try loadTextFiles(at: path, encoding: .utf8)) { error in
            XCTAssertEqual(error as? TextError, .unreadable(path: path, reason: "Not a directory"))
            XCTAssertEqual("\(error)", "cannot read \(path): Not a directory")
        }
    }
}
