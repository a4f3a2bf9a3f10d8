/// The GraphQL schema the Stash emulator serves, written for GalleryHub.
///
/// It names types, fields and arguments exactly as Stash v0.30 does (Docs/stash.md, "API surface"), because the
/// official client introspects them and gates every input it sends on the listed `inputFields`. It covers what
/// galleries, images, files, folders, chapters, find filters, scan jobs, version, system status and a configuration
/// subset need; everything else Stash has is absent, which the client treats as "not supported by this server".
/// Every input type lists all of its fields, as the client requires.
enum StashSchemaSource {
    static let sdl = #"""
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

        input FindFilterType {
          q: String
          page: Int
          per_page: Int
          sort: String
          direction: SortDirectionEnum
        }
        input StringCriterionInput { value: String! modifier: CriterionModifier! }
        input IntCriterionInput { value: Int! value2: Int modifier: CriterionModifier! }
        input MultiCriterionInput { value: [ID!] modifier: CriterionModifier! excludes: [ID!] }
        input HierarchicalMultiCriterionInput { value: [ID!] modifier: CriterionModifier! depth: Int excludes: [ID!] }

        input GalleryFilterType {
          AND: GalleryFilterType
          OR: GalleryFilterType
          NOT: GalleryFilterType
          id: IntCriterionInput
          title: StringCriterionInput
          details: StringCriterionInput
          checksum: StringCriterionInput
          path: StringCriterionInput
          file_count: IntCriterionInput
          is_missing: String
          is_zip: Boolean
          rating100: IntCriterionInput
          organized: Boolean
          has_chapters: String
          scenes: MultiCriterionInput
          studios: HierarchicalMultiCriterionInput
          tags: HierarchicalMultiCriterionInput
          tag_count: IntCriterionInput
          performer_tags: HierarchicalMultiCriterionInput
          performers: MultiCriterionInput
          performer_count: IntCriterionInput
          performer_favorite: Boolean
          performer_age: IntCriterionInput
          image_count: IntCriterionInput
          url: StringCriterionInput
          code: StringCriterionInput
          photographer: StringCriterionInput
        }

        input ImageFilterType {
          AND: ImageFilterType
          OR: ImageFilterType
          NOT: ImageFilterType
          title: StringCriterionInput
          details: StringCriterionInput
          id: IntCriterionInput
          checksum: StringCriterionInput
          path: StringCriterionInput
          file_count: IntCriterionInput
          rating100: IntCriterionInput
          organized: Boolean
          o_counter: IntCriterionInput
          is_missing: String
          studios: HierarchicalMultiCriterionInput
          tags: HierarchicalMultiCriterionInput
          tag_count: IntCriterionInput
          performer_tags: HierarchicalMultiCriterionInput
          performers: MultiCriterionInput
          performer_count: IntCriterionInput
          performer_favorite: Boolean
          performer_age: IntCriterionInput
          galleries: MultiCriterionInput
          url: StringCriterionInput
          code: StringCriterionInput
          photographer: StringCriterionInput
        }

