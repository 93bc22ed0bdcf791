import Foundation
import Testing

@testable import LoamServer

@Suite("Reading iMessage counts from chat.db")
struct IMessageDatabaseReaderTests {
    typealias Fixture = ChatDatabaseFixture

    @Test("Messages count per handle and UTC day, sent and received apart")
    func countsAndDirections() async throws {
        let db = try await Fixture.make()
        let dana = try await db.handle("+14155550132")
        let bo = try await db.handle("bo@example.org")
        let danaChat = try await db.chat("+14155550132", participants: [dana])
        let boChat = try await db.chat("bo@example.org", participants: [bo])
        for hour in [9, 10, 11] {
            try await db.message(handle: dana, date: Fixture.appleDate(2024, 3, 5, hour), fromMe: false, chat: danaChat)
        }
        try await db.message(handle: dana, date: Fixture.appleDate(2024, 3, 5, 12), fromMe: true, chat: danaChat)
        try await db.message(handle: dana, date: Fixture.appleDate(2024, 3, 7, 8), fromMe: true, chat: danaChat)
        try await db.message(handle: bo, date: Fixture.appleDate(2024, 3, 5, 18), fromMe: false, chat: boChat)
        try await db.close()

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(
            counts.days == [
                MessageDayCount(handle: "+14155550132", day: Fixture.utcDay(2024, 3, 5), sent: 1, received: 3),
                MessageDayCount(handle: "+14155550132", day: Fixture.utcDay(2024, 3, 7), sent: 1, received: 0),
                MessageDayCount(handle: "bo@example.org", day: Fixture.utcDay(2024, 3, 5), sent: 0, received: 1),
            ])
        #expect(counts.skippedWithoutDate == 0 && counts.skippedWithoutHandle == 0)
    }

