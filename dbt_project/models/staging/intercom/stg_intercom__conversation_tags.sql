-- One row per (conversation, tag): the conversation's `tags.tags` list unnested.
{{ unnest_json_list('stg_intercom__conversations', 'conversation_id', 'tags', '$.tags', {
    'tag_id': json_text('list_item', '$.id'),
    'tag_name': json_text('list_item', '$.name'),
    'applied_by_admin_id': json_text('list_item', '$.applied_by.id'),
    'applied_at': json_timestamp('list_item', '$.applied_at'),
}) }}
