import Foundation

/// Writes a Google Takeout-like mbox of a given size: the header section of each message carries what real
/// mail carries (Received and DKIM-Signature lines folded over several lines, display names quoted, RFC 2047
/// encoded or raw UTF-8, Message-ID, In-Reply-To and folded References threads, list headers on bulk mail),
/// and a body of a few kilobytes that sometimes quotes a line beginning with "From " as ">From ".
/// The owner, `ownerAddress`, is one side of every conversation, as in a real export.
struct ImportBenchmarkMbox {
    static let ownerAddress = "bench-owner@bench.example"

    var corpus: ImportBenchmarkCorpus
    var random: SplitMix64
    /// Recent Message-IDs, for replies to point at.
    private var recentIDs: [String] = []
    private var index = 0
    private var clock = 1_546_300_800  // 1 January 2019

    init(corpus: ImportBenchmarkCorpus, seed: UInt64) {
        self.corpus = corpus
        self.random = SplitMix64(seed: seed)
    }

    /// Writes messages until the file holds at least `bytes`; returns how many messages it wrote.
    static func write(path: String, bytes: Int64, corpus: ImportBenchmarkCorpus, seed: UInt64) throws -> Int {
        let writer = try BenchmarkFileWriter(path: path)
        var generator = ImportBenchmarkMbox(corpus: corpus, seed: seed)
        while writer.bytesWritten < bytes {
            try writer.write(generator.nextMessage())
        }
        try writer.close()
        return generator.index
    }

    mutating func nextMessage() -> String {
        index += 1
        clock += 60 + random.below(3600)
        let offset = random.pick([-480, -300, -240, 0, 60, 120, 330, 540])
        let isBulk = random.chance(15)
        let isSent = !isBulk && random.chance(30)
        let domain = random.pick(corpus.domains)
        let messageID =
            "\(String(random.next(), radix: 36)).\(index)@\(isBulk ? "mail.bulk.example" : "mail.\(domain)")"

        let fromPerson = random.pick(corpus.people)
        let fromAddress = isBulk ? random.pick(corpus.bulkSenders) : isSent ? Self.ownerAddress : fromPerson.address
        // Most senders write to people they know; one in ten is someone new, as mailboxes keep growing.
        let newcomer = !isBulk && !isSent && random.chance(10)
        let fromHeader: String
        if isBulk {
            fromHeader = "\"\(fromAddress.split(separator: "@")[1]) updates\" <\(fromAddress)>"
        } else if isSent {
            fromHeader = "Bench Owner <\(Self.ownerAddress)>"
        } else if newcomer {
            fromHeader = "\(Self.display(fromPerson, &random)) <newcomer\(index)@\(domain)>"
        } else {
            fromHeader = "\(Self.display(fromPerson, &random)) <\(fromPerson.address)>"
        }

        var message = "From "
        if random.chance(50) {
            // Google Takeout writes the thread id and the date with a zone.
            message +=
                "\(1_700_000_000_000_000_000 + index)@xxx \(BenchmarkDate.asctime(clock).dropLast(5)) +0000 "
                + "\(BenchmarkDate(secondsSince1970: clock).year)\n"
            message += "X-GM-THRID: \(1_700_000_000_000_000_000 + random.below(1_000_000_000))\n"
            message +=
                "X-Gmail-Labels: \(random.pick(["Inbox", "Inbox,Important,Opened", "Sent,Opened", "Archived", "Category Updates,Inbox"]))\n"
        } else {
            message += "\(fromAddress) \(BenchmarkDate.asctime(clock))\n"
        }
        let date = BenchmarkDate.rfc5322(clock, offsetMinutes: offset)
        message += "Delivered-To: \(Self.ownerAddress)\n"
        message +=
            "Received: from mail-\(random.below(99)).\(domain) (mail-\(random.below(99)).\(domain) [203.0.113.\(random.below(255))])\n"
        message += "        by mx.bench.example with ESMTPS id \(String(random.next(), radix: 36))\n"
        message += "        for <\(Self.ownerAddress)>; \(date)\n"
        message += "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=\(domain); s=20230601;\n"
        message +=
            "        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;\n"
        message += "        bh=\(Self.base64(&random, bytes: 32));\n"
        for _ in 0..<3 { message += "        b=\(Self.base64(&random, bytes: 48))\n" }
        message += "MIME-Version: 1.0\n"
        message += "Date: \(date)\n"
        message += "Message-ID: <\(messageID)>\n"
        message += "From: \(fromHeader)\n"

        let recipients = isSent || isBulk ? 1 + random.below(4) : 1 + random.below(3)
        var to: [String] = []
        if !isSent { to.append(random.chance(50) ? "Bench Owner <\(Self.ownerAddress)>" : Self.ownerAddress) }
        while to.count < recipients {
            let person = random.pick(corpus.people)
            to.append("\(Self.display(person, &random)) <\(person.address)>")
        }
        message += "To: " + to.joined(separator: ",\n ") + "\n"
        if random.chance(30) {
            let cc = (0..<(1 + random.below(3))).map { _ in
                let person = random.pick(corpus.people)
                return "\(Self.display(person, &random)) <\(person.address)>"
            }
            message += "Cc: " + cc.joined(separator: ", ") + "\n"
        }
        message += "Subject: \(subject())\n"
        if !isBulk, !recentIDs.isEmpty, random.chance(40) {
            let thread = (0..<(1 + random.below(min(6, recentIDs.count)))).map { _ in "<\(random.pick(recentIDs))>" }
            message += "In-Reply-To: \(thread[thread.count - 1])\n"
            message += "References: " + thread.joined(separator: "\n ") + "\n"
        }
        if isBulk {
            let list = fromAddress.split(separator: "@")[1]
            message += "List-Id: \"\(list) announcements\" <announce.\(list)>\n"
            message +=
                "List-Unsubscribe: <mailto:unsubscribe@\(list)?subject=unsubscribe>, <https://\(list)/u/\(index)>\n"
            message += "Precedence: bulk\n"
        }
        message += "Content-Type: text/plain; charset=\"UTF-8\"\n"
        message += "Content-Transfer-Encoding: 8bit\n\n"
        message += body()
        message += "\n"

        if !isBulk {
            recentIDs.append(messageID)
            if recentIDs.count > 64 { recentIDs.removeFirst() }
        }
        return message
    }

