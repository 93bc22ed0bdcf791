import Foundation
import LoamKit
import Testing

@Suite("Link secrets")
struct LinkSecretTests {
    @Test("The same record gives the same secret; another id, nonce, purpose or key does not match")
    func derivedAndBound() {
        let key = DataKey.generate()
        let secrets = LinkSecret(dataKey: key)
        let secret = secrets.secret(purpose: "invitation", id: "a1", nonce: "n1")
        #expect(secret.utf8.count == 43)
        #expect(
            LinkSecret(dataKey: key).secret(purpose: "invitation", id: "a1", nonce: "n1") == secret,
            "derived, so shown again")
        #expect(secrets.matches(secret, purpose: "invitation", id: "a1", nonce: "n1"))
        #expect(!secrets.matches(secret, purpose: "invitation", id: "a2", nonce: "n1"))
        #expect(!secrets.matches(secret, purpose: "invitation", id: "a1", nonce: "n2"), "a new nonce retires old links")
        #expect(!secrets.matches(secret, purpose: "reset", id: "a1", nonce: "n1"))
        #expect(!LinkSecret(dataKey: .generate()).matches(secret, purpose: "invitation", id: "a1", nonce: "n1"))
        #expect(
            !secrets.matches(
                String(secret.dropLast()) + (secret.hasSuffix("A") ? "B" : "A"), purpose: "invitation", id: "a1",
                nonce: "n1"))
        #expect(!secrets.matches("not base64!", purpose: "invitation", id: "a1", nonce: "n1"))
        // Every other spelling of the last character, including ones that differ only in base64's spare bits.
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        for character in alphabet where character != secret.last {
            #expect(
                !secrets.matches(
                    String(secret.dropLast()) + String(character), purpose: "invitation", id: "a1", nonce: "n1"))
        }
    }
}
