with

source as (

    select * from {{ source('intercom', 'conversation_parts') }}

),

renamed as (

    select
        -- ids (parts carry the conversation id as a number, conversations as a string)
        cast(id as varchar) as conversation_part_id,
        cast(conversation_id as varchar) as conversation_id,
        {{ json_text('author', '$.id') }} as author_id,
        {{ json_text('assigned_to', '$.id') }} as assigned_to_id,

        -- attributes
        part_type,
        body,
        {{ json_text('author', '$.type') }} as author_type,
        {{ json_text('author', '$.name') }} as author_name,
        {{ json_text('assigned_to', '$.type') }} as assigned_to_type,

        -- booleans
        coalesce(redacted, false) as is_redacted,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        {{ epoch_to_timestamp('notified_at') }} as notified_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id') }}

)

select * from renamed
