import NIOPosix
import StoreAPI
import Synchronization

/// Where bcrypt and SCRAM key derivation run: threads of their own (not the event loops, which
/// must keep serving the sessions already logged in), behind a bounded queue.
///
/// By default one thread per core (`BUZON_BCRYPT_THREADS`): a burst of logins uses the whole
/// machine, and the kernel still shares the cores with the event loops. At most `queueDepth`
/// checks wait beyond those running (`BUZON_BCRYPT_QUEUE`); one more is refused at once with
/// `503 unavailable`, which a gateway answers as a temporary failure (IMAP `NO [UNAVAILABLE]`,
/// POP3 `-ERR [SYS/TEMP]`, an SMTP 4xx): under a flood, waiting without bound would only
/// make every login time out, and the authentication cache (`AuthCache`) keeps reconnecting
/// clients off this queue anyway. A refused check counts as no failure for the throttle.
final class PasswordHasher: Sendable {
    let threads: Int
    let queueDepth: Int
    private let pool: NIOThreadPool
    /// Checks running or waiting.
    private let pending = Atomic<Int>(0)

    init(threads: Int, queueDepth: Int) {
        self.threads = max(1, threads)
        self.queueDepth = max(0, queueDepth)
        self.pool = Self.sharedPool(threads: self.threads)
    }

    /// Runs `work` on the hashing threads, or refuses it when the queue is full.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let (_, now) = pending.wrappingAdd(1, ordering: .relaxed)
        defer { pending.wrappingSubtract(1, ordering: .relaxed) }
        guard now <= threads + queueDepth else {
            throw StoreError(.serviceUnavailable, APIErrorCode.unavailable, "too many password checks waiting; try again")
        }
        return try await pool.runIfActive(work)
    }

    /// One pool per thread count for the whole process, started at first need and never shut
    /// down: the store has one configuration, and tests that start many stores share it.
    private static let pools = Mutex<[Int: NIOThreadPool]>([:])

    private static func sharedPool(threads: Int) -> NIOThreadPool {
        pools.withLock { pools in
            if let pool = pools[threads] { return pool }
            let pool = NIOThreadPool(numberOfThreads: threads)
            pool.start()
            pools[threads] = pool
            return pool
        }
    }
}
