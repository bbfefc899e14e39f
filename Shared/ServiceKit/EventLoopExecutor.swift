import NIOCore

/// A `TaskExecutor` that runs jobs on one NIO event loop. A connection's task that prefers its
/// channel's loop (SE-0417) reads, works and writes on that thread; a store call it makes
/// stays there too (AsyncHTTPClient prefers the current loop for a request made on one,
/// `MultiThreadedEventLoopGroup.any()`). On the global executor each request or command
/// crossed threads several times — the read handed to a pool thread, a call to a loop, its
/// answer back to the pool, the write back to the loop — and the scheduler took a fifth to a
/// third of the store's and the IMAP gateway's CPU.
public final class EventLoopExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
