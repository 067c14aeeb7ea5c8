// Placeholder until the module's issue lands: checks that the module links.
import Testing
import Encoder

@Test func moduleLinks() {
    #expect(EncoderModule.name == "Encoder")
}
