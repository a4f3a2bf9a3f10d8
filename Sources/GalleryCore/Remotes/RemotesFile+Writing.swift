public import Foundation

extension RemotesFile {
    /// Adds a remote to the file at `path`, keeping everything already written there (comments included), and
    /// leaves the file readable by its owner only (0600), since it may hold secrets. The text is parsed again
    /// before it replaces the file, which happens in one rename: a reader never sees half a file.
    public static func append(_ entry: Entry, toFileAt path: String) throws {
        let manager = FileManager.default
        var text = ""
        if manager.fileExists(atPath: path) {
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw GalleryError(
                    .configuration, "Cannot read remotes file \(path): \(error)", hint: "Check its permissions.")
            }
        }
        let existing = try parse(text, path: path)
        if existing.entries[entry.name] != nil {
            throw GalleryError(
                .conflict, "Remote '\(entry.name)' is already in \(path)", backend: entry.name,
                hint: "Choose another name, or edit or remove its [\(entry.name)] table in the file.")
        }
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        if !text.isEmpty { text += "\n" }
        text += render(entry)
        _ = try parse(text, path: path)
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty, !manager.fileExists(atPath: directory) {
                try manager.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let temporary = path + ".tmp-\(getpid())"
            guard
                manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else {
                throw GalleryError(.io, "Cannot write \(temporary)", hint: "Check that \(directory) is writable.")
            }
            if rename(temporary, path) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw GalleryError(
                    .io, "Cannot replace \(path): \(reason)", hint: "Check that \(directory) is writable.")
            }
        } catch let error as GalleryError {
            throw error
        } catch {
            throw GalleryError(
                .io, "Cannot write remotes file \(path): \(error)", hint: "Check the folder's permissions.")
        }
    }

    /// One remote as a TOML table: `type` first, then the options by name.
    public static func render(_ entry: Entry) -> String {
        var lines = ["[\(key(entry.name))]", "type = \(quoted(entry.type))"]
        for name in entry.options.keys.sorted() {
            lines.append("\(key(name)) = \(quoted(entry.options[name]!))")
        }
        if !entry.galleryMatches.isEmpty {
            lines.append("")
            lines.append("[\(key(entry.name)).match]")
            for source in entry.galleryMatches.keys.sorted() {
                lines.append("\(quoted(source)) = \(quoted(entry.galleryMatches[source]!))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A bare key when TOML allows one, else a quoted one.
    static func key(_ name: String) -> String {
        let bare =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            }
        return bare ? name : quoted(name)
    }

    /// A TOML basic string.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
