// Placeholder until the module's issue lands: checks that the module links.
import Testing
import NeuralNetwork

@Test func moduleLinks() {
    #expect(NeuralNetworkModule.name == "NeuralNetwork")
}
