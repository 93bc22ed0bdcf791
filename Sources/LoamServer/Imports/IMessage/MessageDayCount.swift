import Foundation

/// How many messages went each way between the user and one handle on one day: all Loam keeps of iMessage.
/// No text, no attachment, no time of day.
public struct MessageDayCount: Hashable, Sendable {
    /// `handle.id` as Messages stores it: a phone number (`+14155550132`) or an email address, not normalized.
    public var handle: String
    /// Midnight UTC at the start of the day the messages were sent.
    public var day: Date
    /// Messages the user sent that this handle received (directly, or as a participant of a group chat).
    public var sent: Int
    /// Messages this handle sent to the user.
    public var received: Int

    public init(handle: String, day: Date, sent: Int, received: Int) {
        self.handle = handle
        self.day = day
        self.sent = sent
        self.received = received
    }
}

/// Everything one read of a `chat.db` yields.
public struct IMessageCounts: Sendable {
    /// Ordered by handle, then day; one entry per handle and day with at least one message.
    public var days: [MessageDayCount]
    /// Messages with no date (NULL, zero or not a number): they cannot be placed on a day.
    public var skippedWithoutDate = 0
    /// Messages that name nobody: received with no sender handle, or sent to a chat with no participants and no
    /// handle of their own.
    public var skippedWithoutHandle = 0

    public init(days: [MessageDayCount], skippedWithoutDate: Int = 0, skippedWithoutHandle: Int = 0) {
        self.days = days
        self.skippedWithoutDate = skippedWithoutDate
        self.skippedWithoutHandle = skippedWithoutHandle
    }
}
