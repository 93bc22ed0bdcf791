import LoamKit
import Testing

@Suite("PHCString")
struct PHCStringTests {
    @Test("formats unpadded and parses back")
    func roundTrip() throws {
        let phc = PHCString(iterations: 600_000, salt: Array("salt".utf8), hash: [0xfb, 0xff])

        #expect(phc.string == "$pbkdf2-sha256$i=600000$c2FsdA$+/8")
        #expect(PHCString(parsing: phc.string) == phc)
    }

    @Test("padding is accepted when reading")
    func padding() throws {
        let parsed = try #require(PHCString(parsing: "$pbkdf2-sha256$i=1$c2FsdA==$+/8="))

        #expect(parsed.salt == Array("salt".utf8))
        #expect(parsed.hash == [0xfb, 0xff])
        #expect(parsed.iterations == 1)
    }

    @Test(
        "base64url or stray characters are not standard base64",
        arguments: ["$pbkdf2-sha256$i=1$c2FsdA$-_8", "$pbkdf2-sha256$i=1$c2Fsd$+/8", "$pbkdf2-sha256$i=1$c2F sdA$+/8"])
    func rejectsOtherAlphabets(text: String) {
        #expect(PHCString(parsing: text) == nil)
    }

    @Test("printing does not show the salt or hash")
    func redacted() {
        let phc = PHCString(iterations: 600_000, salt: Array("salt".utf8), hash: [0xfb, 0xff])

        #expect("\(phc)" == "PHCString(pbkdf2-sha256, i=600000)")
        #expect(!String(reflecting: phc).contains("c2FsdA"))
    }
}
