// libFuzzer target: the command line of every subcommand (ArgumentParser plus each command's `validate()`).
// Compiled into the nlp-vanish module with its entry point renamed (see `make fuzz`); commands are parsed and
// validated, never run.
//
// Input: the arguments after `nlp-vanish`, one per line (an empty input is no arguments at all).
import ArgumentParser

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let arguments = size == 0 ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    do {
        var command = try NLPVanish.parseAsRoot(arguments)
        // A command that parsed validates again: validation must not depend on anything parsing changed since.
        try command.validate()
    } catch {
        // What `main` would print and exit with: help, a usage message, or a failure. Rendering the message
        // (help screens, completion scripts, the JSON help dump included) must not trap either.
        let message = NLPVanish.fullMessage(for: error)
        let code = NLPVanish.exitCode(for: error)
        if code != .success && message.isEmpty { fatalError("invariant broken: an error without a message: \(error)") }
    }
    return 0
}
