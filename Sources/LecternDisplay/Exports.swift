// A lecture program imports only LecternDisplay; it sees the numeric core and
// swift-numerics' `Complex` through these re-exports.
@_exported import LecternCore
@_exported import Numerics
@_exported import LecternRecords
