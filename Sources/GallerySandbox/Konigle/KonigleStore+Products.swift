import Foundation
import Hummingbird

extension KonigleStore {
    // MARK: - Products

    func productJSON(_ product: KonigleProduct, origin: String) -> [String: Any] {
        var image: Any = NSNull()
        if let uid = product.image {
            switch options.productImageField {
            case .reference:
                let url = productImages[uid].map { Self.mediaURL(origin: origin, key: $0.fileKey) }
                image = ["uid": uid, "url": url ?? NSNull()] as [String: Any]
            case .uid:
                image = uid
            }
        }
        return [
            "uid": product.uid, "title": product.title, "handle": product.handle, "status": product.status,
            "product_type": product.productType, "vendor": product.vendor, "tags": product.tags,
            "has_variants": false, "image": image, "content": [String: Any](), "options": [Any](),
            "seo_meta": ["description": ""], "variants": [Any](),
            "created_at": KonigleRecords.timestamp(product.created),
            "updated_at": KonigleRecords.timestamp(product.updated),
        ]
    }

    func createProduct(_ body: [String: Any], origin: String) throws -> Response {
        let title = body["title"] as? String ?? ""
        guard !title.isEmpty, title.count <= 255 else {
            throw KonigleError.fields(
                [
                    "title": [
                        title.isEmpty ? "This field is required." : "Ensure this field has no more than 255 characters."
                    ]
                ])
        }
        let status = body["status"] as? String ?? "draft"
        guard ["active", "archived", "draft"].contains(status) else {
            throw KonigleError.fields(["status": ["\"\(status)\" is not a valid choice."]])
        }
        let now = Date()
        let product = KonigleProduct(
            uid: KonigleRecords.newID(), title: title, handle: uniqueHandle(for: title), status: status,
            productType: body["product_type"] as? String ?? "", vendor: body["vendor"] as? String ?? "",
            tags: body["tags"] as? String ?? "", image: nil, created: now, updated: now, sequence: nextSequence())
        products[product.uid] = product
        return KonigleJSON.response(.created, productJSON(product, origin: origin))
    }

    func product(_ uid: String, origin: String) throws -> Response {
        guard let product = products[uid] else { throw KonigleError.notFound }
        return KonigleJSON.response(.ok, productJSON(product, origin: origin))
    }

    func listProducts(_ request: Request, origin: String) throws -> Response {
        let rows = products.values.sorted { $0.sequence < $1.sequence }
        return try Self.page(rows, request: request, origin: origin) { productJSON($0, origin: origin) }
    }

    /// `PATCH /products/{uid}`: `title`, `status`, `tags`, `product_type`, `vendor`, and `image` (the uid of one
    /// of its own images, or null) which is the main image.
    func updateProduct(_ uid: String, _ body: [String: Any], origin: String) throws -> Response {
        guard var product = products[uid] else { throw KonigleError.notFound }
        if let title = body["title"] as? String {
            guard !title.isEmpty, title.count <= 255 else {
                throw KonigleError.fields(["title": ["Ensure this field has no more than 255 characters."]])
            }
            product.title = title
        }
        if let status = body["status"] as? String {
            guard ["active", "archived", "draft"].contains(status) else {
                throw KonigleError.fields(["status": ["\"\(status)\" is not a valid choice."]])
            }
            product.status = status
        }
        if let tags = body["tags"] as? String { product.tags = tags }
        if let type = body["product_type"] as? String { product.productType = type }
        if let vendor = body["vendor"] as? String { product.vendor = vendor }
        if let image = body["image"] {
            if image is NSNull {
                product.image = nil
            } else if let image = image as? String, productImages[image]?.product == uid {
                product.image = image
            } else {
                throw KonigleError.fields(["image": ["Invalid pk \"\(image)\" - object does not exist."]])
            }
        }
        product.updated = Date()
        products[uid] = product
        return KonigleJSON.response(.ok, productJSON(product, origin: origin))
    }

    /// Deletes the product and its images.
    func deleteProduct(_ uid: String) throws {
        guard products.removeValue(forKey: uid) != nil else { throw KonigleError.notFound }
        for image in productImages.values where image.product == uid {
            productImages[image.uid] = nil
            removeFile(image.fileKey)
        }
    }

