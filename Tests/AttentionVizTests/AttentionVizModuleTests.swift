// Placeholder until the module's issue lands: checks that the module links.
import Testing
import AttentionViz

@Test func moduleLinks() {
    #expect(AttentionVizModule.name == "AttentionViz")
}
