// Placeholder until the module's issue lands: checks that the module links.
import Testing
import Tokenization

@Test func moduleLinks() {
    #expect(TokenizationModule.name == "Tokenization")
}
