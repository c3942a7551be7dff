-- One row per (contact, company): the contact's `companies.data` list unnested.
{{ unnest_json_list('stg_intercom__contacts', 'contact_id', 'companies', '$.data', {
    'company_id': json_text('list_item', '$.id'),
}) }}
