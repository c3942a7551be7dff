-- One row per (company, tag): the company's `tags.tags` list unnested.
{{ unnest_json_list('stg_intercom__companies', 'company_id', 'tags', '$.tags', {
    'tag_id': json_text('list_item', '$.id'),
    'tag_name': json_text('list_item', '$.name'),
}) }}
