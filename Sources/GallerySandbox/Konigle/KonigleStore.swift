import Crypto
import Foundation
import Hummingbird

/// The Konigle emulator's state: assets, uploads, products and their images, and the stored files. One actor,
/// so every request sees a consistent state; answers are rendered inside it.
///
/// With a data directory the rows (and the signing key) persist in `state.json` after every change and the files
/// under `files/`, so a restarted emulator serves the same site, pending cloud uploads included.
actor KonigleStore {
    let options: KonigleEmulator.Options
    var assets: [String: KonigleAsset] = [:] { didSet { save() } }
    var uploads: [String: KonigleUpload] = [:] { didSet { save() } }
    var products: [String: KonigleProduct] = [:] { didSet { save() } }
    var productImages: [String: KonigleProductImage] = [:] { didSet { save() } }
    /// File bytes by storage key, when there is no file directory.
    private var files: [String: [UInt8]] = [:]
    private var sequence = 0 { didSet { save() } }
    /// Signs the storage URLs of cloud uploads.
    private let signingKey: SymmetricKey
    private let stateFile: URL?

    /// What `state.json` holds.
    private struct Saved: Codable {
        var assets: [String: KonigleAsset]
        var uploads: [String: KonigleUpload]
        var products: [String: KonigleProduct]
        var productImages: [String: KonigleProductImage]
        var sequence: Int
        var signingKey: Data
    }

    init(options: KonigleEmulator.Options) throws {
        var options = options
        if let data = options.dataDirectory {
            let folder = URL(fileURLWithPath: data, isDirectory: true)
            try PrivateFiles.createFolder(folder)
            try PrivateFiles.createFolder(folder.appendingPathComponent("files"))
            options.fileDirectory = folder.appendingPathComponent("files").path
            stateFile = folder.appendingPathComponent("state.json")
        } else {
            stateFile = nil
        }
        self.options = options
        if let directory = options.fileDirectory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        if let stateFile, let data = try? Data(contentsOf: stateFile) {
            let saved = try JSONDecoder().decode(Saved.self, from: data)
            (assets, uploads, products, productImages) = (
                saved.assets, saved.uploads, saved.products, saved.productImages
            )
            sequence = saved.sequence
            signingKey = SymmetricKey(data: saved.signingKey)
        } else {
            signingKey = SymmetricKey(size: .bits256)
        }
    }

    private func save() {
        guard let stateFile else { return }
        let saved = Saved(
            assets: assets, uploads: uploads, products: products, productImages: productImages, sequence: sequence,
            signingKey: signingKey.withUnsafeBytes { Data($0) })
        if let data = try? JSONEncoder().encode(saved) { try? PrivateFiles.write(data, to: stateFile) }
    }

    func nextSequence() -> Int {
        sequence += 1
        return sequence
    }

    // MARK: - Auth

    /// `Authorization: Token <key>`; the read-only key may only read.
    nonisolated func authenticate(_ header: String?, write: Bool) throws {
        guard let header, !header.isEmpty else {
            throw KonigleError.unauthenticated("Authentication credentials were not provided.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0] == "Token" else {
            throw KonigleError.unauthenticated("Authentication credentials were not provided.")
        }
        let key = String(parts[1]).trimmingCharacters(in: .whitespaces)
        if key == options.apiKey { return }
        if let readOnly = options.readOnlyKey, key == readOnly {
            if write { throw KonigleError.forbidden }
            return
        }
        throw KonigleError.unauthenticated("Invalid token.")
    }

    // MARK: - Files

    func storeFile(_ key: String, _ bytes: [UInt8]) throws {
        if let directory = options.fileDirectory {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(Self.diskName(key))
            try Data(bytes).write(to: url)
        } else {
            files[key] = bytes
        }
    }

    func file(_ key: String) -> [UInt8]? {
        if let directory = options.fileDirectory {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(Self.diskName(key))
            return (try? Data(contentsOf: url)).map { Array($0) }
        }
        return files[key]
    }

    func hasFile(_ key: String) -> Bool {
        if let directory = options.fileDirectory {
            return FileManager.default.fileExists(
                atPath: URL(fileURLWithPath: directory).appendingPathComponent(Self.diskName(key)).path)
        }
        return files[key] != nil
    }

    func removeFile(_ key: String) {
        if let directory = options.fileDirectory {
            try? FileManager.default.removeItem(
                at: URL(fileURLWithPath: directory).appendingPathComponent(Self.diskName(key)))
        } else {
            files[key] = nil
        }
    }

    /// A flat file name for a storage key (its digest), so keys never make folders or escape the directory.
    private static func diskName(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func mediaURL(origin: String, key: String) -> String { "\(origin)\(KonigleEmulator.mediaPath)/\(key)" }

    // MARK: - Cloud upload signatures

    func signature(path: String, expires: Int, mimeType: String) -> String {
        let message = Data("PUT\n\(path)\n\(expires)\n\(mimeType)".utf8)
        return HMAC<SHA256>.authenticationCode(for: message, using: signingKey).map { String(format: "%02x", $0) }
            .joined()
    }

    // MARK: - Paging

    /// One page of `rows` in the `{count, next, previous, num_pages, current_page, page_size, payload}` envelope,
    /// with absolute `next`/`previous` URLs; a page past the end is DRF's 404 "Invalid page.".
    static func page<Row>(
        _ rows: [Row], request: Request, origin: String, defaultSize: Int = 20, render: (Row) -> [String: Any]
    ) throws -> Response {
        let query = request.uri.queryParameters
        let size = min(200, max(1, query["page_size"].flatMap { Int(String($0)) } ?? defaultSize))
        let pages = max(1, (rows.count + size - 1) / size)
        guard let page = Int(String(query["page"] ?? "1")), page >= 1, page <= pages else {
            throw KonigleError.invalidPage
        }
        let slice = rows.dropFirst((page - 1) * size).prefix(size)
        func link(_ number: Int) -> String {
            var components = URLComponents(string: origin + request.uri.path) ?? URLComponents()
            var items = URLComponents(string: "http://x/?" + (request.uri.query ?? ""))?.queryItems ?? []
            items.removeAll { $0.name == "page" }
            items.insert(URLQueryItem(name: "page", value: String(number)), at: 0)
            components.queryItems = items
            return components.string ?? ""
        }
        return KonigleJSON.response(
            .ok,
            [
                "count": rows.count, "next": page < pages ? link(page + 1) : NSNull(),
                "previous": page > 1 ? link(page - 1) : NSNull(), "num_pages": pages, "current_page": page,
                "page_size": size, "payload": slice.map(render),
            ] as [String: Any])
    }
}
