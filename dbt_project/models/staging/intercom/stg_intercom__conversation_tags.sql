-- One row per (conversation, tag): the conversation's `tags.tags` list unnested.
with

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

unnested as (

    select
        conversations.conversation_id,
        unnest(cast(conversations.tags -> '$.tags' as json[])) as list_item

    from conversations

),

renamed as (

    select distinct
        conversation_id,
        {{ json_text('list_item', '$.id') }} as tag_id,
        {{ json_text('list_item', '$.name') }} as tag_name,
        {{ json_text('list_item', '$.applied_by.id') }} as applied_by_admin_id,
        {{ json_timestamp('list_item', '$.applied_at') }} as applied_at

    from unnested

)

select * from renamed