    @Test("In a group, what I send counts for every participant; what one sends counts for that one alone")
    func groupParticipants() async throws {
        let db = try await Fixture.make()
        let dana = try await db.handle("+14155550132")
        let bo = try await db.handle("bo@example.org")
        let cy = try await db.handle("+442079460018")
        let group = try await db.chat("chat829475610388", participants: [dana, bo, cy])
        let day = Fixture.appleDate(2024, 6, 1, 15)
        // Messages records a sent group message with handle 0: the recipients are the chat's.
        try await db.message(handle: 0, date: day, fromMe: true, chat: group)
        try await db.message(handle: 0, date: day + 1_000_000_000, fromMe: true, chat: group)
        try await db.message(handle: bo, date: day, fromMe: false, chat: group)
        // "Bo named the conversation": a group event, not a message.
        try await db.message(handle: bo, date: day, fromMe: false, chat: group, text: nil, itemType: 2)
        try await db.close()

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        let june1 = Fixture.utcDay(2024, 6, 1)
        #expect(
            counts.days == [
                MessageDayCount(handle: "+14155550132", day: june1, sent: 2, received: 0),
                MessageDayCount(handle: "+442079460018", day: june1, sent: 2, received: 0),
                MessageDayCount(handle: "bo@example.org", day: june1, sent: 2, received: 1),
            ])
    }

    @Test("One number's SMS and iMessage handles are one handle, and a message reaching both counts once")
    func handlesMergeByID() async throws {
        let db = try await Fixture.make()
        let imessage = try await db.handle("+14155550132", service: "iMessage")
        let sms = try await db.handle("+14155550132", service: "SMS")
        let other = try await db.handle("bo@example.org")
        let group = try await db.chat("chat1", participants: [imessage, sms, other])
        let day = Fixture.appleDate(2023, 1, 2)
        try await db.message(handle: 0, date: day, fromMe: true, chat: group)
        try await db.message(handle: sms, date: day, fromMe: false, chat: group)
        try await db.message(handle: imessage, date: day, fromMe: false, chat: nil)
        try await db.close()

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(
            counts.days.first { $0.handle == "+14155550132" }
                == MessageDayCount(
                    handle: "+14155550132", day: Fixture.utcDay(2023, 1, 2), sent: 1, received: 2))
        #expect(counts.days.count == 2)
    }

    @Test("A sent message in no chat counts for the handle it names")
    func sentWithoutChat() async throws {
        let db = try await Fixture.make()
        let dana = try await db.handle("dana@example.com")
        try await db.message(handle: dana, date: Fixture.appleDate(2022, 8, 9), fromMe: true, chat: nil)
        try await db.close()

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(
            counts.days == [
                MessageDayCount(handle: "dana@example.com", day: Fixture.utcDay(2022, 8, 9), sent: 1, received: 0)
            ])
    }

    @Test("Dates in seconds (older Macs) and in nanoseconds (macOS 10.13 on) land on the same UTC days")
    func secondsAndNanoseconds() async throws {
        let db = try await Fixture.make()
        let dana = try await db.handle("+14155550132")
        let chat = try await db.chat("+14155550132", participants: [dana])
        try await db.message(
            handle: dana, date: Fixture.appleDate(2016, 2, 29, 23, 59, 59, nanoseconds: false), fromMe: false,
            chat: chat)
        try await db.message(
            handle: dana, date: Fixture.appleDate(2016, 2, 29, 0, 0, 0, nanoseconds: true), fromMe: false, chat: chat)
        try await db.message(
            handle: dana, date: Fixture.appleDate(2016, 3, 1, 0, 0, 0, nanoseconds: false), fromMe: true, chat: chat)
        try await db.message(
            handle: dana, date: Fixture.appleDate(2016, 3, 1, 23, 59, 59, nanoseconds: true) + 999_999_999,
            fromMe: true, chat: chat)
        // The first seconds after the epoch: a small number that is still a date, read as seconds.
        try await db.message(handle: dana, date: 200, fromMe: false, chat: chat)
        try await db.close()

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(
            counts.days == [
                MessageDayCount(handle: "+14155550132", day: Fixture.utcDay(2001, 1, 1), sent: 0, received: 1),
                MessageDayCount(handle: "+14155550132", day: Fixture.utcDay(2016, 2, 29), sent: 0, received: 2),
                MessageDayCount(handle: "+14155550132", day: Fixture.utcDay(2016, 3, 1), sent: 2, received: 0),
            ])
    }

    @Test("Messages with no date or no handle are skipped and counted by reason")
    func skippedRows() async throws {
        let db = try await Fixture.make()
        let dana = try await db.handle("+14155550132")
        let chat = try await db.chat("+14155550132", participants: [dana])
        let emptyChat = try await db.chat("chat-nobody", participants: [])
        let good = Fixture.appleDate(2024, 1, 1)
        try await db.message(handle: dana, date: good, fromMe: false, chat: chat)
        try await db.message(handle: dana, date: nil, fromMe: false, chat: chat)
        try await db.message(handle: dana, date: 0, fromMe: true, chat: chat)
        try await db.message(handle: 0, date: good, fromMe: false, chat: chat)
        try await db.message(handle: 9999, date: good, fromMe: false, chat: chat)
        try await db.message(handle: 0, date: good, fromMe: true, chat: emptyChat)
        try await db.message(handle: 0, date: good, fromMe: true, chat: nil)
        try await db.close()

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(
            counts.days == [
                MessageDayCount(handle: "+14155550132", day: Fixture.utcDay(2024, 1, 1), sent: 0, received: 1)
            ])
        #expect(counts.skippedWithoutDate == 2)
        #expect(counts.skippedWithoutHandle == 4)
    }

    @Test("A database older than item_type (Mac OS X 10.7) is read, every row a message")
    func withoutItemType() async throws {
        let schema = Fixture.schema.map { $0.replacingOccurrences(of: "item_type INTEGER DEFAULT 0, ", with: "") }
        #expect(schema != Fixture.schema)
        let db = try await Fixture.make(schema: schema)
        let dana = try await db.handle("+14155550132")
        try await db.execute(
            "INSERT INTO message (guid, handle_id, date, is_from_me) VALUES ('a', \(dana), 400000000, 0)")
        try await db.close()

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(counts.days.map(\.received) == [1])
    }

    @Test("An empty chat.db, as a Mac that never used Messages has, gives no counts")
    func emptyDatabase() async throws {
        let db = try await Fixture.make()
        try await db.close()

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(counts.days.isEmpty && counts.skippedWithoutDate == 0 && counts.skippedWithoutHandle == 0)
    }
}