        input GalleryCreateInput {
          title: String!
          code: String
          url: String @deprecated(reason: "Use urls")
          urls: [String!]
          date: String
          details: String
          photographer: String
          rating100: Int
          organized: Boolean
          scene_ids: [ID!]
          studio_id: ID
          tag_ids: [ID!]
          performer_ids: [ID!]
        }
        input GalleryUpdateInput {
          clientMutationId: String
          id: ID!
          title: String
          code: String
          url: String @deprecated(reason: "Use urls")
          urls: [String!]
          date: String
          details: String
          photographer: String
          rating100: Int
          organized: Boolean
          scene_ids: [ID!]
          studio_id: ID
          tag_ids: [ID!]
          performer_ids: [ID!]
          primary_file_id: ID
        }
        input GalleryDestroyInput { ids: [ID!]! delete_file: Boolean delete_generated: Boolean }
        input GalleryAddInput { gallery_id: ID! image_ids: [ID!]! }
        input GalleryRemoveInput { gallery_id: ID! image_ids: [ID!]! }
        input GallerySetCoverInput { gallery_id: ID! cover_image_id: ID! }
        input GalleryResetCoverInput { gallery_id: ID! }
        input GalleryChapterCreateInput { gallery_id: ID! title: String! image_index: Int! }
        input GalleryChapterUpdateInput { id: ID! gallery_id: ID title: String image_index: Int }
        input ImageUpdateInput {
          clientMutationId: String
          id: ID!
          title: String
          code: String
          rating100: Int
          organized: Boolean
          url: String @deprecated(reason: "Use urls")
          urls: [String!]
          date: String
          details: String
          photographer: String
          studio_id: ID
          performer_ids: [ID!]
          tag_ids: [ID!]
          gallery_ids: [ID!]
          primary_file_id: ID
        }
        input ImageDestroyInput { id: ID! delete_file: Boolean delete_generated: Boolean }
        input FindJobInput { id: ID! }
        input ScanMetaDataFilterInput { minModTime: Timestamp }
        input ScanMetadataInput {
          paths: [String!]
          rescan: Boolean
          scanGenerateCovers: Boolean
          scanGeneratePreviews: Boolean
          scanGenerateImagePreviews: Boolean
          scanGenerateSprites: Boolean
          scanGeneratePhashes: Boolean
          scanGenerateThumbnails: Boolean
          scanGenerateClipPreviews: Boolean
          filter: ScanMetaDataFilterInput
        }

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

        type Gallery {
          id: ID!
          title: String
          code: String
          url: String @deprecated(reason: "Use urls")
          urls: [String!]!
          date: String
          details: String
          photographer: String
          rating100: Int
          organized: Boolean!
          created_at: Time!
          updated_at: Time!
          files: [GalleryFile!]!
          folder: Folder
          chapters: [GalleryChapter!]!
          scenes: [Scene!]!
          studio: Studio
          image_count: Int!
          tags: [Tag!]!
          performers: [Performer!]!
          cover: Image
          paths: GalleryPathsType!
          image(index: Int!): Image!
        }
        type GalleryPathsType { cover: String! preview: String! }
        type GalleryChapter {
          id: ID!
          gallery: Gallery!
          title: String!
          image_index: Int!
          created_at: Time!
          updated_at: Time!
        }
        type FindGalleriesResultType { count: Int! galleries: [Gallery!]! }

        type Image {
          id: ID!
          title: String
          code: String
          rating100: Int
          url: String @deprecated(reason: "Use urls")
          urls: [String!]!
          date: String
          details: String
          photographer: String
          o_counter: Int
          organized: Boolean!
          created_at: Time!
          updated_at: Time!
          files: [ImageFile!]! @deprecated(reason: "Use visual_files")
          visual_files: [VisualFile!]!
          paths: ImagePathsType!
          galleries: [Gallery!]!
          studio: Studio
          tags: [Tag!]!
          performers: [Performer!]!
        }
        type ImagePathsType { thumbnail: String preview: String image: String }
        type FindImagesResultType { count: Int! megapixels: Float! filesize: Float! images: [Image!]! }

        type Fingerprint { type: String! value: String! }

