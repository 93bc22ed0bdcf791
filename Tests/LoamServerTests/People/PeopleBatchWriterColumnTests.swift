import Fluent
import Testing

@testable import LoamServer

/// The batch writer's hand-written column lists carry each column name again; this fails when a model gains,
/// loses or renames a field and the list does not follow, before an import writes a row without it.
@Suite("People batch writer columns")
struct PeopleBatchWriterColumnTests {
    @Test("Each multi-row INSERT names every field of its model, once")
    func columnsMatchTheModels() {
        let lists: [(String, [String], [FieldKey])] = [
            ("people", PeopleBatchWriter.personColumns, Person.keys),
            ("interactions", PeopleBatchWriter.interactionColumns, Interaction.keys),
            ("person_identities", PeopleBatchWriter.identityColumns, PersonIdentity.keys),
        ]
        for (table, columns, keys) in lists {
            #expect(Set(columns).count == columns.count, "\(table) lists a column twice")
            #expect(Set(columns) == Set(keys.map(\.description)), "\(table): the list and the model differ")
        }
    }

    @Test("The contact figures the raw UPDATEs write are fields of Person")
    func contactFigureColumns() {
        let fields = Set(Person.keys.map(\.description))
        #expect(fields.isSuperset(of: ["interaction_count", "first_contact_at", "last_contact_at"]))
        #expect(Set(Interaction.keys.map(\.description)).isSuperset(of: ["person_id", "occurred_at", "search_tokens"]))
    }
}
