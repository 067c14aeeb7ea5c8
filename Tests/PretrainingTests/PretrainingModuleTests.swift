// Placeholder until the module's issue lands: checks that the module links.
import Testing
import Pretraining

@Test func moduleLinks() {
    #expect(PretrainingModule.name == "Pretraining")
}