        interface BaseFile {
          id: ID!
          path: String!
          basename: String!
          parent_folder_id: ID! @deprecated(reason: "Use parent_folder")
          zip_file_id: ID @deprecated(reason: "Use zip_file")
          parent_folder: Folder!
          zip_file: BasicFile
          mod_time: Time!
          size: Int64!
          fingerprint(type: String!): String
          fingerprints: [Fingerprint!]!
          created_at: Time!
          updated_at: Time!
        }
        type BasicFile implements BaseFile {
          id: ID!
          path: String!
          basename: String!
          parent_folder_id: ID! @deprecated(reason: "Use parent_folder")
          zip_file_id: ID @deprecated(reason: "Use zip_file")
          parent_folder: Folder!
          zip_file: BasicFile
          mod_time: Time!
          size: Int64!
          fingerprint(type: String!): String
          fingerprints: [Fingerprint!]!
          created_at: Time!
          updated_at: Time!
        }
        type GalleryFile implements BaseFile {
          id: ID!
          path: String!
          basename: String!
          parent_folder_id: ID! @deprecated(reason: "Use parent_folder")
          zip_file_id: ID @deprecated(reason: "Use zip_file")
          parent_folder: Folder!
          zip_file: BasicFile
          mod_time: Time!
          size: Int64!
          fingerprint(type: String!): String
          fingerprints: [Fingerprint!]!
          created_at: Time!
          updated_at: Time!
        }
        type ImageFile implements BaseFile {
          id: ID!
          path: String!
          basename: String!
          parent_folder_id: ID! @deprecated(reason: "Use parent_folder")
          zip_file_id: ID @deprecated(reason: "Use zip_file")
          parent_folder: Folder!
          zip_file: BasicFile
          mod_time: Time!
          size: Int64!
          fingerprint(type: String!): String
          fingerprints: [Fingerprint!]!
          created_at: Time!
          updated_at: Time!
          format: String!
          width: Int!
          height: Int!
        }
        type VideoFile implements BaseFile {
          id: ID!
          path: String!
          basename: String!
          parent_folder_id: ID! @deprecated(reason: "Use parent_folder")
          zip_file_id: ID @deprecated(reason: "Use zip_file")
          parent_folder: Folder!
          zip_file: BasicFile
          mod_time: Time!
          size: Int64!
          fingerprint(type: String!): String
          fingerprints: [Fingerprint!]!
          created_at: Time!
          updated_at: Time!
          format: String!
          width: Int!
          height: Int!
          duration: Float!
          video_codec: String!
          audio_codec: String!
          frame_rate: Float!
          bit_rate: Int!
        }
        union VisualFile = VideoFile | ImageFile

        type Folder {
          id: ID!
          path: String!
          parent_folder_id: ID @deprecated(reason: "Use parent_folder")
          zip_file_id: ID @deprecated(reason: "Use zip_file")
          parent_folder: Folder
          zip_file: BasicFile
          mod_time: Time!
          created_at: Time!
          updated_at: Time!
        }

        type Scene { id: ID! title: String }
        type Studio { id: ID! name: String! }
        type Tag { id: ID! name: String! }
        type Performer { id: ID! name: String! }

        type Job {
          id: ID!
          status: JobStatus!
          subTasks: [String!]
          description: String!
          progress: Float
          startTime: Time
          endTime: Time
          addTime: Time!
          error: String
        }
        type JobStatusUpdate { type: JobStatusUpdateType! job: Job! }

        type Version { version: String hash: String! build_time: String! }
        type SystemStatus {
          databaseSchema: Int
          databasePath: String
          configPath: String
          appSchema: Int!
          status: SystemStatusEnum!
          os: String!
          workingDir: String!
          homeDir: String!
          ffmpegPath: String
          ffprobePath: String
        }

        type StashConfig { path: String! excludeVideo: Boolean! excludeImage: Boolean! }
        type ConfigGeneralResult {
          stashes: [StashConfig!]!
          apiKey: String!
          username: String!
          password: String!
          createGalleriesFromFolders: Boolean!
          galleryCoverRegex: String!
          imageExtensions: [String!]!
          galleryExtensions: [String!]!
          videoExtensions: [String!]!
          imageExcludes: [String!]!
          excludes: [String!]!
          calculateMD5: Boolean!
        }
        type ScanMetadataOptions {
          rescan: Boolean!
          scanGenerateCovers: Boolean!
          scanGeneratePreviews: Boolean!
          scanGenerateImagePreviews: Boolean!
          scanGenerateSprites: Boolean!
          scanGeneratePhashes: Boolean!
          scanGenerateThumbnails: Boolean!
          scanGenerateClipPreviews: Boolean!
        }
        type AutoTagMetadataOptions { performers: [String!] studios: [String!] tags: [String!] }
        type GenerateMetadataOptions {
          covers: Boolean
          sprites: Boolean
          previews: Boolean
          imagePreviews: Boolean
          markers: Boolean
          markerImagePreviews: Boolean
          markerScreenshots: Boolean
          transcodes: Boolean
          phashes: Boolean
          interactiveHeatmapsSpeeds: Boolean
          imageThumbnails: Boolean
          clipPreviews: Boolean
        }
        type ConfigDefaultSettingsResult {
          scan: ScanMetadataOptions
          autoTag: AutoTagMetadataOptions
          generate: GenerateMetadataOptions
          deleteFile: Boolean
          deleteGenerated: Boolean
        }
        type ConfigResult { general: ConfigGeneralResult! defaults: ConfigDefaultSettingsResult! }
        """#
}
