LecternSearch.course([
{"slug":"rnn-dynamics","title":"Sequences and the vanilla RNN as a dynamical system"},
{"slug":"bptt","title":"Backpropagation through time and the gradient problem"},
{"slug":"eigenvalues","title":"Eigenvalues and the spectral view"},
{"slug":"orthogonal","title":"Orthogonal matrices and initialisation"},
{"slug":"clipping","title":"Gradient clipping and regularisation"},
{"slug":"memory","title":"Truncated BPTT, forward sensitivity and memory"},
{"slug":"temporal-order","title":"The temporal-order experiment"}
]);
