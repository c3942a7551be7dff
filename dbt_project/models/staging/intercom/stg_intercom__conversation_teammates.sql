-- One row per (conversation, admin): the conversation's `teammates.admins` list unnested
-- (every admin who took part in it).
{{ unnest_json_list('stg_intercom__conversations', 'conversation_id', 'teammates', '$.admins', {
    'admin_id': json_text('list_item', '$.id'),
}) }}
