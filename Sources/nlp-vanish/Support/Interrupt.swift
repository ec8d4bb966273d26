import Foundation

/// Ctrl-C and SIGTERM as a request, not a kill: the handler only sets a flag, and long loops check it between
/// steps, save what they have, and exit 130.
enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static func install() {
        signal(SIGINT) { _ in Interrupt.flag = 1 }
        signal(SIGTERM) { _ in Interrupt.flag = 1 }
    }

    static var requested: Bool { flag != 0 }
}
