/// The GraphQL schema the Stash emulator serves, written for GalleryHub.
///
/// It names types, fields and arguments exactly as Stash v0.30 does (Docs/stash.md, "API surface"), because the
/// official client introspects them and gates every input it sends on the listed `inputFields`. It covers what
/// galleries, images, files, folders, chapters, find filters, scan jobs, version, system status and a configuration
/// subset need; everything else Stash has is absent, which the client treats as "not supported by this server".
/// Every input type lists all of its fields, as the client requires.
enum StashSchemaSource {
    /// The whole schema, in the order the parts read best: scalars and enums, the roots, then the types they use.
    static let sdl = [basics, roots, StashSchemaSource.inputs, StashSchemaSource.objects, StashSchemaSource.system]
        .joined(separator: "\n\n")

    /// Scalars and enums.
    static let basics = #"""
        scalar Time
        scalar Timestamp
        scalar Int64
        scalar Map

        enum SortDirectionEnum { ASC DESC }
        enum CriterionModifier {
          EQUALS NOT_EQUALS GREATER_THAN LESS_THAN IS_NULL NOT_NULL INCLUDES_ALL INCLUDES EXCLUDES
          MATCHES_REGEX NOT_MATCHES_REGEX BETWEEN NOT_BETWEEN
        }
        enum BulkUpdateIdMode { SET ADD REMOVE }
        enum JobStatus { READY RUNNING FINISHED STOPPING CANCELLED FAILED }
        enum JobStatusUpdateType { ADD REMOVE UPDATE }
        enum SystemStatusEnum { SETUP NEEDS_MIGRATION OK }
        """#

    /// The three roots: every query, mutation and subscription the emulator serves.
    static let roots = #"""
        type Query {
          findGallery(id: ID!): Gallery
          findGalleries(gallery_filter: GalleryFilterType, filter: FindFilterType, ids: [ID!]): FindGalleriesResultType!
          findImage(id: ID, checksum: String): Image
          findImages(
            image_filter: ImageFilterType
            image_ids: [Int!] @deprecated(reason: "Use ids")
            ids: [ID!]
            filter: FindFilterType
          ): FindImagesResultType!
          findFile(id: ID, path: String): BaseFile!
          findFolder(id: ID, path: String): Folder!
          findJob(input: FindJobInput!): Job
          jobQueue: [Job!]
          configuration: ConfigResult!
          version: Version!
          systemStatus: SystemStatus!
        }

        type Mutation {
          galleryCreate(input: GalleryCreateInput!): Gallery
          galleryUpdate(input: GalleryUpdateInput!): Gallery
          galleriesUpdate(input: [GalleryUpdateInput!]!): [Gallery]
          galleryDestroy(input: GalleryDestroyInput!): Boolean!
          addGalleryImages(input: GalleryAddInput!): Boolean!
          removeGalleryImages(input: GalleryRemoveInput!): Boolean!
          setGalleryCover(input: GallerySetCoverInput!): Boolean!
          resetGalleryCover(input: GalleryResetCoverInput!): Boolean!
          galleryChapterCreate(input: GalleryChapterCreateInput!): GalleryChapter
          galleryChapterUpdate(input: GalleryChapterUpdateInput!): GalleryChapter
          galleryChapterDestroy(id: ID!): Boolean!
          imageUpdate(input: ImageUpdateInput!): Image
          imagesUpdate(input: [ImageUpdateInput!]!): [Image]
          imageDestroy(input: ImageDestroyInput!): Boolean!
          metadataScan(input: ScanMetadataInput!): ID!
          stopJob(job_id: ID!): Boolean!
        }

        type Subscription {
          jobsSubscribe: JobStatusUpdate!
          scanCompleteSubscribe: Boolean!
        }
        """#
}
