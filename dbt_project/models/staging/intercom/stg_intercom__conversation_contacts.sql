-- One row per (conversation, contact): the conversation's `contacts.contacts` list unnested.
{{ unnest_json_list('stg_intercom__conversations', 'conversation_id', 'contacts', '$.contacts', {
    'contact_id': json_text('list_item', '$.id'),
    'contact_external_id': json_text('list_item', '$.external_id'),
}) }}
