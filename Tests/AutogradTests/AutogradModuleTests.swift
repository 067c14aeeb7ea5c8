// Placeholder until the module's issue lands: checks that the module links.
import Testing
import Autograd

@Test func moduleLinks() {
    #expect(AutogradModule.name == "Autograd")
}
