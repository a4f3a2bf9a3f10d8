import Foundation
import GalleryCore

/// A report the user asked to have in a file (`plan --output`).
enum ReportFile {
    /// Writes `text` to `path`, replacing the file whole: a reader never sees half a report.
    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw GalleryError(
                .io, "Cannot write the report to \(path): \(error.localizedDescription)",
                hint: "Check that the folder exists and is writable.")
        }
    }
}
