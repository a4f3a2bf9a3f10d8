import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` body as Django parses it: text fields (a name may repeat, as `variant_ids` does) and
/// file parts by field name.
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

    /// Reads the request body as it streams; a body that is not multipart is DRF's 415.
    static func read(_ request: Request, limit: Int = 64 << 20) async throws -> KonigleMultipart {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = HeaderParameter.value("boundary", in: type)
        else {
            for try await _ in request.body {}
            throw KonigleError(.unsupportedMediaType, detail: "Unsupported media type \"\(type)\" in request.")
        }
        let parser = MultipartParser(boundary: boundary)
        var form = KonigleMultipart()
        var headers: [String: String] = [:]
        var bytes: [UInt8] = []
        var total = 0
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            total += buffer.readableBytes
            buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
        }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            if let name = HeaderParameter.value("name", in: disposition) {
                if let filename = HeaderParameter.value("filename", in: disposition) {
                    form.files[name] = File(filename: filename, contentType: headers["content-type"], bytes: bytes)
                } else {
                    form.fields.append((name, String(decoding: bytes, as: UTF8.self)))
                }
            }
            bytes = []
            headers = [:]
        }
        do {
            for try await buffer in request.body {
                try parser.execute(buffer)
                if total > limit { throw KonigleError(.contentTooLarge, detail: "Request body is too large.") }
            }
        } catch let error as KonigleError {
            throw error
        } catch {
            throw KonigleError(.badRequest, detail: "Multipart form parse error - Invalid boundary in multipart: None")
        }
        return form
    }
}
