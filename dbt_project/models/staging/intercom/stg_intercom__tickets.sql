with

source as (

    select * from {{ source('intercom', 'tickets') }}

),

renamed as (

    select
        -- ids
        cast(id as varchar) as ticket_id,
        cast(ticket_id as varchar) as ticket_number,
        cast(admin_assignee_id as varchar) as assignee_admin_id,
        cast(team_assignee_id as varchar) as assignee_team_id,
        {{ json_text('ticket_type', '$.id') }} as ticket_type_id,
        {{ json_text('contacts', '$.contacts[0].id') }} as contact_id,

        -- attributes
        category as ticket_category,
        {{ json_text('ticket_type', '$.name') }} as ticket_type_name,
        ticket_state,
        ticket_state_internal_label,
        ticket_state_external_label,
        {{ json_text('ticket_attributes', '$._default_title_') }} as ticket_title,
        {{ json_text('ticket_attributes', '$._default_description_') }}
            as ticket_description,
        ticket_attributes,
        contacts,
        ticket_parts,
        {{ json_value('ticket_parts', '$.total_count', 'integer') }} as count_ticket_parts,

        -- booleans
        coalesce("open", false) as is_open,
        coalesce(is_shared, false) as is_shared,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        {{ epoch_to_timestamp('snoozed_until') }} as snoozed_until_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id') }}

)

select * from renamed
