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
    private var emailGroups: [String?] = []
    private var phoneGroups: [String?] = []
    private var urlGroups: [String?] = []

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
            if value.lowercased().hasPrefix("mailto:") { value = String(value.dropFirst(7)) }
            record.emails.append(VCardValue(value: value, label: property.typeLabel))
            emailGroups.append(property.group)
        case "TEL":
            guard var value = text(property) else { return }
            if value.lowercased().hasPrefix("tel:") { value = String(value.dropFirst(4)) }
            record.phones.append(VCardValue(value: value, label: property.typeLabel))
            phoneGroups.append(property.group)
        case "URL":
            guard let value = text(property) else { return }
            record.urls.append(VCardValue(value: value, label: property.typeLabel))
            urlGroups.append(property.group)
        case "ORG":
            if record.organization == nil {
                let parts = VCardText.splitUnescaped(property.rawText, on: ";")
                record.organization = parts.lazy.compactMap { VCardText.clean(VCardText.unescape($0)) }.first
            }
        case "TITLE":
            if record.title == nil { record.title = text(property) }
        case "BDAY":
            guard record.birthday == nil else { return }
            let omitYear = property.parameters.first { $0.name == "X-APPLE-OMIT-YEAR" }.flatMap { Int($0.value) }
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

    private func text(_ property: VCardProperty) -> String? {
        VCardText.clean(VCardText.unescape(property.rawText))
    }

    /// `_$!<Mobile>!$_` → `mobile`; a label the person typed stays as typed.
    static func appleLabel(_ raw: String) -> String? {
        guard let label = VCardText.clean(VCardText.unescape(raw)) else { return nil }
        if label.hasPrefix("_$!<"), label.hasSuffix(">!$_"), label.count > 8 {
            return String(label.dropFirst(4).dropLast(4)).lowercased()
        }
        return label
    }

    func build() -> VCardRecord {
        var record = record
        func relabel(_ values: inout [VCardValue], _ groups: [String?]) {
            for (index, group) in groups.enumerated() {
                if let group, let label = groupLabels[group] { values[index].label = label }
            }
        }
        relabel(&record.emails, emailGroups)
        relabel(&record.phones, phoneGroups)
        relabel(&record.urls, urlGroups)
        return record
    }
}
