import NIOCore

/// The last handler of an SMTP client channel: splits the byte stream into lines, groups lines into replies and
/// hands each reply to the one command waiting for it.
///
/// It does the line splitting itself, rather than behind a `ByteToMessageDecoder`, because STARTTLS needs to know
/// exactly which bytes arrived before TLS: on the `220` to STARTTLS it installs the TLS handler in the same event
/// loop tick, after checking that no plaintext is left over that could be mistaken for encrypted data
/// (the "STARTTLS command injection" flaw, CVE-2011-0411 and kin).
///
/// The client never pipelines, so there is at most one waiter; a reply nobody waits for yet (the greeting) is kept.
final class SMTPReplyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// Why waiting for a reply failed; `SMTPConnection` adds the stage.
    enum Failure: Error {
        case timedOut
        case closed
        case protocolViolation(String)
        case tls(any Error)
        case io(any Error)
    }

    /// Replies past this many bytes on one line, or lines in one reply, are not SMTP: stop instead of buffering.
    static let maximumLineLength = 8192
    static let maximumLinesPerReply = 512

    private var cumulation: ByteBuffer?
    private var partialReply: [SMTPReplyLine] = []
    private var ready: CircularBuffer<SMTPReply> = []
    private var waiter: (promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?
    private var failure: Failure?
    private var context: ChannelHandlerContext?
    /// Set while a STARTTLS reply is awaited: installs TLS in front of this handler when the server says `220`.
    private var upgradeOnReady: ((ChannelPipeline.SynchronousOperations) throws -> Void)?
    /// Tells TLS errors apart from socket errors once TLS is on.
    private var isTLS: Bool

    init(isTLS: Bool) {
        self.isTLS = isTLS
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(.closed)
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        guard failure == nil else { return }
        if cumulation == nil {
            cumulation = incoming
        } else {
            cumulation!.writeBuffer(&incoming)
        }
        while failure == nil, let line = nextLine() {
            receive(line: line, context: context)
        }
        if failure == nil, let cumulation, cumulation.readableBytes > Self.maximumLineLength {
            fail(.protocolViolation("reply line too long"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Errors from NIOSSL arrive here too; the TLS handler closes the channel itself.
        fail(isTLS ? .tls(error) : .io(error))
        context.close(promise: nil)
    }

    /// The next reply, failing after `timeout` (and closing the channel: after a lost reply the conversation
    /// cannot be resynchronised). Call on the event loop.
    func nextReply(timeout: TimeAmount) -> EventLoopFuture<SMTPReply> {
        guard let context else {
            preconditionFailure("SMTPReplyHandler used before it was added to a pipeline")
        }
        let eventLoop = context.eventLoop
        precondition(waiter == nil, "SMTP commands are not pipelined")
        if let reply = ready.popFirst() {
            return eventLoop.makeSucceededFuture(reply)
        }
        if let failure {
            return eventLoop.makeFailedFuture(failure)
        }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let timeoutTask = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            fail(.timedOut)
            self.context?.close(promise: nil)
        }
        waiter = (promise, timeoutTask)
        return promise.futureResult
    }

    /// Arms the STARTTLS upgrade; the caller then writes `STARTTLS` and waits for `nextReply`.
    /// Fails when replies are already queued: they would be answers to nothing we asked.
    func prepareUpgrade(_ upgrade: @escaping (ChannelPipeline.SynchronousOperations) throws -> Void) -> Bool {
        guard ready.isEmpty, partialReply.isEmpty, failure == nil else { return false }
        upgradeOnReady = upgrade
        return true
    }

    private func nextLine() -> [UInt8]? {
        guard var buffer = cumulation,
            let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n"))
        else { return nil }
        let length = newline - buffer.readerIndex
        var line = buffer.readBytes(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        cumulation = buffer.readableBytes == 0 ? nil : buffer
        return line
    }

    private func receive(line bytes: [UInt8], context: ChannelHandlerContext) {
        guard let line = SMTPReplyLine(bytes) else {
            fail(.protocolViolation("malformed reply line"))
            return
        }
        if let first = partialReply.first, first.code != line.code {
            fail(.protocolViolation("reply code changed within a multi-line reply"))
            return
        }
        partialReply.append(line)
        guard line.isLast else {
            if partialReply.count > Self.maximumLinesPerReply { fail(.protocolViolation("reply has too many lines")) }
            return
        }
        let reply = SMTPReply(code: line.code, lines: partialReply.map(\.text))
        partialReply = []
        if let upgrade = upgradeOnReady {
            upgradeOnReady = nil
            if reply.code == 220 {
                guard cumulation == nil else {
                    fail(.protocolViolation("data after the STARTTLS reply, before TLS"))
                    return
                }
                do {
                    try upgrade(context.pipeline.syncOperations)
                    isTLS = true
                } catch {
                    fail(.tls(error))
                    context.close(promise: nil)
                    return
                }
            }
        }
        deliver(reply)
    }

    private func deliver(_ reply: SMTPReply) {
        if let waiter {
            self.waiter = nil
            waiter.timeout.cancel()
            waiter.promise.succeed(reply)
        } else {
            ready.append(reply)
        }
    }

    private func fail(_ failure: Failure) {
        if self.failure == nil { self.failure = failure }
        if let waiter {
            self.waiter = nil
            waiter.timeout.cancel()
            waiter.promise.fail(failure)
        }
    }
}
