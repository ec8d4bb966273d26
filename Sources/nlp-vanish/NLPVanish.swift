import ArgumentParser
import Foundation
import SeqKernels

/// The command-line tool. Each subcommand parses and validates its flags, calls the libraries, and presents.
@main
struct NLPVanish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nlp-vanish",
        abstract: "See and measure the vanishing gradient in recurrent networks on Portuguese text.",
        discussion: """
            Exit codes: 0 success, 1 runtime failure (bad input file, divergence, I/O), \
            2 usage error (a flag out of range), 130 interrupted.
            """,
        version: "nlp-vanish 0.3.0 (bundled corpus: \(CorpusLocation.defaultPath))",
        subcommands: [Demo.self, Study.self, GradFlow.self, Report.self, Train.self, Sample.self, Eval.self, Memory.self, Baseline.self,
                      Inspect.self, Tokenize.self, Profile.self],
        defaultSubcommand: Demo.self)

    /// Runs the tool with the project's exit codes: ArgumentParser reports usage errors as 64 (EX_USAGE);
    /// we use 2, like most Unix tools, and 1 for every failure that is not the user's typing.
    static func main() {
        flushDenormalsToZero()   // every command computes as the study's worker threads do
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            finish(with: error)
        }
    }

    private static func finish(with error: Error) -> Never {
        if let code = error as? ExitCode { Self.exit(withError: code) }
        let parserCode = exitCode(for: error)
        if parserCode == .success { Self.exit(withError: error) }   // --help, --version
        if parserCode == .validationFailure {
            printError(fullMessage(for: error))
            Foundation.exit(ExitStatus.usage)
        }
        printError("nlp-vanish: \(error)")
        Foundation.exit(ExitStatus.failure)
    }
}

/// The tool's exit statuses, one place for all of them.
enum ExitStatus {
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    static let interrupted: Int32 = 130
}
