extension StashSchemaSource {
    /// Galleries, chapters, images, their files and folders: what the gallery flow reads.
    static let objects = #"""
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
        """#
}
