// NeuralNetwork: see README.md in this folder. This file names the module until its issue lands.
// Not handled: everything; the module is being built.

/// The module's name, for diagnostics.
public enum NeuralNetworkModule {
    public static let name = "NeuralNetwork"
}
