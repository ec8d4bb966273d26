import Foundation
import XCTest

/// The two HTML reports in a real browser, Debian's headless Chromium: every chart renders with a drawn series
/// behind each legend entry, the legend toggle hides and shows series, nothing reaches the console, and a
/// screenshot lands in .build/browser/ for a person to look at.
final class BrowserReportTests: XCTestCase {
    func testStudyReportInChromium() throws {
        let folder = try ToolRunner.temporaryFolder(self)
        let out = folder.appendingPathComponent("s")
        let run = try ToolRunner.run([
            "study", "--out", out.path, "--distances", "3,6", "--variants", "tanh:xavier,relu:identity,lstm",
            "--hidden", "8", "--seeds", "2", "--steps", "30", "--eval-every", "10", "--batch", "8", "--threads", "2",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        try checkInBrowser(out.appendingPathComponent("report.html"), screenshot: "report.png", scratch: folder)
    }

    func testGradientFlowReportInChromium() throws {
        let folder = try ToolRunner.temporaryFolder(self)
        let out = folder.appendingPathComponent("g")
        let run = try ToolRunner.run([
            "gradflow", "--out", out.path, "--variants", "sigmoid:xavier,tanh:xavier,lstm", "--hidden", "8",
            "--layers", "1,2", "--length", "80", "--seeds", "2",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        try checkInBrowser(out.appendingPathComponent("gradflow.html"), screenshot: "gradflow.png", scratch: folder)
    }

    func testMemoryReportInChromium() throws {
        let folder = try ToolRunner.temporaryFolder(self)
        var checkpoints: [String] = []
        for cell in ["lstm", "gru"] {
            let run = folder.appendingPathComponent(cell).path
            let train = try ToolRunner.run([
                "train", "--corpus", "Corpus/poemas.txt", "--cell", cell, "--hidden", "8", "--layers", "2",
                "--steps", "20", "--batch", "4", "--seq-len", "16", "--eval-every", "20", "--sample-every", "0",
                "--out", run,
            ])
            XCTAssertEqual(train.status, 0, train.stderr)
            checkpoints += ["--checkpoint", run + "/last.safetensors"]
        }
        let out = folder.appendingPathComponent("m")
        let run = try ToolRunner.run(["memory"] + checkpoints + [
            "--text", "Corpus/poemas.txt", "--max-distance", "32", "--positions", "64", "--out", out.path,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        try checkInBrowser(out.appendingPathComponent("memory.html"), screenshot: "memory.png", scratch: folder)
    }

    private func checkInBrowser(_ report: URL, screenshot name: String, scratch: URL,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let browser = try XCTUnwrap(Chromium(profile: scratch.appendingPathComponent("chromium-profile")),
                                    "chromium is not on PATH; `make test` installs it (apt-get install chromium)",
                                    file: file, line: line)
        let html = try String(contentsOf: report, encoding: .utf8)

        // The page as the browser built it, after its script ran.
        let page = try browser.run(["--dump-dom", report.absoluteString], scratch: scratch)
        assertClean(page, "dump of \(report.lastPathComponent)", file: file, line: line)
        let charts = svgElements(page.stdout)
        XCTAssertGreaterThan(charts.count, 0, "no chart in the DOM", file: file, line: line)
        XCTAssertEqual(charts.count, svgElements(html).count, "every chart of the file is in the DOM",
                       file: file, line: line)
        XCTAssertTrue(charts.contains { !groups("legend-entry", in: $0).isEmpty }, "no chart has a legend",
                      file: file, line: line)
        for (index, chart) in charts.enumerated() {
            let drawn = Set(groups("series", in: chart).filter { group in
                ["<polyline", "<circle", "<path", "<line"].contains { group.content.contains($0) }
            }.map(\.series))
            for entry in groups("legend-entry", in: chart) {
                XCTAssertTrue(drawn.contains(entry.series), "chart \(index): entry \(entry.series) draws nothing",
                              file: file, line: line)
            }
        }

        // A copy whose extra script clicks legend entry 0 of the first chart with two entries once and entry 1
        // twice, then records the visibility the browser computed for their series.
        let clicker = """
            <script>
            (function () {
              var svg = Array.from(document.querySelectorAll("svg"))
                .find(function (s) { return s.querySelector('.legend-entry[data-series="1"]'); });
              function click(n) {
                svg.querySelector('.legend-entry[data-series="' + n + '"] text')
                  .dispatchEvent(new MouseEvent("click", { bubbles: true }));
              }
              function visibility(n) {
                return Array.from(svg.querySelectorAll('.series[data-series="' + n + '"]'))
                  .map(function (g) { return getComputedStyle(g).visibility; }).join(" ");
              }
              click(0); click(1); click(1);
              svg.setAttribute("data-toggled", visibility(0) + "|" + visibility(1));
            })();
            </script>
            </body>
            """
        let copy = scratch.appendingPathComponent("toggled-\(report.lastPathComponent)")
        try html.replacingOccurrences(of: "</body>", with: clicker).write(to: copy, atomically: true, encoding: .utf8)
        let toggled = try browser.run(["--dump-dom", copy.absoluteString], scratch: scratch)
        assertClean(toggled, "dump after clicks", file: file, line: line)
        let recorded = toggled.stdout.components(separatedBy: "data-toggled=\"").dropFirst().first?
            .prefix { $0 != "\"" }
        let states = try XCTUnwrap(recorded, "the click script left no record", file: file, line: line)
            .split(separator: "|", omittingEmptySubsequences: false).map { $0.split(separator: " ") }
        XCTAssertEqual(states.count, 2, file: file, line: line)
        if states.count == 2 {
            XCTAssertTrue(!states[0].isEmpty && states[0].allSatisfy { $0 == "hidden" },
                          "entry clicked once: \(states[0])", file: file, line: line)
            XCTAssertTrue(!states[1].isEmpty && states[1].allSatisfy { $0 == "visible" },
                          "entry clicked twice: \(states[1])", file: file, line: line)
            XCTAssertEqual(occurrences(of: "class=\"series off\"", in: toggled.stdout), states[0].count,
                           "only the clicked chart's series are hidden", file: file, line: line)
        }

        // A screenshot at the width of a desktop window, where two panels fit side by side.
        let shots = ToolRunner.projectRoot.appendingPathComponent(".build/browser")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let png = shots.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: png)
        let shot = try browser.run(["--screenshot=\(png.path)", "--window-size=1400,2400", report.absoluteString],
                                   scratch: scratch)
        assertClean(shot, "screenshot", file: file, line: line)
        let image = try Data(contentsOf: png)
        XCTAssertEqual(Array(image.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature",
                       file: file, line: line)
        XCTAssertGreaterThan(image.count, 20_000, "a blank page compresses to far less", file: file, line: line)
    }

    /// Exited by itself with status 0, and the page logged nothing: Chromium reports console messages of every
    /// level as INFO:CONSOLE and the reports log nothing, so any such line (or an uncaught exception) is a fault.
    /// Its other stderr lines (D-Bus, GPU, sandbox warnings) are the headless environment, not the page.
    private func assertClean(_ outcome: Chromium.Outcome, _ what: String, file: StaticString, line: UInt) {
        XCTAssertFalse(outcome.timedOut, "\(what): chromium was killed after \(Chromium.timeout) s",
                       file: file, line: line)
        let tail = outcome.stderr.split(separator: "\n").suffix(30).joined(separator: "\n")
        XCTAssertEqual(outcome.status, 0, "\(what): chromium failed:\n\(tail)", file: file, line: line)
        let console = outcome.stderr.split(separator: "\n")
            .filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        XCTAssertEqual(console, [], "\(what): the page wrote to the console", file: file, line: line)
    }

    /// The markup inside each `<svg …>…</svg>`, in order.
    private func svgElements(_ markup: String) -> [String] {
        markup.components(separatedBy: "<svg").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
    }

    /// The `<g class="kind…" data-series="N">` groups of one chart (they hold no nested groups).
    private func groups(_ kind: String, in chart: String) -> [(series: String, content: String)] {
        let pattern = try! NSRegularExpression(
            pattern: "<g class=\"\(kind)[^\"]*\" data-series=\"(\\d+)\"[^>]*>(.*?)</g>",
            options: .dotMatchesLineSeparators)
        return pattern.matches(in: chart, range: NSRange(chart.startIndex..., in: chart)).map { match in
            let part = { (index: Int) in String(chart[Range(match.range(at: index), in: chart)!]) }
            return (part(1), part(2))
        }
    }
}

/// Debian's `chromium` from PATH, run headless with its own profile and killed if it hangs.
private struct Chromium {
    struct Outcome {
        var status: Int32
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    static let timeout = 60.0
    let executable: URL
    let profile: URL

    init?(profile: URL) {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { URL(fileURLWithPath: "\($0)/chromium") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            return nil
        }
        executable = found
        self.profile = profile
    }

    /// Output goes to files, not pipes, so nothing the browser or its helpers keep open can block the wait.
    func run(_ arguments: [String], scratch: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--hide-scrollbars", "--enable-logging=stderr", "--v=0", "--user-data-dir=\(profile.path)",
        ] + arguments
        let name = "chromium-\(UUID().uuidString)"
        let out = scratch.appendingPathComponent("\(name).out"), err = scratch.appendingPathComponent("\(name).err")
        for url in [out, err] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        var timedOut = false
        if exited.wait(timeout: .now() + Self.timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
        }
        return Outcome(status: process.terminationStatus, timedOut: timedOut,
                       stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
