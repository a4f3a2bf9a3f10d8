extension StashSchemaSource {
    /// Find filters, criteria and every mutation's input type, each listing all of its fields.
    static let inputs = #"""
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
        """#
}
