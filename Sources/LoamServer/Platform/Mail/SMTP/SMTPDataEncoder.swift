import NIOCore

/// Turns a message into the bytes that follow `DATA` (RFC 5321 §4.5.2).
enum SMTPDataEncoder {
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let dot = UInt8(ascii: ".")

    /// Every bare LF, bare CR and CRLF becomes CRLF (servers may refuse bare LF, and a lone "\n.\n" would end the
    /// data early); a line starting with "." gets a second one; the data ends with CRLF "." CRLF.
    static func encode(_ message: [UInt8], into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(buffer.writerIndex + message.count + message.count / 40 + 5)
        var atLineStart = true
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == cr || byte == lf {
                buffer.writeBytes([cr, lf])
                // CRLF is one line break, not two.
                if byte == cr, index + 1 < message.count, message[index + 1] == lf { index += 1 }
                atLineStart = true
            } else {
                if atLineStart && byte == dot { buffer.writeInteger(dot) }
                buffer.writeInteger(byte)
                atLineStart = false
            }
            index += 1
        }
        if !atLineStart { buffer.writeBytes([cr, lf]) }
        buffer.writeBytes([dot, cr, lf])
    }

    static func encode(_ message: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(message, into: &buffer)
        return buffer
    }
}
