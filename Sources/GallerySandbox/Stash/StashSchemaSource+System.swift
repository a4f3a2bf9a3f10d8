extension StashSchemaSource {
    /// Jobs, version, system status and the configuration subset, plus the stubs other types point at.
    static let system = #"""
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
