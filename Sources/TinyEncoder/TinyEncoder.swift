// TinyEncoder: the umbrella module. `import TinyEncoder` gives every public module at once.
// Not handled: nothing of its own; it only re-exports.

@_exported import Autograd
@_exported import AttentionViz
@_exported import Encoder
@_exported import Evaluation
@_exported import NeuralNetwork
@_exported import Pretraining
@_exported import StaticVectorInitialization
@_exported import TensorCore
@_exported import TextInput
@_exported import Tokenization
@_exported import WordVectors
