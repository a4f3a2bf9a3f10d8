import Foundation
import GalleryCore

/// Renders a ``Plan`` for people (text, Markdown) and programs (JSON), all from the same value.
public enum PlanReport {
    /// The versioned JSON document (`Docs/report-schema.md`), pretty-printed with sorted keys.
    public static func json(_ plan: Plan) throws -> String {
        try ReportJSON.encode(PlanDocument(plan))
    }

    /// A terminal report: totals, losses, galleries to create by hand, then one line per gallery.
    public static func text(_ plan: Plan) -> String {
        let counts = plan.counts
        var lines = ["Plan: \(plan.source) → \(plan.destination)"]
        lines.append(
            "  galleries: \(counts.galleriesToCreate) to create, \(counts.galleriesToUpdate) to update, "
                + "\(counts.galleriesToCreateByHand) to create by hand"
        )
        let replaced = counts.itemsToReplace > 0 ? " (\(counts.itemsToReplace) to send again)" : ""
        lines.append(
            "  items: \(counts.itemsToUpload) to upload, \(counts.itemsToUpdate) to update\(replaced), "
                + "\(counts.itemsUnchanged) unchanged, \(counts.itemsSkipped) not copied, \(counts.ignored) ignored; "
                + "\(ByteFormat.string(counts.bytesToUpload)) to send"
        )
        lines.append("  orders to set: \(counts.ordersToSet), covers to set: \(counts.coversToSet)")
        if plan.deletesExtras {
            lines.append(
                "  on the destination only: \(counts.itemsToDelete) items to delete, \(counts.extraGalleries) "
                    + "galleries (left alone)")
        } else {
            lines.append(
                "  on the destination only (left alone): \(counts.extraItems) items, \(counts.extraGalleries) galleries"
            )
        }
        if plan.isNoOp { lines.append("  Nothing to do: the destination is up to date.") }
        if !plan.galleryAmbiguities.isEmpty {
            lines.append("")
            lines.append(
                "Ambiguous (\(plan.galleryAmbiguities.count)): say which each is with --match-gallery SOURCE=DEST or "
                    + "--new-gallery SOURCE, or once for all runs in the destination's [NAME.match] table of the remotes file; "
                    + "copy refuses until then")
            for ambiguity in plan.galleryAmbiguities {
                let candidates = ambiguity.candidates.map { "\($0.id) “\($0.title)”" }.joined(separator: ", ")
                lines.append(
                    "  - \(ambiguity.source.id) “\(ambiguity.source.title)”: \(ambiguity.reason); candidates: \(candidates)"
                )
            }
        }
        if !plan.ignored.isEmpty {
            lines.append("")
            lines.append("Ignored at the source (\(plan.ignored.count)): not copied")
            for entry in plan.ignored { lines.append("  - \(entry.path): \(entry.reason)") }
        }
        if plan.deletesExtras, counts.itemsToDelete > 0 {
            lines.append("")
            lines.append("To delete (\(counts.itemsToDelete)): destination-only items of matched galleries")
            for gallery in plan.galleries {
                guard let id = gallery.destinationID else { continue }
                for extra in gallery.extras { lines.append("  - \(id) / \(extra.filename) (\(extra.id))") }
            }
        }
        if !plan.galleriesToCreateByHand.isEmpty {
            lines.append("")
            lines.append(
                "Create these galleries on \(plan.destination) by hand (it cannot create galleries), then plan again:")
            for gallery in plan.galleriesToCreateByHand {
                lines.append("  - “\(gallery.source.title)” (\(gallery.source.itemCount ?? 0) items)")
            }
        }
        if !plan.losses.isEmpty {
            lines.append("")
            lines.append("Losses (\(plan.losses.count)): what \(plan.destination) cannot hold")
            for loss in plan.losses { lines.append("  - " + loss.summary) }
        }
        if !plan.galleries.isEmpty {
            lines.append("")
            lines.append("Galleries:")
            for gallery in plan.galleries { lines.append("  " + line(for: gallery)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown report: the same content as ``text(_:)``, as tables for pull requests and tickets.
    public static func markdown(_ plan: Plan) -> String {
        let counts = plan.counts
        var lines = ["# Migration plan: `\(plan.source)` → `\(plan.destination)`", ""]
        lines += [
            "| | count |", "|---|---:|",
            "| galleries to create | \(counts.galleriesToCreate) |",
            "| galleries to update | \(counts.galleriesToUpdate) |",
            "| galleries to create by hand | \(counts.galleriesToCreateByHand) |",
            "| items to upload | \(counts.itemsToUpload) (\(ByteFormat.string(counts.bytesToUpload))) |",
            "| items to update | \(counts.itemsToUpdate) (\(counts.itemsToReplace) to send again) |",
            "| items unchanged | \(counts.itemsUnchanged) |",
            "| items not copied | \(counts.itemsSkipped) |",
            "| orders to set | \(counts.ordersToSet) |",
            "| covers to set | \(counts.coversToSet) |",
            "| destination-only items (left alone) | \(counts.extraItems) |",
            "| destination-only galleries (left alone) | \(counts.extraGalleries) |",
            "| destination-only items to delete | \(counts.itemsToDelete) |",
            "| ignored at the source | \(counts.ignored) |",
            "| ambiguous galleries | \(counts.galleryAmbiguities) |",
            "| losses | \(counts.losses) |",
            "",
        ]
        if !plan.galleriesToCreateByHand.isEmpty {
            lines.append("## Galleries to create by hand")
            lines.append("")
            lines.append(
                "`\(plan.destination)` cannot create galleries. Create these with the same title, then plan again:")
            lines.append("")
            for gallery in plan.galleriesToCreateByHand { lines.append("- \(escape(gallery.source.title))") }
            lines.append("")
        }
        if !plan.losses.isEmpty {
            lines += ["## Losses", "", "| gallery | item | what is lost | rule |", "|---|---|---|---|"]
            for loss in plan.losses {
                lines.append(
                    "| \(escape(loss.galleryTitle)) | \(escape(loss.filename ?? "")) | \(escape(loss.detail)) | "
                        + "`\(loss.rule.rawValue)`: \(escape(loss.rule.explanation)) |"
                )
            }
            lines.append("")
        }
        if !plan.galleries.isEmpty {
            lines += [
                "## Galleries", "", "| gallery | target | uploads | updates | order | cover |",
                "|---|---|---:|---:|---|---|",
            ]
            for gallery in plan.galleries {
                lines.append(
                    "| \(escape(gallery.source.title)) | \(escape(targetText(gallery))) | \(gallery.uploads.count) | "
                        + "\(gallery.updates.count) | \(gallery.order == nil ? "" : "set") | \(gallery.cover == nil ? "" : "set") |"
                )
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func line(for gallery: GalleryPlan) -> String {
        var parts: [String] = []
        let uploads = gallery.uploads.count
        let updates = gallery.updates.count
        if uploads > 0 { parts.append("\(uploads) to upload") }
        if updates > 0 { parts.append("\(updates) to update") }
        let skipped = gallery.items.filter(\.isSkipped).count
        if skipped > 0 { parts.append("\(skipped) not copied") }
        if gallery.order != nil { parts.append("order") }
        if gallery.cover != nil { parts.append("cover") }
        if gallery.changes != nil { parts.append("metadata") }
        if !gallery.extras.isEmpty { parts.append("\(gallery.extras.count) destination-only") }
        let isNew = if case .existing = gallery.target { false } else { true }
        let detail = parts.isEmpty ? (isNew ? "no items of its own" : "up to date") : parts.joined(separator: ", ")
        return "“\(gallery.source.title)” (\(gallery.source.id)) → \(targetText(gallery)): \(detail)"
    }

    static func targetText(_ gallery: GalleryPlan) -> String {
        switch gallery.target {
        case .create: "new gallery"
        case .createByHand: "create by hand"
        case .existing(let id, let rule): "\(id) (matched by \(rule.rawValue))"
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

/// The project's one JSON style for reports: pretty, sorted keys, no escaped slashes.
public enum ReportJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Human byte counts (decimal units, as file managers show).
public enum ByteFormat {
    public static func string(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
