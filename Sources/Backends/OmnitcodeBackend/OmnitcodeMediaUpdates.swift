import GalleryCore
import Logging

/// Whether the site has `PATCH /media/{id}`, the inferred route alt text is written through, asked once.
actor OmnitcodeMediaUpdates {
    private var known: Bool?

    func canWriteAltText(probe: () async throws -> Bool) async throws -> Bool {
        if let known { return known }
        let answer = try await probe()
        known = answer
        return answer
    }

    /// Remembers that a write found the route missing.
    func markMissing() { known = false }
}

extension OmnitcodeBackend {
    /// `PATCH /media/{nil uuid}`: 404 "Media not found" means the route exists (and changes nothing); 405 means
    /// the deployment has no such route, and 403 that this account may not use it. Either way alt text cannot be
    /// written, and the plan reports it as a loss instead of each upload failing after its bytes were stored.
    func probeMediaUpdate() async throws -> Bool {
        do {
            try await sendDiscarding(
                "PATCH", "/api/v1/media/00000000-0000-0000-0000-000000000000", body: ["alt_text": .null])
            return true
        } catch let error as GalleryError {
            switch error.httpStatus {
            case 404, 422: return true
            case 405, 403:
                logger.info(
                    "alt text cannot be written: PATCH /api/v1/media answered HTTP \(error.httpStatus ?? 0)",
                    metadata: ["backend": "\(name)"])
                return false
            default: throw error
            }
        }
    }

    /// Sets a media's alt text; a missing route (405) is an unsupported capability, remembered for the run.
    func writeAltText(_ altText: String?, media: String, gallery: GalleryID) async throws {
        do {
            try await sendDiscarding(
                "PATCH", "/api/v1/media/\(media)", body: ["alt_text": altText.map(JSONValue.string) ?? .null])
        } catch let error as GalleryError where error.httpStatus == 405 {
            await mediaUpdates.markMissing()
            var unsupported = GalleryError.unsupported(.altText, backend: name, gallery: gallery.rawValue)
            unsupported.hint =
                "This Omnitcode deployment has no PATCH /api/v1/media/{id}: alt text cannot be stored. "
                + "Run the plan again: it lists alt text as a loss, which --accept-losses accepts."
            throw unsupported
        }
    }
}
