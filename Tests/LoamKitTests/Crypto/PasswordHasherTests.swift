import Foundation
import LoamKit
import Testing

@Suite("PasswordHasher")
struct PasswordHasherTests {
    // Cheap cost for everything but the one production-cost test.
    let hasher: PasswordHasher

    init() throws {
        hasher = try PasswordHasher(iterations: 1_000, allowInsecureIterationsForTesting: true)
    }

    @Test("hashes at the production cost of 600,000 iterations and verifies an independent hash")
    func productionCost() throws {
        let production = PasswordHasher()

        let phc = try production.hash("correct horse battery staple")

        #expect(phc.hasPrefix("$pbkdf2-sha256$i=600000$"))
        #expect(production.verify("correct horse battery staple", against: phc))
        #expect(!production.verify("correct horse battery stapler", against: phc))
        #expect(!production.needsRehash(phc))
        #expect(production.verify("correct horse battery staple", against: KnownAnswerTests.productionCostPHC))
    }

    @Test("a hash is a PHC string with a 16-byte salt and 32-byte hash in unpadded base64")
    func format() throws {
        let phc = try hasher.hash("hunter2")

        let parsed = try #require(PHCString(parsing: phc))
        #expect(phc.hasPrefix("$pbkdf2-sha256$i=1000$"))
        #expect(!phc.split(separator: "$").suffix(2).joined().contains("="))
        #expect(parsed.salt.count == 16)
        #expect(parsed.hash.count == 32)
        #expect(parsed.string == phc)
    }

    @Test("a decoy hash has a real hash's shape and cost, differs every time, and no password matches it")
    func decoy() throws {
        let decoy = hasher.decoyHash()
        let real = try #require(PHCString(parsing: try hasher.hash("hunter2")))
        let parsed = try #require(PHCString(parsing: decoy))
        #expect(parsed.algorithm == real.algorithm && parsed.iterations == real.iterations)
        #expect(parsed.salt.count == real.salt.count && parsed.hash.count == real.hash.count)
        // The same iterations means a check against it derives as long as a check against a real hash.
        #expect(!hasher.needsRehash(decoy))
        for guess in ["", "hunter2", decoy, "password"] { #expect(!hasher.verify(guess, against: decoy)) }
        #expect(hasher.decoyHash() != decoy)
    }

    @Test("verifies the right password and rejects others")
    func verify() throws {
        let phc = try hasher.hash("hunter2")

        #expect(hasher.verify("hunter2", against: phc))
        #expect(!hasher.verify("hunter3", against: phc))
        #expect(!hasher.verify("Hunter2", against: phc))
        #expect(!hasher.verify("", against: phc))
        #expect(!hasher.verify("hunter2 ", against: phc))
    }

    @Test("the same password hashes differently each time (random salt)")
    func saltIsRandom() throws {
        #expect(try hasher.hash("hunter2") != hasher.hash("hunter2"))
    }

    @Test("an accented password typed composed or decomposed verifies either way (NFKC)")
    func unicodeNormalization() throws {
        let phc = try hasher.hash("caf\u{E9}")

        #expect(hasher.verify("cafe\u{301}", against: phc))
        #expect(!hasher.verify("cafe", against: phc))
    }

    @Test("verifies with the stored iteration count, and flags the hash for rehashing")
    func costChange() throws {
        let old = try hasher.hash("hunter2")
        let stronger = try PasswordHasher(iterations: 2_000, allowInsecureIterationsForTesting: true)

        #expect(stronger.verify("hunter2", against: old))
        #expect(stronger.needsRehash(old))
        #expect(!hasher.needsRehash(old))
    }

    @Test("a production hasher refuses to verify a hash below swift-crypto's floor")
    func productionRefusesWeakHashes() throws {
        let weak = try hasher.hash("hunter2")

        #expect(!PasswordHasher().verify("hunter2", against: weak))
    }

    @Test("iteration counts outside the bounds are refused")
    func iterationBounds() {
        #expect(throws: PasswordHasherError.iterationsTooLow(1_000, minimum: 210_000)) {
            try PasswordHasher(iterations: 1_000)
        }
        #expect(throws: PasswordHasherError.iterationsTooLow(0, minimum: 1)) {
            try PasswordHasher(iterations: 0, allowInsecureIterationsForTesting: true)
        }
        #expect(throws: PasswordHasherError.iterationsTooHigh(10_000_001, maximum: 10_000_000)) {
            try PasswordHasher(iterations: 10_000_001)
        }
        #expect(throws: Never.self) { try PasswordHasher(iterations: 210_000) }
    }

    @Test("needsRehash when algorithm, iterations, salt or hash length differ, or the string is junk")
    func needsRehash() throws {
        let salt16 = Array(repeating: UInt8(1), count: 16)
        let hash32 = Array(repeating: UInt8(2), count: 32)
        func phc(_ algorithm: String = "pbkdf2-sha256", iterations: Int = 1_000, salt: Int = 16, hash: Int = 32)
            -> String
        {
            PHCString(
                algorithm: algorithm, iterations: iterations, salt: Array(repeating: 1, count: salt),
                hash: Array(repeating: 2, count: hash)
            ).string
        }

        #expect(!hasher.needsRehash(PHCString(iterations: 1_000, salt: salt16, hash: hash32).string))
        #expect(hasher.needsRehash(phc(iterations: 999)))
        #expect(hasher.needsRehash(phc(iterations: 600_000)))
        #expect(hasher.needsRehash(phc("pbkdf2-sha512")))
        #expect(hasher.needsRehash(phc(salt: 8)))
        #expect(hasher.needsRehash(phc(hash: 64)))
        #expect(hasher.needsRehash("not a hash"))
        #expect(hasher.needsRehash(""))
    }

    @Test("padded base64 in a stored hash is accepted")
    func paddedBase64() throws {
        let phc = try hasher.hash("hunter2")
        let fields = phc.split(separator: "$", omittingEmptySubsequences: false)
        let padded = "$\(fields[1])$\(fields[2])$\(fields[3])==$\(fields[4])="

        #expect(hasher.verify("hunter2", against: padded))
    }

    // Each is the valid 1-iteration "password"/"salt" vector below with one defect, so each
    // verifies false only because of that defect.
    static let malformed = [
        "",
        "$",
        "$$$$",
        "pbkdf2-sha256$i=1$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=1$c2FsdA",
        "$pbkdf2-sha256$i=1$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs$extra",
        "$pbkdf2-sha256$1000$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=0$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=-1$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=+1$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=99999999999999999999999$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=١$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=1$$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=1$c2FsdA$",
        "$pbkdf2-sha256$i=1$c2Fsd!$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=1$c2FsdA$E",
        "$pbkdf2-sha256$i=1$c2FsdA$Eg+2",
        "$pbkdf2-sha512$i=1$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$PBKDF2-SHA256$i=1$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$pbkdf2-sha256$i=20000000$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs",
    ]

    @Test("malformed hashes verify false without trapping", arguments: malformed)
    func malformedVerifiesFalse(phc: String) {
        #expect(!hasher.verify("password", against: phc))
    }

    @Test("the undamaged vector the malformed cases are made from verifies")
    func malformedControl() {
        #expect(
            hasher.verify("password", against: "$pbkdf2-sha256$i=1$c2FsdA$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs"))
    }
}
