import Foundation
import Hummingbird
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A `multipart/form-data` body as Django parses it: text fields (a name may repeat, as `variant_ids` does) and
/// file parts by field name.
///
/// The body is collected (bounded) and split at its boundaries with `memchr` and `memcmp`, so a part's bytes are found and
/// copied whole rather than scanned byte by byte: uploads of many files stay cheap in any build.
struct KonigleMultipart {
    struct File {
        var filename: String
        var contentType: String?
        var bytes: [UInt8]
    }

    private(set) var fields: [(name: String, value: String)] = []
    private(set) var files: [String: File] = [:]

    func value(_ name: String) -> String? { fields.last { $0.name == name }?.value }
    func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// Reads the request body; a body that is not multipart is DRF's 415, a malformed one its 400.
    static func read(_ request: Request, limit: Int = 64 << 20) async throws -> KonigleMultipart {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = HeaderParameter.value("boundary", in: type), !boundary.isEmpty
        else {
            for try await _ in request.body {}
            throw KonigleError(.unsupportedMediaType, detail: "Unsupported media type \"\(type)\" in request.")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            throw KonigleError(.contentTooLarge, detail: "Request body is too large.")
        }
        guard let form = body.withUnsafeReadableBytes({ parse($0, boundary: boundary) }) else {
            throw KonigleError(.badRequest, detail: "Multipart form parse error - Invalid boundary in multipart: None")
        }
        return form
    }

    /// Splits `body` at `--boundary` lines; `nil` when it is not a well-formed multipart body.
    static func parse(_ body: UnsafeRawBufferPointer, boundary: String) -> KonigleMultipart? {
        guard let base = body.baseAddress else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        let headerEnd: [UInt8] = [13, 10, 13, 10]
        // memchr to each candidate first byte, memcmp for the rest: C speed whatever the build.
        func find(_ needle: [UInt8], from offset: Int) -> Int? {
            var offset = offset
            return needle.withUnsafeBytes { needle -> Int? in
                while offset + needle.count <= body.count {
                    guard let hit = memchr(base + offset, Int32(needle[0]), body.count - offset - needle.count + 1)
                    else { return nil }
                    let position = UnsafeRawPointer(hit) - base
                    if memcmp(hit, needle.baseAddress!, needle.count) == 0 { return position }
                    offset = position + 1
                }
                return nil
            }
        }
        func bytes(_ range: Range<Int>) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: body[range])) }

        var form = KonigleMultipart()
        guard var cursor = find(delimiter, from: 0).map({ $0 + delimiter.count }) else { return nil }
        while true {
            guard cursor + 2 <= body.count else { return nil }
            if body[cursor] == 0x2D, body[cursor + 1] == 0x2D { return form }
            guard body[cursor] == 13, body[cursor + 1] == 10, let headersEnd = find(headerEnd, from: cursor + 2),
                let next = find(separator, from: headersEnd + 4)
            else { return nil }
            var headers: [String: String] = [:]
            for line in String(decoding: bytes((cursor + 2)..<headersEnd), as: UTF8.self).split(separator: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            let content = bytes((headersEnd + 4)..<next)
            let disposition = headers["content-disposition"] ?? ""
            if let name = HeaderParameter.value("name", in: disposition) {
                if let filename = HeaderParameter.value("filename", in: disposition) {
                    form.files[name] = File(filename: filename, contentType: headers["content-type"], bytes: content)
                } else {
                    form.fields.append((name, String(decoding: content, as: UTF8.self)))
                }
            }
            cursor = next + separator.count
        }
    }
}
