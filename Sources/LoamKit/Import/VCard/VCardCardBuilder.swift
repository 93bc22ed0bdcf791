import Foundation

/// Gathers one card's properties; `itemN.` labels are joined to their values at the end, since Apple writes
/// `itemN.X-ABLabel` after the value it names but nothing requires that order. A class, so the reader changes the
/// open card in place: moving a struct this size in and out of an optional for every line was a tenth of the time.
final class CardBuilder {
    let line: Int
    var record: VCardRecord
    /// Set after a 2.1 `AGENT:` with an empty value, whose card follows as a nested BEGIN:VCARD … END:VCARD.
    var agentPending = false
    private var groupLabels: [String: String] = [:]
    /// The values that belong to an `itemN.` group, to be relabelled at the end: most have none, so one list of
    /// those only rather than a group (or nil) per value.
    private var groupedValues: [(field: ValueField, index: Int, group: String)] = []

    private enum ValueField { case email, phone, url }

    init(line: Int) {
        self.line = line
        self.record = VCardRecord(line: line)
    }

    func apply(_ property: VCardProperty) {
        agentPending = false
        switch property.name {
        case "VERSION":
            record.version = VCardText.clean(property.rawText)
        case "FN":
            if record.formattedName == nil { record.formattedName = text(property) }
        case "N":
            guard record.givenName == nil, record.familyName == nil else { return }
            let parts = VCardText.splitUnescaped(property.rawText, on: ";")
            record.familyName = VCardText.clean(VCardText.unescape(parts[0]))
            if parts.count > 1 { record.givenName = VCardText.clean(VCardText.unescape(parts[1])) }
        case "NICKNAME":
            guard record.nickname == nil else { return }
            let names = VCardText.splitUnescaped(property.rawText, on: ",").compactMap {
                VCardText.clean(VCardText.unescape($0))
            }
            record.nickname = names.isEmpty ? nil : names.joined(separator: ", ")
        case "EMAIL":
            guard var value = text(property) else { return }
            if Self.hasPrefix(value, "mailto:") { value = String(value.dropFirst(7)) }
            noteGroup(property.group, .email, record.emails.count)
            record.emails.append(VCardValue(value: value, label: property.typeLabel))
        case "TEL":
            guard var value = text(property) else { return }
            if Self.hasPrefix(value, "tel:") { value = String(value.dropFirst(4)) }
            noteGroup(property.group, .phone, record.phones.count)
            record.phones.append(VCardValue(value: value, label: property.typeLabel))
        case "URL":
            guard let value = text(property) else { return }
            noteGroup(property.group, .url, record.urls.count)
            record.urls.append(VCardValue(value: value, label: property.typeLabel))
        case "ORG":
            if record.organization == nil {
                let parts = VCardText.splitUnescaped(property.rawText, on: ";")
                record.organization = parts.lazy.compactMap { VCardText.clean(VCardText.unescape($0)) }.first
            }
        case "TITLE":
            if record.title == nil { record.title = text(property) }
        case "BDAY":
            guard record.birthday == nil else { return }
            let omitYear = property.parameters.first("X-APPLE-OMIT-YEAR").flatMap { Int($0) }
            record.birthday = VCardBirthday(vCardValue: property.rawText, omitYear: omitYear)
        case "NOTE":
            guard let note = text(property) else { return }
            record.note = record.note.map { $0 + "\n" + note } ?? note
        case "UID":
            if record.uid == nil { record.uid = text(property) }
        case "X-ABLABEL":
            if let group = property.group, let label = Self.appleLabel(property.rawText) { groupLabels[group] = label }
        case "AGENT":
            agentPending = VCardText.clean(String(decoding: property.value, as: UTF8.self)) == nil
        default:
            break
        }
    }

    private func noteGroup(_ group: String?, _ field: ValueField, _ index: Int) {
        if let group { groupedValues.append((field, index, group)) }
    }

    /// `value.lowercased().hasPrefix(prefix)` (a lower-case ASCII prefix), on bytes unless the byte after the
    /// prefix is not ASCII (a combining mark would make the prefix's last Character another one).
    private static func hasPrefix(_ value: String, _ prefix: StaticString) -> Bool {
        switch VCardBytes.hasPrefixIgnoringCase(value.utf8, prefix) {
        case .yes: true
        case .no: false
        case .undecided: value.lowercased().hasPrefix(prefix.description)
        }
    }

    private func text(_ property: VCardProperty) -> String? {
        VCardText.clean(VCardText.unescape(property.rawText))
    }

    /// `_$!<Mobile>!$_` → `mobile`; a label the person typed stays as typed.
    static func appleLabel(_ raw: String) -> String? {
        guard let label = VCardText.clean(VCardText.unescape(raw)) else { return nil }
        // An ASCII label (Apple's own always are) is one Character per byte, so its affixes can be read on bytes.
        if VCardBytes.isASCII(label.utf8) {
            let bytes = Array(label.utf8)[...]
            guard bytes.count > 8, bytes.starts(with: "_$!<".utf8), bytes.suffix(4).elementsEqual(">!$_".utf8) else {
                return label
            }
            return VCardBytes.string(bytes.dropFirst(4).dropLast(4), mapping: VCardBytes.lowercased)
        }
        if label.hasPrefix("_$!<"), label.hasSuffix(">!$_"), label.count > 8 {
            return String(label.dropFirst(4).dropLast(4)).lowercased()
        }
        return label
    }

    func build() -> VCardRecord {
        var record = record
        for (field, index, group) in groupedValues {
            guard let label = groupLabels[group] else { continue }
            switch field {
            case .email: record.emails[index].label = label
            case .phone: record.phones[index].label = label
            case .url: record.urls[index].label = label
            }
        }
        return record
    }
}