    private func uniqueHandle(for title: String) -> String {
        var base = ""
        for scalar in title.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar), scalar.isASCII {
                base.unicodeScalars.append(scalar)
            } else if !base.isEmpty, !base.hasSuffix("-") {
                base += "-"
            }
        }
        while base.hasSuffix("-") { base.removeLast() }
        if base.isEmpty { base = "product" }
        let taken = Set(products.values.map(\.handle))
        var handle = base
        var number = 1
        while taken.contains(handle) {
            number += 1
            handle = "\(base)-\(number)"
        }
        return handle
    }

    // MARK: - Product images

    /// `POST /product-images`: `product`, `alt`, `variant_ids` (repeated), `position` (from 1), `src`, and the
    /// file under `file`. With contiguous positions, an image placed at *p* moves the others down.
    func createProductImage(_ form: KonigleMultipart, origin: String) throws -> Response {
        var errors: [String: [String]] = [:]
        let productID = form.value("product") ?? ""
        if productID.isEmpty {
            errors["product"] = ["This field is required."]
        } else if products[productID] == nil {
            errors["product"] = ["Invalid pk \"\(productID)\" - object does not exist."]
        }
        let position = Int(form.value("position") ?? "1")
        if position == nil || position! < 1 {
            errors["position"] = ["Ensure this value is greater than or equal to 1."]
        }
        let file = form.files["file"]
        let info = file.flatMap { KonigleImageInfo.read($0.bytes) }
        if file == nil {
            errors["file"] = ["No file was submitted."]
        } else if info == nil {
            errors["file"] = [
                "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
            ]
        }
        guard errors.isEmpty, let file, let info, let position else { throw KonigleError.fields(errors) }
        let uid = KonigleRecords.newID()
        let filename = KonigleRecords.storedFilename(file.filename, mimeType: info.mimeType)
        let key = "products/\(productID)/\(uid)/\(KonigleRecords.pathSegment(filename))"
        try storeFile(key, file.bytes)
        let now = Date()
        var image = KonigleProductImage(
            uid: uid, product: productID, alt: form.value("alt") ?? "", variantIDs: form.values("variant_ids"),
            position: position, width: info.width, height: info.height, src: form.value("src"),
            size: file.bytes.count, fileKey: key, created: now, updated: now, sequence: nextSequence())
        if options.positions == .contiguous {
            let count = productImages.values.filter { $0.product == productID }.count
            image.position = min(position, count + 1)
            shift(product: productID, from: image.position, by: 1)
        }
        productImages[uid] = image
        return KonigleJSON.response(.created, image.json(origin: origin))
    }

    func productImage(_ uid: String, origin: String) throws -> Response {
        guard let image = productImages[uid] else { throw KonigleError.notFound }
        return KonigleJSON.response(.ok, image.json(origin: origin))
    }

    /// `GET /product-images?product_id=&ordering=`: `position` (the default), `created_at`, `updated_at`, each
    /// also descending.
    func listProductImages(_ request: Request, origin: String) throws -> Response {
        let query = request.uri.queryParameters
        var rows = Array(productImages.values)
        if let product = query["product_id"].map(String.init), !product.isEmpty {
            rows = rows.filter { $0.product == product }
        }
        let ordering = query["ordering"].map(String.init) ?? "position"
        let keys = ["position", "created_at", "updated_at"]
        let key = ordering.hasPrefix("-") ? String(ordering.dropFirst()) : ordering
        guard keys.contains(key) else {
            throw KonigleError.fields(["ordering": ["Select a valid choice. \(ordering) is not one of the choices."]])
        }
        rows.sort { lhs, rhs in
            let ascending: Bool
            switch key {
            case "position" where lhs.position != rhs.position: ascending = lhs.position < rhs.position
            case "updated_at" where lhs.updated != rhs.updated: ascending = lhs.updated < rhs.updated
            default: ascending = lhs.sequence < rhs.sequence
            }
            return ordering.hasPrefix("-") ? !ascending : ascending
        }
        return try Self.page(rows, request: request, origin: origin) { $0.json(origin: origin) }
    }

    /// `PATCH /product-images/{uid}`: `position` (≥ 1), `alt`, `variant_ids`; never the file.
    func updateProductImage(_ uid: String, _ body: [String: Any], origin: String) throws -> Response {
        guard var image = productImages[uid] else { throw KonigleError.notFound }
        if let value = body["position"] {
            guard let position = (value as? NSNumber)?.intValue, !"\(type(of: value))".contains("Bool"), position >= 1
            else {
                throw KonigleError.fields(["position": ["Ensure this value is greater than or equal to 1."]])
            }
            if options.positions == .contiguous {
                let count = productImages.values.filter { $0.product == image.product }.count
                let target = min(position, count)
                shift(product: image.product, from: image.position + 1, by: -1)
                shift(product: image.product, from: target, by: 1, except: uid)
                image.position = target
            } else {
                image.position = position
            }
        }
        if let alt = body["alt"] as? String { image.alt = alt }
        if let variants = body["variant_ids"] as? [String] { image.variantIDs = variants }
        image.updated = Date()
        productImages[uid] = image
        return KonigleJSON.response(.ok, image.json(origin: origin))
    }

    /// Deletes the image, closes the gap in positions, and clears the product's main image if it was this one.
    func deleteProductImage(_ uid: String) throws {
        guard let image = productImages.removeValue(forKey: uid) else { throw KonigleError.notFound }
        removeFile(image.fileKey)
        if options.positions == .contiguous { shift(product: image.product, from: image.position + 1, by: -1) }
        if products[image.product]?.image == uid { products[image.product]?.image = nil }
    }

    /// Moves every image of `product` at `from` or later by `delta` places.
    private func shift(product: String, from: Int, by delta: Int, except: String? = nil) {
        for (uid, image) in productImages where image.product == product && image.position >= from && uid != except {
            productImages[uid]?.position = image.position + delta
        }
    }
}
