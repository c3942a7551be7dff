with

source as (

    select * from {{ source('intercom', 'conversations') }}

),

renamed as (

    select
        -- ids
        cast(id as varchar) as conversation_id,
        cast(admin_assignee_id as varchar) as assignee_admin_id,
        cast(team_assignee_id as varchar) as assignee_team_id,

        -- attributes
        title as conversation_title,
        state as conversation_state,
        priority,
        {{ json_text('source', '$.type') }} as source_type,
        {{ json_text('source', '$.delivered_as') }} as source_delivered_as,
        {{ json_text('source', '$.subject') }} as source_subject,
        {{ json_text('source', '$.author.type') }} as source_author_type,
        {{ json_text('source', '$.author.id') }} as source_author_id,
        {{ json_value('conversation_rating', '$.rating', 'integer') }} as rating,
        {{ json_text('conversation_rating', '$.remark') }} as rating_remark,
        {{ json_timestamp('conversation_rating', '$.created_at') }} as rated_at,
        contacts,
        teammates,
        tags,
        custom_attributes,
        statistics,

        -- booleans
        coalesce("open", false) as is_open,
        coalesce("read", false) as is_read,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        {{ epoch_to_timestamp('waiting_since') }} as waiting_since_at,
        {{ epoch_to_timestamp('snoozed_until') }} as snoozed_until_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id') }}

)

select * from renamed
