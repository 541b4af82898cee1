// Importing LecternDisplay brings in the numeric core, swift-numerics (`Complex`)
// and the display records too, through these re-exports.
@_exported import LecternCore
@_exported import Numerics
@_exported import LecternRecords
