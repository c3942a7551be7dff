-- One row per (contact, tag): the contact's `tags.data` list unnested.
{{ unnest_json_list('stg_intercom__contacts', 'contact_id', 'tags', '$.data', {
    'tag_id': json_text('list_item', '$.id'),
}) }}
