// Placeholder until the module's issue lands: checks that the module links.
import Testing
import WordVectors

@Test func moduleLinks() {
    #expect(WordVectorsModule.name == "WordVectors")
}
