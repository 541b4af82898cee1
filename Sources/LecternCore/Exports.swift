// Cells that `import LecternCore` can name `Complex<Double>` (eigenvalues) and use
// `Double.exp`, `Double.log`, ... from swift-numerics without a second import.
@_exported import Numerics