    /// How clients write a name: bare, quoted because of a comma, RFC 2047 Q or B, or raw UTF-8 (8-bit headers).
    private static func display(_ person: ImportBenchmarkCorpus.Person, _ random: inout SplitMix64) -> String {
        if random.chance(20) { return "\"\(person.last), \(person.first)\"" }
        if person.isASCII { return person.name.contains("'") ? "\"\(person.name)\"" : person.name }
        switch random.below(10) {
        case 0..<5: return BenchmarkEncoding.qWord(person.name)
        case 5..<8: return BenchmarkEncoding.bWord(person.name)
        default: return "\"\(person.name)\""
        }
    }

    private mutating func subject() -> String {
        let subject =
            random.pick(corpus.subjects)
            + (random.chance(10) ? " – \(random.pick(["résumé", "Grüße", "café", "日程"]))" : "")
        let prefixed = random.chance(30) ? "Re: " + subject : subject
        if !subject.unicodeScalars.allSatisfy(\.isASCII) {
            // Clients split long encoded subjects into adjacent words on folded lines.
            let words = prefixed.split(separator: " ").map(String.init)
            let half = words.count / 2
            return BenchmarkEncoding.qWord(words[..<half].joined(separator: " ") + " ") + "\n "
                + BenchmarkEncoding.qWord(words[half...].joined(separator: " "))
        }
        if prefixed.count > 60, let space = prefixed.dropFirst(40).firstIndex(of: " ") {
            return prefixed[..<space] + "\n" + prefixed[space...]
        }
        return prefixed
    }

    /// Two to six kilobytes of text; one message in twenty quotes a line starting with "From", as mbox must.
    private mutating func body() -> String {
        let target = 2000 + random.below(4000)
        var body = ""
        var quoted = random.chance(5)
        while body.utf8.count < target {
            if quoted, random.chance(10) {
                body += ">From the notes of our last call, here is what we agreed.\n"
                quoted = false
            } else if random.chance(4) {
                body += "\n"
            } else {
                // The writer's own quoting, as every mbox writer does: a body line may not start with "From ".
                let line = random.pick(corpus.lines)
                body += (line.hasPrefix("From ") ? ">" + line : line) + "\n"
            }
        }
        if quoted { body += "\n>From now on, the weekly call moves to Tuesday.\n" }
        return body
    }

    private static func base64(_ random: inout SplitMix64, bytes: Int) -> String {
        var data = Data(capacity: bytes + 8)
        while data.count < bytes {
            withUnsafeBytes(of: random.next()) { data.append(contentsOf: $0) }
        }
        return data.prefix(bytes).base64EncodedString()
    }
}
